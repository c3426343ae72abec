// What Pulumi stores for each resource: the serialized shim must be small, hold no credentials and
// no client code, and work when evaluated the way the dynamic-provider host evaluates it.
import * as pulumi from "@pulumi/pulumi";
import { CREDENTIALS, WORKSPACES } from "../../emulator";
import { RESOURCES, ResourceKind } from "../../provider/registry";
import * as runtime from "../../provider/runtime";
import { shim } from "../../provider/shim";
import { Emulator, ownerConfig, startWithProvider } from "./helpers";

const KINDS = Object.keys(RESOURCES) as ResourceKind[];
const RUNTIME = "pulumi-bitbucket-cloud/dist/provider/runtime";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

/** Serialized exactly as pulumi.dynamic.Resource does it. */
async function serialize(kind: ResourceKind): Promise<string> {
  const provider = shim(kind);
  const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return sf.text;
}

/** Evaluates the text like the dynamic-provider host (require-from-string + handler()); the package path maps to this checkout's source. */
function load(text: string): pulumi.dynamic.ResourceProvider {
  const mod: { exports: Record<string, () => pulumi.dynamic.ResourceProvider> } = { exports: {} };
  const req = (name: string) => (name === RUNTIME ? runtime : require(name));
  new Function("exports", "require", "module", text)(mod.exports, req, mod);
  return mod.exports.handler();
}

test.each(KINDS)("%s: the serialized provider is small and holds only the runtime path and the kind", async (kind) => {
  // Credentials are configured in this process while serializing: none may be captured.
  runtime.configure(ownerConfig(emu));
  process.env.BITBUCKET_API_TOKEN = "env-secret-token-value";
  try {
    const text = await serialize(kind);
    expect(text.length).toBeLessThan(4096);
    if (kind === "Repository") console.log(`serialized provider: ${text.length} bytes\n${text}`);
    expect(text).toContain(`require("${RUNTIME}")`);
    expect(text).toContain(JSON.stringify(kind));
    for (const forbidden of [CREDENTIALS.owner.password, "env-secret-token-value", emu.apiUrl, "fetch(", "backOff", "zod", "Authorization", "Basic "])
      expect(text).not.toContain(forbidden);
  } finally {
    delete process.env.BITBUCKET_API_TOKEN;
  }
});

test("each kind has one shim object, so Pulumi serializes it once and reuses the text", async () => {
  for (const kind of KINDS) expect(shim(kind)).toBe(shim(kind));
  const sizes = await Promise.all(KINDS.map(async (kind) => `${kind} ${(await serialize(kind)).length}`));
  console.log(`serialized provider bytes: ${sizes.join(", ")}`);
});

test("the evaluated shim configures the runtime from the stack config and runs a full lifecycle", async () => {
  const provider = load(await serialize("Repository"));
  runtime.configure({});
  const stack: Record<string, string> = ownerConfig(emu);
  await provider.configure!({ config: { get: (k: string) => stack[k], require: (k: string) => stack[k] } });
  const checked = await provider.check!({}, { workspace: WORKSPACES.acme.slug, name: "Via Shim" });
  expect(checked.failures).toBeUndefined();
  const { id, outs } = await provider.create(checked.inputs);
  expect(outs).toMatchObject({ slug: "via-shim", uuid: id });
  const read = await provider.read!(id, outs);
  expect(read.id).toBe(id);
  expect((await provider.diff!(id, read.props, checked.inputs)).changes).toBe(false);
  await provider.delete!(id, outs);
  expect(await provider.read!(id, outs)).toEqual({});
});

describe("Resource classes (engine mocked, provider code real)", () => {
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  beforeAll(() =>
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      false,
    ),
  );

  test("each class registers its Pulumi type with a small serialized provider; Webhook's secret stays secret", async () => {
    const bb = await import("../../provider");
    // Every kind of the registry, by the class its module exports under the kind's name.
    for (const kind of KINDS) {
      if (kind === "Webhook") continue;
      const Class = (RESOURCES[kind] as unknown as Record<string, new (name: string, args: object) => pulumi.CustomResource>)[kind];
      new Class(kind.toLowerCase(), { workspace: "acme", repository: "{r}" });
    }
    const hook = new bb.Webhook("w", { workspace: "acme", repository: "{r}", url: "https://ci.example.com/h", events: ["repo:push"], secret: "hook-secret" });
    const isSecret = await (hook.secret as unknown as { isSecret: Promise<boolean> }).isSecret;
    await new Promise((r) => setTimeout(r, 200));
    expect(registered.map((r) => r.type).sort()).toEqual(KINDS.map((k) => `pulumi-nodejs:dynamic/bitbucket:${k}`).sort());
    for (const r of registered) {
      expect(typeof r.inputs.__provider).toBe("string");
      expect((r.inputs.__provider as string).length).toBeLessThan(4096);
    }
    expect(isSecret).toBe(true);
  });
});
