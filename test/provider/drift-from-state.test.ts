// drift --from-state: the stack's state (as `pulumi stack export --show-secrets` has it) is read here
// resource by resource through the provider, against the emulator, and judged like a refreshed
// preview of an unchanged program. The e2e suite (test/e2e/drift.test.ts) runs it on a real stack.
import { GROUPS, REPOSITORIES, WORKSPACES } from "../../emulator/seed";
import { createClient } from "../../provider/client";
import { assessResources, secretsToCheck } from "../../provider/drift/compare";
import { checkHiddenSecrets, stepsFromState } from "../../provider/drift/state";
import { ExportedResource, SECRET } from "../../provider/drift/steps";
import type { ResourceKind } from "../../provider/registry";
import { asOwner, clearCounters, counters, create, Emulator, enc, startWithProvider } from "./helpers";
import { CREDENTIALS } from "../../emulator/seed";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

const ws = WORKSPACES.acme.slug;
const repo = REPOSITORIES.platformApi;
const SIGNATURE = "4dabf18193072939515e22adb298388d";
const HOOK_SECRET = "hook-secret-never-shown";

/** A value as `pulumi stack export --show-secrets` writes a secret. */
const secretValue = (value: unknown) => ({ [SIGNATURE]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(value) });

/** A resource of the export, as the engine stored it after `pulumi up` (secret fields wrapped). */
function exported(kind: ResourceKind, name: string, id: string, inputs: Record<string, unknown>, outputs: Record<string, unknown>, secrets: string[] = []) {
  const wrap = (props: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(props).map(([k, v]) => [k, secrets.includes(k) && v !== undefined ? secretValue(v) : v]));
  return {
    urn: `urn:pulumi:prod::acme::pulumi-nodejs:dynamic/bitbucket:${kind}::${name}`,
    type: `pulumi-nodejs:dynamic/bitbucket:${kind}`,
    custom: true,
    id,
    inputs: { __provider: "exports.handler = ...", ...wrap(inputs) },
    outputs: { __provider: "exports.handler = ...", ...wrap(outputs) },
  } satisfies ExportedResource;
}

const client = () =>
  createClient({ apiUrl: emu.apiUrl, credentials: { kind: "basic", email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password } });
const context = () => {
  const { api } = client();
  return () => ({ api, options: {}, adoptExisting: false });
};

async function assess(resources: ExportedResource[]) {
  const progress: string[] = [];
  const steps = await stepsFromState(resources, context(), (m) => progress.push(m));
  return { resources: assessResources(steps), progress };
}

