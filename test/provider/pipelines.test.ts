// PipelinesConfig, RepositoryVariable, WorkspaceVariable, DeploymentEnvironment and DeploymentVariable
// against the emulator: lifecycles, drift on every readable field, secured values kept only in the
// state (no perpetual diff), creations that never duplicate, a rename underneath, refresh costs.
import { WORKSPACES } from "../../emulator";
import {
  asOwner,
  checked,
  clearCounters,
  counters,
  create,
  Emulator,
  enc,
  FAST,
  provider,
  refreshAndDiff,
  refreshCost,
  script,
  startWithProvider,
  useOwner,
} from "./helpers";

let emu: Emulator;
let repoId: string;
let repoState: Record<string, unknown>;
beforeAll(async () => {
  emu = await startWithProvider();
  ({ id: repoId, outs: repoState } = await create("Repository", { workspace: WORKSPACES.acme.slug, name: "Piped" }));
});
afterAll(() => emu.stop());

const ws = WORKSPACES.acme.slug;
const repoPath = () => `/repositories/${ws}/${enc(repoId)}`;
const variablesPath = () => `${repoPath()}/pipelines_config/variables`;
const environmentsPath = () => `${repoPath()}/environments`;
const deploymentVariablesPath = (environment: string) => `${repoPath()}/deployments_config/environments/${enc(environment)}/variables`;
const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: true };

async function withNotices<T>(run: (notices: string[]) => Promise<T>): Promise<T> {
  const notices: string[] = [];
  useOwner(emu, { ...FAST, notify: (m) => notices.push(m) });
  try {
    return await run(notices);
  } finally {
    useOwner(emu);
  }
}

