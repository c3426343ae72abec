// PipelinesConfig, RepositoryVariable, WorkspaceVariable, DeploymentEnvironment and DeploymentVariable
// against the emulator: lifecycles, drift on every readable field, secured values kept only in the
// state (no perpetual diff), creations that never duplicate, a rename underneath, refresh costs.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CREDENTIALS, WORKSPACES } from "../../emulator";
import { createClient } from "../../provider/client";
import { runImport } from "../../provider/cli/import";
import type { ManagedResource } from "../../provider/drift/compare";
import { findUnmanaged } from "../../provider/drift/unmanaged";
import {
  asOwner,
  checked,
  clearCounters,
  counters,
  create,
  enc,
  FAST,
  provider,
  refreshAndDiff,
  refreshCost,
  script,
  useOwner,
  emulatorWithRepository,
} from "./helpers";

const fixture = emulatorWithRepository("Piped");

const ws = WORKSPACES.acme.slug;
const repoPath = () => `/repositories/${ws}/${enc(fixture.repoId)}`;
const variablesPath = () => `${repoPath()}/pipelines_config/variables`;
const environmentsPath = () => `${repoPath()}/environments`;
const deploymentVariablesPath = (environment: string) => `${repoPath()}/deployments_config/environments/${enc(environment)}/variables`;
const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: true };

async function withNotices<T>(run: (notices: string[]) => Promise<T>): Promise<T> {
  const notices: string[] = [];
  useOwner(fixture.emu, { ...FAST, notify: (m) => notices.push(m) });
  try {
    return await run(notices);
  } finally {
    useOwner(fixture.emu);
  }
}