describe("drift from the stack's state", () => {
  let state: ExportedResource[];

  beforeAll(async () => {
    const made = await create("Repository", { workspace: ws, name: "drift-from-state", description: "Managed" });
    const hook = await create("Webhook", {
      workspace: ws,
      repository: made.id,
      url: "https://ci.example.com/hook",
      events: ["repo:push"],
      description: "CI",
      secret: HOOK_SECRET,
    });
    const grant = await create("GroupPermission", { workspace: ws, repository: made.id, groupSlug: GROUPS.developers, permission: "write" });
    state = [
      exported("Repository", "repo", made.id, made.inputs, made.outs),
      exported("Webhook", "hook", hook.id, hook.inputs, hook.outs, ["secret"]),
      exported("GroupPermission", "grant", grant.id, grant.inputs, grant.outs),
      // What is not this package's, or has no live object, is not read.
      { urn: "urn:pulumi:prod::acme::pulumi:providers:pulumi-nodejs::default", type: "pulumi:providers:pulumi-nodejs", custom: true, id: "x" },
      { urn: "urn:pulumi:prod::acme::pulumi:pulumi:Stack::acme-prod", type: "pulumi:pulumi:Stack", custom: false },
    ];
  });

  test("an unchanged stack: every resource in sync, one GET each, progress shown", async () => {
    await clearCounters(emu);
    const { resources, progress } = await assess(state);
    expect(resources.map((r) => `${r.name} ${r.status}`)).toEqual(["repo in sync", "hook in sync", "grant in sync"]);
    expect((await counters(emu)).total).toBe(3);
    expect(progress.at(-1)).toBe("read 3 of 3 resources");
  });

  test("a field changed by hand, a grant changed by hand and a deleted webhook are named; no secret is in what is reported", async () => {
    const repoPath = `/repositories/${ws}/${enc(state[0].id!)}`;
    await asOwner(emu, "PUT", repoPath, { description: "Edited by hand" });
    await asOwner(emu, "PUT", `${repoPath}/permissions-config/groups/${GROUPS.developers}`, { permission: "admin" });
    await asOwner(emu, "DELETE", `${repoPath}/hooks/${enc(state[1].id!)}`);

    const { resources } = await assess(state);
    const byName = Object.fromEntries(resources.map((r) => [r.name, r]));
    expect(byName.repo.status).toBe("drifted");
    expect(byName.repo.differences).toEqual([{ field: "description", declared: '"Managed"', live: '"Edited by hand"' }]);
    expect(byName.grant.differences).toEqual([{ field: "permission", declared: '"write"', live: '"admin"' }]);
    expect(byName.hook.status).toBe("deleted outside Pulumi");
    expect(JSON.stringify(resources)).not.toContain(HOOK_SECRET);
  });

  test("a webhook with a secret is in sync when only its secret is unknown to Bitbucket's answers; its secret shows masked", async () => {
    const made = await create("Webhook", { workspace: ws, repository: repo.uuid, url: "https://ci.example.com/s", events: ["repo:push"], secret: HOOK_SECRET });
    const { resources } = await assess([exported("Webhook", "secret-hook", made.id, made.inputs, made.outs, ["secret"])]);
    expect(resources[0].status).toBe("in sync");
    expect(resources[0].live?.inputs.secret).toBe(SECRET);
    expect(JSON.stringify(resources)).not.toContain(HOOK_SECRET);
  });

  test("a hook's URL changed and its secret removed by hand: both are named, the secret masked; a secret left alone is not", async () => {
    const webhooks = { CI: { url: "https://ci.example.com/all", events: ["repo:push"], active: true } };
    // On the repository made above, whose one webhook the first test deleted: nothing to take over.
    const repository = state[0].id!;
    const made = await create("RepositoryWebhooks", { workspace: ws, repository, webhooks, secrets: { CI: HOOK_SECRET } });
    const resource = exported("RepositoryWebhooks", "hooks", made.id, made.inputs, made.outs, ["secrets"]);
    const hookPath = `/repositories/${ws}/${enc(repository)}/hooks/${enc((made.outs.hookIds as Record<string, string>).CI)}`;

    await asOwner(emu, "PUT", hookPath, { url: "https://ci.example.com/moved" });
    const urlOnly = (await assess([resource])).resources[0];
    expect(urlOnly.differences).toEqual([{ field: "webhooks.CI.url", declared: '"https://ci.example.com/all"', live: '"https://ci.example.com/moved"' }]);

    await asOwner(emu, "PUT", hookPath, { secret: null });
    const both = (await assess([resource])).resources[0];
    expect(both.status).toBe("drifted");
    expect(both.differences).toEqual([
      { field: "webhooks.CI.url", declared: '"https://ci.example.com/all"', live: '"https://ci.example.com/moved"' },
      { field: "secrets", declared: SECRET, live: `${SECRET} (differs)` },
    ]);
    expect(JSON.stringify(both)).not.toContain(HOOK_SECRET);
  });

  test("after a refreshed preview: a secret other differences hide is checked with the state, one read for that resource only", async () => {
    const made = await create("Repository", { workspace: ws, name: "drift-hidden-secret", description: "Managed" });
    const webhooks = { CI: { url: "https://ci.example.com/all", events: ["repo:push"], active: true } };
    const hooks = await create("RepositoryWebhooks", { workspace: ws, repository: made.id, webhooks, secrets: { CI: HOOK_SECRET } });
    const resources = [
      exported("Repository", "repo", made.id, made.inputs, made.outs),
      exported("RepositoryWebhooks", "hooks", hooks.id, hooks.inputs, hooks.outs, ["secrets"]),
    ];
    const repoPath = `/repositories/${ws}/${enc(made.id)}`;
    const hookPath = `${repoPath}/hooks/${enc((hooks.outs.hookIds as Record<string, string>).CI)}`;
    await asOwner(emu, "PUT", repoPath, { description: "Edited by hand" });
    await asOwner(emu, "PUT", hookPath, { url: "https://ci.example.com/moved" });
    // What a refreshed preview gives: the same steps, both sides of a secret masked, no verdict on them.
    const preview = async () => (await stepsFromState(resources, context(), () => undefined)).map(({ differingSecrets: _secrets, ...step }) => step);
    const url = { field: "webhooks.CI.url", declared: '"https://ci.example.com/all"', live: '"https://ci.example.com/moved"' };
    const hooksOf = (steps: Awaited<ReturnType<typeof preview>>) => assessResources(steps).find((r) => r.name === "hooks")!;

    const urlOnly = await preview();
    // Unchecked, the secret is said not compared rather than left out; the repository has no secret to check.
    expect(hooksOf(urlOnly).differences).toEqual([url, { field: "secrets", declared: SECRET, live: `${SECRET} (not compared)` }]);
    const toCheck = secretsToCheck(urlOnly);
    expect(toCheck.map((step) => step.urn)).toEqual([resources[1].urn]);
    await clearCounters(emu);
    expect(hooksOf(await checkHiddenSecrets(urlOnly, toCheck, resources, context())).differences).toEqual([url]);
    expect((await counters(emu)).total).toBe(1);

    await asOwner(emu, "PUT", hookPath, { secret: null });
    const removed = await preview();
    const checked = hooksOf(await checkHiddenSecrets(removed, secretsToCheck(removed), resources, context()));
    expect(checked.differences).toEqual([url, { field: "secrets", declared: SECRET, live: `${SECRET} (differs)` }]);
    expect(JSON.stringify(checked)).not.toContain(HOOK_SECRET);
  });

  test("a state exported without --show-secrets is refused, saying how to export it", async () => {
    const encrypted = exported(
      "Repository",
      "repo",
      state[0].id!,
      { workspace: ws, name: "x", description: { [SIGNATURE]: "1b47", ciphertext: "v1:abc" } },
      {},
    );
    await expect(assess([encrypted])).rejects.toThrow(/encrypted secret: export it with --show-secrets/);
  });
});