describe("PipelinesConfig", () => {
  const p = provider("PipelinesConfig");

  test("create enables Pipelines; a refresh sees it disabled by hand (drift); update restores; delete puts back what creation found", async () => {
    const args = { workspace: ws, repository: String(repoState.slug), enabled: true };
    const { id, outs } = await create("PipelinesConfig", args);
    expect(id).toBe(`${ws}/${repoId}`);
    expect(outs).toMatchObject({ enabled: true, enabledBefore: false, repositoryUuid: repoId });
    expect((await asOwner(emu, "GET", `${repoPath()}/pipelines_config`)).body.enabled).toBe(true);

    const { read, diff } = await refreshAndDiff("PipelinesConfig", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual(NO_CHANGE);

    await asOwner(emu, "PUT", `${repoPath()}/pipelines_config`, { enabled: false });
    const drifted = await refreshAndDiff("PipelinesConfig", id, outs, args);
    expect(drifted.read.props).toMatchObject({ enabled: false });
    expect(drifted.diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    const { outs: after } = await p.update(id, drifted.read.props!, await checked("PipelinesConfig", args));
    expect((await asOwner(emu, "GET", `${repoPath()}/pipelines_config`)).body.enabled).toBe(true);

    const cost = await refreshCost(emu, "PipelinesConfig", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: PipelinesConfig = ${cost.calls} API call(s)`);

    await p.delete(id, after);
    expect((await asOwner(emu, "GET", `${repoPath()}/pipelines_config`)).body.enabled).toBe(false);
  });

  test("creation over a setting that already matches writes nothing", async () => {
    await asOwner(emu, "PUT", `${repoPath()}/pipelines_config`, { enabled: true });
    await clearCounters(emu);
    const { id, outs } = await create("PipelinesConfig", { workspace: ws, repository: repoId, enabled: true });
    expect((await counters(emu)).byRoute["PUT /repositories/{workspace}/{repo_slug}/pipelines_config"]).toBeUndefined();
    // Deleting leaves it as found: enabled.
    await p.delete(id, outs);
    expect((await asOwner(emu, "GET", `${repoPath()}/pipelines_config`)).body.enabled).toBe(true);
    await asOwner(emu, "PUT", `${repoPath()}/pipelines_config`, { enabled: false });
  });
});

describe("RepositoryVariable", () => {
  const p = provider("RepositoryVariable");
  const live = async () => (await asOwner(emu, "GET", variablesPath())).body.values as { uuid: string; key: string; value?: string; secured: boolean }[];

  test("lifecycle: create, read, no diff; drift on key and value is seen and restored; delete", async () => {
    const args = { workspace: ws, repository: repoId, key: "DEPLOY_ENV", value: "prod" };
    const { id, outs } = await create("RepositoryVariable", args);
    expect(id).toMatch(/^\{.+\}$/);
    expect(outs).toMatchObject({ workspace: ws, repository: repoId, repositoryUuid: repoId, key: "DEPLOY_ENV", value: "prod", secured: false, uuid: id });
    expect((await refreshAndDiff("RepositoryVariable", id, outs, args)).diff).toEqual(NO_CHANGE);

    for (const change of [{ value: "by-hand" }, { key: "RENAMED_BY_HAND" }]) {
      await asOwner(emu, "PUT", `${variablesPath()}/${enc(id)}`, change);
      const { read, diff } = await refreshAndDiff("RepositoryVariable", id, outs, args);
      expect(read.props).toMatchObject(change);
      expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
      await p.update(id, read.props!, await checked("RepositoryVariable", args));
      expect(await live()).toEqual([{ type: "pipeline_variable", uuid: id, key: "DEPLOY_ENV", value: "prod", secured: false }]);
    }

    const cost = await refreshCost(emu, "RepositoryVariable", id, outs);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: RepositoryVariable = ${cost.calls} API call(s)`);
    await p.delete(id, outs);
    expect(await live()).toEqual([]);
    expect(await p.read(id, outs)).toEqual({});
  });

  test("a secured value: kept in the state (never read), no perpetual diff; a new value is a change; secured changed by hand is drift (replace)", async () => {
    const args = { workspace: ws, repository: repoId, key: "API_TOKEN", value: "s3cr3t-1", secured: true };
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

    await asOwner(emu, "PUT", `${variablesPath()}/${enc(id)}`, { secured: false });
    const { diff } = await refreshAndDiff("RepositoryVariable", id, after, { ...args, value: "s3cr3t-2" });
    expect(diff).toEqual({ changes: true, replaces: ["secured"], deleteBeforeReplace: true });
    await p.delete(id, after);
  });

  test("a POST whose answer is lost: the retry meets 409 and the variable is taken over, not added twice", async () => {
    await script(emu, [{ method: "POST", pathPrefix: variablesPath(), lostResponse: true }]);
    await clearCounters(emu);
    const { id, outs } = await create("RepositoryVariable", { workspace: ws, repository: repoId, key: "LOST", value: "v", secured: true });
    expect((await counters(emu)).byRoute["POST /repositories/{workspace}/{repo_slug}/pipelines_config/variables"]).toBe(2);
    expect((await live()).map((v) => v.uuid)).toEqual([id]);
    await p.delete(id, outs);
  });

  test("a key already used by hand: taken over, set to the program's value, and said so", async () => {
    await withNotices(async (notices) => {
      const added = (await asOwner(emu, "POST", variablesPath(), { key: "HAND", value: "by-hand" })).body;
      const { id, outs } = await create("RepositoryVariable", { workspace: ws, repository: repoId, key: "HAND", value: "managed" });
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
    const bySlug = { workspace: ws, repository: String(repoState.slug), key: "RENAME", value: "v" };
    const { id, outs } = await create("RepositoryVariable", bySlug);
    const { outs: renamed } = await provider("Repository").update(repoId, repoState, await checked("Repository", { workspace: ws, name: "Piped Renamed" }));
    repoState = renamed as Record<string, unknown>;
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
    await asOwner(emu, "PUT", `${path}/${enc(id)}`, { value: "by-hand" });
    const { read, diff } = await refreshAndDiff("WorkspaceVariable", id, outs, args);
    expect(read.props).toMatchObject({ value: "by-hand" });
    expect(diff?.changes).toBe(true);
    await p.update(id, read.props!, await checked("WorkspaceVariable", args));
    expect((await asOwner(emu, "GET", `${path}/${enc(id)}`)).body.value).toBe("one");
    await p.delete(id, outs);
    expect((await asOwner(emu, "GET", path)).body.values).toEqual([]);
  });
});

describe("DeploymentEnvironment and DeploymentVariable", () => {
  const env = provider("DeploymentEnvironment");
  const dv = provider("DeploymentVariable");

  test("environment lifecycle: create, no diff, drift on name, rank and adminOnly restored by …/changes; the type replaces", async () => {
    const args = { workspace: ws, repository: repoId, name: "Production", environmentType: "Production", adminOnly: true };
    const { id, outs } = await create("DeploymentEnvironment", args);
    expect(outs).toMatchObject({
      workspace: ws,
      repository: repoId,
      repositoryUuid: repoId,
      name: "Production",
      environmentType: "Production",
      rank: 0,
      adminOnly: true,
      uuid: id,
    });
    expect((await refreshAndDiff("DeploymentEnvironment", id, outs, args)).diff).toEqual(NO_CHANGE);

    await asOwner(emu, "POST", `${environmentsPath()}/${enc(id)}/changes`, { name: "Prod (hand)", rank: 4, restrictions: { admin_only: false } });
    const { read, diff } = await refreshAndDiff("DeploymentEnvironment", id, outs, { ...args, rank: 0 });
    expect(read.props).toMatchObject({ name: "Prod (hand)", rank: 4, adminOnly: false });
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    await clearCounters(emu);
    const { outs: after } = await env.update(id, read.props!, await checked("DeploymentEnvironment", { ...args, rank: 0 }));
    expect((await counters(emu)).byRoute).toEqual({
      "POST /repositories/{workspace}/{repo_slug}/environments/{environment_uuid}/changes": 1,
      "GET /repositories/{workspace}/{repo_slug}/environments/{environment_uuid}": 1,
    });
    expect(after).toMatchObject({ name: "Production", rank: 0, adminOnly: true });

    expect((await env.diff(id, after, await checked("DeploymentEnvironment", { ...args, environmentType: "Staging" }))).replaces).toEqual(["environmentType"]);
    const cost = await refreshCost(emu, "DeploymentEnvironment", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: DeploymentEnvironment = ${cost.calls} API call(s)`);
    await env.delete(id, after);
    expect(await env.read(id, after)).toEqual({});
  });

  test("an environment name taken (a lost answer or by hand): taken over when of the same type, refused with a clear error otherwise", async () => {
    await script(emu, [{ method: "POST", pathPrefix: environmentsPath(), lostResponse: true }]);
    const { id, outs } = await create("DeploymentEnvironment", { workspace: ws, repository: repoId, name: "Staging", environmentType: "Staging" });
    expect((await asOwner(emu, "GET", environmentsPath())).body.values.map((e: { uuid: string }) => e.uuid)).toEqual([id]);
    const err = await env
      .create(await checked("DeploymentEnvironment", { workspace: ws, repository: repoId, name: "staging", environmentType: "Test" }))
      .catch((e: Error) => e);
    expect(String(err)).toMatch(/already has a Staging environment named "Staging" .*its type cannot change to Test/);
    await env.delete(id, outs);
  });

  test("deployment variables: lifecycle, secured value kept (no perpetual diff), drift on a readable value; gone with the environment", async () => {
    const { id: envId, outs: envOuts } = await create("DeploymentEnvironment", { workspace: ws, repository: repoId, name: "Test", environmentType: "Test" });
    const secured = { workspace: ws, repository: repoId, environment: envId, key: "DB_PASSWORD", value: "pr0d-s3cr3t", secured: true };
    const plain = { workspace: ws, repository: repoId, environment: envId, key: "REGION", value: "eu" };
    const a = await create("DeploymentVariable", secured);
    const b = await create("DeploymentVariable", plain);
    expect(a.outs).toMatchObject({ environment: envId.toLowerCase(), key: "DB_PASSWORD", secured: true, value: "pr0d-s3cr3t" });
    expect(JSON.stringify((await asOwner(emu, "GET", deploymentVariablesPath(envId))).body)).not.toContain("s3cr3t");
    expect((await refreshAndDiff("DeploymentVariable", a.id, a.outs, secured)).diff).toEqual(NO_CHANGE);
    expect((await refreshAndDiff("DeploymentVariable", b.id, b.outs, plain)).diff).toEqual(NO_CHANGE);

    await asOwner(emu, "PUT", `${deploymentVariablesPath(envId)}/${enc(b.id)}`, { value: "us" });
    const drift = await refreshAndDiff("DeploymentVariable", b.id, b.outs, plain);
    expect(drift.read.props).toMatchObject({ value: "us" });
    expect(drift.diff?.changes).toBe(true);
    await dv.update(b.id, drift.read.props!, await checked("DeploymentVariable", plain));

    const cost = await refreshCost(emu, "DeploymentVariable", a.id, a.outs);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: DeploymentVariable = ${cost.calls} API call(s) (the spec has no GET of one: its environment's list)`);

    await env.delete(envId, envOuts);
    expect(await dv.read(a.id, a.outs)).toEqual({});
    await dv.delete(a.id, a.outs);
  });

  test("an unknown environment: creation fails naming it", async () => {
    const args = { workspace: ws, repository: repoId, environment: "{0f8c2c1e-4b6e-4c2a-9d3e-2a1b3c4d5e6f}", key: "A", value: "s3cr3t-y", secured: true };
    const err = await dv.create(await checked("DeploymentVariable", args)).catch((e: Error) => e);
    expect(String(err)).toMatch(/404|not found/i);
    expect(String(err)).not.toContain("s3cr3t");
  });
});