describe("PipelinesConfig", () => {
  const p = provider("PipelinesConfig");

  test("create enables Pipelines; a refresh sees it disabled by hand (drift); update restores; delete puts back what creation found", async () => {
    const args = { workspace: ws, repository: String(fixture.repoState.slug), enabled: true };
    const { id, outs } = await create("PipelinesConfig", args);
    expect(id).toBe(`${ws}/${fixture.repoId}`);
    expect(outs).toMatchObject({ enabled: true, enabledBefore: false, repositoryUuid: fixture.repoId });
    expect((await asOwner(fixture.emu, "GET", `${repoPath()}/pipelines_config`)).body.enabled).toBe(true);

    const { read, diff } = await refreshAndDiff("PipelinesConfig", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual(NO_CHANGE);

    await asOwner(fixture.emu, "PUT", `${repoPath()}/pipelines_config`, { enabled: false });
    const drifted = await refreshAndDiff("PipelinesConfig", id, outs, args);
    expect(drifted.read.props).toMatchObject({ enabled: false });
    expect(drifted.diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    const { outs: after } = await p.update(id, drifted.read.props!, await checked("PipelinesConfig", args));
    expect((await asOwner(fixture.emu, "GET", `${repoPath()}/pipelines_config`)).body.enabled).toBe(true);

    const cost = await refreshCost(fixture.emu, "PipelinesConfig", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: PipelinesConfig = ${cost.calls} API call(s)`);

    await p.delete(id, after);
    expect((await asOwner(fixture.emu, "GET", `${repoPath()}/pipelines_config`)).body.enabled).toBe(false);
  });

  test("creation over a setting that already matches writes nothing", async () => {
    await asOwner(fixture.emu, "PUT", `${repoPath()}/pipelines_config`, { enabled: true });
    await clearCounters(fixture.emu);
    const { id, outs } = await create("PipelinesConfig", { workspace: ws, repository: fixture.repoId, enabled: true });
    expect((await counters(fixture.emu)).byRoute["PUT /repositories/{workspace}/{repo_slug}/pipelines_config"]).toBeUndefined();
    // Deleting leaves it as found: enabled.
    await p.delete(id, outs);
    expect((await asOwner(fixture.emu, "GET", `${repoPath()}/pipelines_config`)).body.enabled).toBe(true);
    await asOwner(fixture.emu, "PUT", `${repoPath()}/pipelines_config`, { enabled: false });
  });
});

describe("RepositoryVariable", () => {
  const p = provider("RepositoryVariable");
  const live = async () =>
    (await asOwner(fixture.emu, "GET", variablesPath())).body.values as { uuid: string; key: string; value?: string; secured: boolean }[];

  test("lifecycle: create, read, no diff; drift on key and value is seen and restored; delete", async () => {
    const args = { workspace: ws, repository: fixture.repoId, key: "DEPLOY_ENV", value: "prod" };
    const { id, outs } = await create("RepositoryVariable", args);
    expect(id).toMatch(/^\{.+\}$/);
    expect(outs).toMatchObject({
      workspace: ws,
      repository: fixture.repoId,
      repositoryUuid: fixture.repoId,
      key: "DEPLOY_ENV",
      value: "prod",
      secured: false,
      uuid: id,
    });
    expect((await refreshAndDiff("RepositoryVariable", id, outs, args)).diff).toEqual(NO_CHANGE);

    for (const change of [{ value: "by-hand" }, { key: "RENAMED_BY_HAND" }]) {
      await asOwner(fixture.emu, "PUT", `${variablesPath()}/${enc(id)}`, change);
      const { read, diff } = await refreshAndDiff("RepositoryVariable", id, outs, args);
      expect(read.props).toMatchObject(change);
      expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
      await p.update(id, read.props!, await checked("RepositoryVariable", args));
      expect(await live()).toEqual([{ type: "pipeline_variable", uuid: id, key: "DEPLOY_ENV", value: "prod", secured: false }]);
    }

    const cost = await refreshCost(fixture.emu, "RepositoryVariable", id, outs);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: RepositoryVariable = ${cost.calls} API call(s)`);
    await p.delete(id, outs);
    expect(await live()).toEqual([]);
    expect(await p.read(id, outs)).toEqual({});
  });

  test("a secured value: kept in the state (never read), no perpetual diff; a new value is a change; secured changed by hand is drift (replace)", async () => {
    const args = { workspace: ws, repository: fixture.repoId, key: "API_TOKEN", value: "s3cr3t-1", secured: true };
    const { id, outs } = await create("RepositoryVariable", args);
    expect(outs).toMatchObject({ value: "s3cr3t-1", secured: true });
    expect(JSON.stringify(await live())).not.toContain("s3cr3t");
    for (let i = 0; i < 2; i++) {
      const { read, diff } = await refreshAndDiff("RepositoryVariable", id, outs, args);
      expect(read.props).toMatchObject({ value: "s3cr3t-1", secured: true });
      expect(diff).toEqual(NO_CHANGE);
    }
    const rotated = await checked("RepositoryVariable", { ...args, value: "s3cr3t-2" });
    expect(await p.diff(id, outs, rotated)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    const { outs: after } = await p.update(id, outs, rotated);
    expect(after).toMatchObject({ value: "s3cr3t-2", secured: true });

    await asOwner(fixture.emu, "PUT", `${variablesPath()}/${enc(id)}`, { secured: false });
    const { diff } = await refreshAndDiff("RepositoryVariable", id, after, { ...args, value: "s3cr3t-2" });
    expect(diff).toEqual({ changes: true, replaces: ["secured"], deleteBeforeReplace: true });
    await p.delete(id, after);
  });

  test("a POST whose answer is lost: the retry meets 409 and the variable is taken over, not added twice", async () => {
    await script(fixture.emu, [{ method: "POST", pathPrefix: variablesPath(), lostResponse: true }]);
    await clearCounters(fixture.emu);
    const { id, outs } = await create("RepositoryVariable", { workspace: ws, repository: fixture.repoId, key: "LOST", value: "v", secured: true });
    expect((await counters(fixture.emu)).byRoute["POST /repositories/{workspace}/{repo_slug}/pipelines_config/variables"]).toBe(2);
    expect((await live()).map((v) => v.uuid)).toEqual([id]);
    await p.delete(id, outs);
  });

  test("a key already used by hand: taken over, set to the program's value, and said so", async () => {
    await withNotices(async (notices) => {
      const added = (await asOwner(fixture.emu, "POST", variablesPath(), { key: "HAND", value: "by-hand" })).body;
      const { id, outs } = await create("RepositoryVariable", { workspace: ws, repository: fixture.repoId, key: "HAND", value: "managed" });
      expect(id).toBe(added.uuid);
      expect(outs).toMatchObject({ value: "managed" });
      expect(notices.join("\n")).toMatch(
        /RepositoryVariable: acme\/.* already had a variable HAND \(not secured, with another value; .*\), now set to the program's value: taken over/,
      );
      expect(notices.join("\n")).not.toContain("by-hand");
      await p.delete(id, outs);
    });
  });

  test("a rename of the repository underneath changes nothing (addressed by the repository's UUID)", async () => {
    const bySlug = { workspace: ws, repository: String(fixture.repoState.slug), key: "RENAME", value: "v" };
    const { id, outs } = await create("RepositoryVariable", bySlug);
    const { outs: renamed } = await provider("Repository").update(
      fixture.repoId,
      fixture.repoState,
      await checked("Repository", { workspace: ws, name: "Piped Renamed" }),
    );
    fixture.repoState = renamed as Record<string, unknown>;
    const { read, diff } = await refreshAndDiff("RepositoryVariable", id, outs, bySlug);
    expect(read.id).toBe(id);
    expect(diff).toEqual(NO_CHANGE);
    await p.delete(id, outs);
  });

  test("an unknown repository: an error naming it, with no secret in it", async () => {
    const err = await p
      .create(await checked("RepositoryVariable", { workspace: ws, repository: "ghost", key: "A", value: "s3cr3t-x", secured: true }))
      .catch((e: Error) => e);
    expect(String(err)).toMatch(/ghost/);
    expect(String(err)).not.toContain("s3cr3t");
  });
});

describe("WorkspaceVariable", () => {
  const p = provider("WorkspaceVariable");
  const path = `/workspaces/${ws}/pipelines-config/variables`;

  test("lifecycle at /workspaces/{workspace}/pipelines-config/variables: create, no diff, drift on value, update, delete", async () => {
    const args = { workspace: ws, key: "SHARED", value: "one" };
    const { id, outs } = await create("WorkspaceVariable", args);
    expect(outs).toMatchObject({ workspace: ws, key: "SHARED", value: "one", secured: false, uuid: id });
    expect((await refreshAndDiff("WorkspaceVariable", id, outs, args)).diff).toEqual(NO_CHANGE);
    await asOwner(fixture.emu, "PUT", `${path}/${enc(id)}`, { value: "by-hand" });
    const { read, diff } = await refreshAndDiff("WorkspaceVariable", id, outs, args);
    expect(read.props).toMatchObject({ value: "by-hand" });
    expect(diff?.changes).toBe(true);
    await p.update(id, read.props!, await checked("WorkspaceVariable", args));
    expect((await asOwner(fixture.emu, "GET", `${path}/${enc(id)}`)).body.value).toBe("one");
    await p.delete(id, outs);
    expect((await asOwner(fixture.emu, "GET", path)).body.values).toEqual([]);
  });
});

describe("DeploymentEnvironment and DeploymentVariable", () => {
  const env = provider("DeploymentEnvironment");
  const dv = provider("DeploymentVariable");

  test("environment lifecycle: create, no diff, drift on name, rank and adminOnly restored by …/changes; the type replaces", async () => {
    const args = { workspace: ws, repository: fixture.repoId, name: "Production", environmentType: "Production", adminOnly: true };
    const { id, outs } = await create("DeploymentEnvironment", args);
    expect(outs).toMatchObject({
      workspace: ws,
      repository: fixture.repoId,
      repositoryUuid: fixture.repoId,
      name: "Production",
      environmentType: "Production",
      rank: 0,
      adminOnly: true,
      uuid: id,
    });
    expect((await refreshAndDiff("DeploymentEnvironment", id, outs, args)).diff).toEqual(NO_CHANGE);

    await asOwner(fixture.emu, "POST", `${environmentsPath()}/${enc(id)}/changes`, { name: "Prod (hand)", rank: 4, restrictions: { admin_only: false } });
    const { read, diff } = await refreshAndDiff("DeploymentEnvironment", id, outs, { ...args, rank: 0 });
    expect(read.props).toMatchObject({ name: "Prod (hand)", rank: 4, adminOnly: false });
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    await clearCounters(fixture.emu);
    const { outs: after } = await env.update(id, read.props!, await checked("DeploymentEnvironment", { ...args, rank: 0 }));
    expect((await counters(fixture.emu)).byRoute).toEqual({
      "POST /repositories/{workspace}/{repo_slug}/environments/{environment_uuid}/changes": 1,
      "GET /repositories/{workspace}/{repo_slug}/environments/{environment_uuid}": 1,
    });
    expect(after).toMatchObject({ name: "Production", rank: 0, adminOnly: true });

    expect((await env.diff(id, after, await checked("DeploymentEnvironment", { ...args, environmentType: "Staging" }))).replaces).toEqual(["environmentType"]);
    const cost = await refreshCost(fixture.emu, "DeploymentEnvironment", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: DeploymentEnvironment = ${cost.calls} API call(s)`);
    await env.delete(id, after);
    expect(await env.read(id, after)).toEqual({});
  });

  test("an environment name taken (a lost answer or by hand): taken over when of the same type, refused with a clear error otherwise", async () => {
    await script(fixture.emu, [{ method: "POST", pathPrefix: environmentsPath(), lostResponse: true }]);
    const { id, outs } = await create("DeploymentEnvironment", { workspace: ws, repository: fixture.repoId, name: "Staging", environmentType: "Staging" });
    expect((await asOwner(fixture.emu, "GET", environmentsPath())).body.values.map((e: { uuid: string }) => e.uuid)).toEqual([id]);
    const err = await env
      .create(await checked("DeploymentEnvironment", { workspace: ws, repository: fixture.repoId, name: "staging", environmentType: "Test" }))
      .catch((e: Error) => e);
    expect(String(err)).toMatch(/already has a Staging environment named "Staging" .*its type cannot change to Test/);
    await env.delete(id, outs);
  });

  test("deployment variables: lifecycle, secured value kept (no perpetual diff), drift on a readable value; gone with the environment", async () => {
    const { id: envId, outs: envOuts } = await create("DeploymentEnvironment", {
      workspace: ws,
      repository: fixture.repoId,
      name: "Test",
      environmentType: "Test",
    });
    const secured = { workspace: ws, repository: fixture.repoId, environment: envId, key: "DB_PASSWORD", value: "pr0d-s3cr3t", secured: true };
    const plain = { workspace: ws, repository: fixture.repoId, environment: envId, key: "REGION", value: "eu" };
    const a = await create("DeploymentVariable", secured);
    const b = await create("DeploymentVariable", plain);
    expect(a.outs).toMatchObject({ environment: envId.toLowerCase(), key: "DB_PASSWORD", secured: true, value: "pr0d-s3cr3t" });
    expect(JSON.stringify((await asOwner(fixture.emu, "GET", deploymentVariablesPath(envId))).body)).not.toContain("s3cr3t");
    expect((await refreshAndDiff("DeploymentVariable", a.id, a.outs, secured)).diff).toEqual(NO_CHANGE);
    expect((await refreshAndDiff("DeploymentVariable", b.id, b.outs, plain)).diff).toEqual(NO_CHANGE);

    await asOwner(fixture.emu, "PUT", `${deploymentVariablesPath(envId)}/${enc(b.id)}`, { value: "us" });
    const drift = await refreshAndDiff("DeploymentVariable", b.id, b.outs, plain);
    expect(drift.read.props).toMatchObject({ value: "us" });
    expect(drift.diff?.changes).toBe(true);
    await dv.update(b.id, drift.read.props!, await checked("DeploymentVariable", plain));

    const cost = await refreshCost(fixture.emu, "DeploymentVariable", a.id, a.outs);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: DeploymentVariable = ${cost.calls} API call(s) (the spec has no GET of one: its environment's list)`);

    await env.delete(envId, envOuts);
    expect(await dv.read(a.id, a.outs)).toEqual({});
    await dv.delete(a.id, a.outs);
  });

  test("a rename of the repository underneath changes nothing for an environment and its variable (addressed by the repository's UUID)", async () => {
    const bySlug = { workspace: ws, repository: String(fixture.repoState.slug) };
    const e = await create("DeploymentEnvironment", { ...bySlug, name: "Renamed Env", environmentType: "Staging" });
    const v = await create("DeploymentVariable", { ...bySlug, environment: e.id, key: "K", value: "v" });
    const { outs: renamed } = await provider("Repository").update(
      fixture.repoId,
      fixture.repoState,
      await checked("Repository", { workspace: ws, name: `Piped ${Date.now()}` }),
    );
    fixture.repoState = renamed as Record<string, unknown>;
    const envRead = await refreshAndDiff("DeploymentEnvironment", e.id, e.outs, { ...bySlug, name: "Renamed Env", environmentType: "Staging" });
    expect([envRead.read.id, envRead.diff]).toEqual([e.id, NO_CHANGE]);
    const varRead = await refreshAndDiff("DeploymentVariable", v.id, v.outs, { ...bySlug, environment: e.id, key: "K", value: "v" });
    expect([varRead.read.id, varRead.diff]).toEqual([v.id, NO_CHANGE]);
    await dv.delete(v.id, v.outs);
    await env.delete(e.id, e.outs);
  });

  test("an unknown environment: creation fails naming it", async () => {
    const args = {
      workspace: ws,
      repository: fixture.repoId,
      environment: "{0f8c2c1e-4b6e-4c2a-9d3e-2a1b3c4d5e6f}",
      key: "A",
      value: "s3cr3t-y",
      secured: true,
    };
    const err = await dv.create(await checked("DeploymentVariable", args)).catch((e: Error) => e);
    expect(String(err)).toMatch(/404|not found/i);
    expect(String(err)).not.toContain("s3cr3t");
  });
});

describe("drift's search and import", () => {
  const SECRET = "imp0rt-s3cr3t";
  const managed = (kind: string, id: string, outputs: Record<string, unknown>): ManagedResource => ({
    urn: `urn:pulumi:prod::acme::pulumi-nodejs:dynamic/bitbucket:${kind}::${kind.toLowerCase()}-${id}`,
    name: kind.toLowerCase(),
    type: `bitbucket:${kind}`,
    kind,
    status: "in sync",
    differences: [],
    live: { id, custom: true, inputs: {}, outputs },
  });
  const owner = { kind: "basic" as const, email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password };

  test("variables (by key, never by value), environments, deployment variables and workspace variables no resource holds are reported; declared ones are not", async () => {
    const declared = await create("RepositoryVariable", { workspace: ws, repository: fixture.repoId, key: "DECLARED", value: "d" });
    const byHand = (await asOwner(fixture.emu, "POST", variablesPath(), { key: "BY_HAND", value: SECRET, secured: true })).body;
    const plain = (await asOwner(fixture.emu, "POST", variablesPath(), { key: "PLAIN", value: "plain-value" })).body;
    const environment = (await asOwner(fixture.emu, "POST", environmentsPath(), { name: "QA", environment_type: { name: "Test" } })).body;
    const deployVar = (await asOwner(fixture.emu, "POST", deploymentVariablesPath(environment.uuid), { key: "DEPLOY_TOKEN", value: SECRET, secured: true }))
      .body;
    const wsVar = (await asOwner(fixture.emu, "POST", `/workspaces/${ws}/pipelines-config/variables`, { key: "WS_PLAIN", value: "ws-value" })).body;
    try {
      const api = createClient({ apiUrl: fixture.emu.apiUrl, credentials: owner }).api;
      const stack = [
        managed("Repository", fixture.repoId, { workspace: ws, uuid: fixture.repoId, slug: fixture.repoState.slug }),
        managed("RepositoryVariable", declared.id, declared.outs),
      ];
      const found = await findUnmanaged(api, stack, { scope: "stack" });
      const ours = found.filter((o) => ["repository variable", "deployment environment", "deployment variable", "workspace variable"].includes(o.kind));
      expect(ours.map((o) => [o.kind, o.id, o.detail]).sort()).toEqual(
        [
          ["repository variable", byHand.uuid, "BY_HAND (secured)"],
          ["repository variable", plain.uuid, "PLAIN"],
          ["deployment environment", environment.uuid, "QA (Test)"],
          ["deployment variable", deployVar.uuid, "DEPLOY_TOKEN of QA (secured)"],
        ].sort(),
      );
      expect(JSON.stringify(found)).not.toMatch(/s3cr3t|plain-value|ws-value/);
      // The workspace's own variables are listed where the stack holds one, when the scope lists the workspace (not with --scope stack).
      const wsDeclared = await create("WorkspaceVariable", { workspace: ws, key: "WS_DECLARED", value: "x" });
      const whole = await findUnmanaged(api, [...stack, managed("WorkspaceVariable", wsDeclared.id, wsDeclared.outs)], { scope: "workspace" });
      await provider("WorkspaceVariable").delete(wsDeclared.id, wsDeclared.outs);
      expect(whole.filter((o) => o.kind === "workspace variable").map((o) => [o.id, o.detail])).toEqual([[wsVar.uuid, "WS_PLAIN"]]);
      expect(JSON.stringify(whole)).not.toMatch(/s3cr3t|plain-value|ws-value/);
    } finally {
      await provider("RepositoryVariable").delete(declared.id, declared.outs);
      for (const v of [byHand, plain]) await asOwner(fixture.emu, "DELETE", `${variablesPath()}/${enc(v.uuid)}`);
      await asOwner(fixture.emu, "DELETE", `${environmentsPath()}/${enc(environment.uuid)}`);
      await asOwner(fixture.emu, "DELETE", `/workspaces/${ws}/pipelines-config/variables/${enc(wsVar.uuid)}`);
    }
  });

  test("import declares the pipelines switch, the variables (a secured value from a secret stack config key, never written) and the environments", async () => {
    await asOwner(fixture.emu, "PUT", `${repoPath()}/pipelines_config`, { enabled: true });
    const secured = (await asOwner(fixture.emu, "POST", variablesPath(), { key: "NPM_TOKEN", value: SECRET, secured: true })).body;
    const plain = (await asOwner(fixture.emu, "POST", variablesPath(), { key: "REGION", value: "eu" })).body;
    const environment = (
      await asOwner(fixture.emu, "POST", environmentsPath(), {
        name: "Production",
        environment_type: { name: "Production" },
        restrictions: { admin_only: true },
      })
    ).body;
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "bb-import-pipelines-"));
    try {
      let stderr = "";
      const code = await runImport(
        { workspace: ws, project: [], match: [String(fixture.repoState.slug)], packageSpec: "^0.1.0", out, force: true },
        {
          stdout: { write: () => undefined },
          stderr: { write: (t: string) => (stderr += t) },
          env: { BITBUCKET_API_URL: fixture.emu.apiUrl, BITBUCKET_EMAIL: CREDENTIALS.owner.username, BITBUCKET_API_TOKEN: CREDENTIALS.owner.password },
        },
      );
      expect(code).toBe(0);
      const program = fs.readFileSync(path.join(out, "index.ts"), "utf8");
      const slug = String(fixture.repoState.slug);
      expect(program).toContain(`new bitbucket.PipelinesConfig("${slug}-pipelines", {`);
      expect(program).toMatch(
        new RegExp(
          `new bitbucket.RepositoryVariable\\("${slug}-variable-npm_token", \\{[^}]*key: "NPM_TOKEN",\\s*value: config.requireSecret\\("${slug}-variable-npm_token-secret"\\),\\s*secured: true`,
        ),
      );
      expect(program).toMatch(/key: "REGION",\s*value: "eu",\s*secured: false/);
      expect(program).toMatch(/new bitbucket.DeploymentEnvironment\([^]*name: "Production",\s*environmentType: "Production",\s*rank: 0,\s*adminOnly: true/);
      const readme = fs.readFileSync(path.join(out, "README.md"), "utf8");
      expect(readme).toContain(`pulumi config set --secret ${slug}-variable-npm_token-secret`);
      for (const file of fs.readdirSync(out)) expect(fs.readFileSync(path.join(out, file), "utf8")).not.toContain(SECRET);
      expect(stderr).not.toContain(SECRET);
      expect(stderr).toMatch(/1 pipelines configurations, 0 pipelines known hosts, 2 repository variables, 1 deployment environments/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
      await asOwner(fixture.emu, "PUT", `${repoPath()}/pipelines_config`, { enabled: false });
      for (const v of [secured, plain]) await asOwner(fixture.emu, "DELETE", `${variablesPath()}/${enc(v.uuid)}`);
      await asOwner(fixture.emu, "DELETE", `${environmentsPath()}/${enc(environment.uuid)}`);
    }
  });
});
