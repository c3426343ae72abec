// What Pulumi stores for each resource: the serialized shim must be small, hold no credentials and
// no client code, and work when evaluated the way the dynamic-provider host evaluates it.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { CREDENTIALS, WORKSPACES } from "../../emulator";
import { RESOURCES, ResourceKind } from "../../provider/registry";
import * as runtime from "../../provider/runtime";
import { shim } from "../../provider/shim";
import { Emulator, ownerConfig, startWithProvider } from "./helpers";

const KINDS = Object.keys(RESOURCES) as ResourceKind[];
const RUNTIME = "pulumi-bitbucket-cloud/dist/provider/runtime";
const METHODS = "pulumi-bitbucket-cloud/dist/provider/shimMethods.js";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

/** Serialized exactly as pulumi.dynamic.Resource does it. */
async function serialize(kind: ResourceKind, makeShim = shim): Promise<string> {
  const provider = makeShim(kind);
  const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return sf.text;
}

/**
 * Evaluates the text like the dynamic-provider host (require-from-string + handler()); the package
 * paths map to `modules` (by default the runtime of this checkout's source).
 */
function load(text: string, modules: Record<string, unknown> = { [RUNTIME]: runtime }): pulumi.dynamic.ResourceProvider {
  const mod: { exports: Record<string, () => pulumi.dynamic.ResourceProvider> } = { exports: {} };
  const req = (name: string) => (name in modules ? modules[name] : require(name));
  new Function("exports", "require", "module", text)(mod.exports, req, mod);
  return mod.exports.handler();
}

/**
 * The shim as an installed package has it: provider/shim.ts and shimMethods.ts compiled into
 * <tmp>/node_modules/pulumi-bitbucket-cloud/dist/provider/, with a runtime.js there that is this
 * checkout's runtime. (In this repository the package is a link to the checkout itself, outside
 * node_modules, which Pulumi serializes by value.)
 */
function installedShim(): { shim: typeof shim; methods: object; dir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "bb-shim-"));
  const dir = path.join(root, "node_modules", "pulumi-bitbucket-cloud", "dist", "provider");
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ["shim", "shimMethods"]) {
    const source = fs.readFileSync(path.join(__dirname, "../../provider", `${name}.ts`), "utf8");
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
    fs.writeFileSync(path.join(dir, `${name}.js`), js.outputText);
  }
  fs.writeFileSync(path.join(dir, "runtime.js"), `module.exports = require(${JSON.stringify(require.resolve("../../provider/runtime"))});\n`);
  return { shim: require(path.join(dir, "shim.js")).shim, methods: require(path.join(dir, "shimMethods.js")), dir: root };
}

test.each(KINDS)("%s: from a linked checkout, the serialized provider is self-contained: the runtime path and the kind, no credentials", async (kind) => {
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

test.each(KINDS)("%s: installed under node_modules, the serialized provider is a require of the installed methods and the kind", async (kind) => {
  const installed = installedShim();
  runtime.configure(ownerConfig(emu));
  try {
    const text = await serialize(kind, installed.shim);
    expect(text.length).toBeLessThan(400);
    if (kind === "Repository") console.log(`serialized provider when installed: ${text.length} bytes\n${text}`);
    expect(text).toContain(`Object.create(require("${METHODS}"))`);
    expect(text).toContain(`.kind = ${JSON.stringify(kind)}`);
    // No method text: the methods are the installed ones.
    for (const forbidden of [CREDENTIALS.owner.password, emu.apiUrl, "providerFor", RUNTIME]) expect(text).not.toContain(forbidden);
    const provider = load(text, { [METHODS]: installed.methods });
    expect(Object.getPrototypeOf(provider)).toBe(installed.methods);
    expect(provider).toEqual({ kind });
  } finally {
    fs.rmSync(installed.dir, { recursive: true, force: true });
  }
});

test("the installed shim, evaluated, runs a full lifecycle through the installed runtime", async () => {
  const installed = installedShim();
  try {
    await lifecycle(load(await serialize("Repository", installed.shim), { [METHODS]: installed.methods }));
  } finally {
    fs.rmSync(installed.dir, { recursive: true, force: true });
  }
});

test("the evaluated shim configures the runtime from the stack config and runs a full lifecycle", async () => {
  await lifecycle(load(await serialize("Repository")));
});

/** configure, check, create, read, diff, delete and a read of the deleted repository. */
async function lifecycle(provider: pulumi.dynamic.ResourceProvider): Promise<void> {
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
}

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
