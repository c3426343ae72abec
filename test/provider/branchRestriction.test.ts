import { CREDENTIALS, GROUPS, USERS, WORKSPACES } from "../../emulator";
import { createClient } from "../../provider/client";
import type { ManagedResource } from "../../provider/drift/compare";
import { findUnmanaged } from "../../provider/drift/unmanaged";
import { UNKNOWN } from "../../provider/resources/common";
import { asOwner, checked, clearCounters, counters, create, enc, provider, refreshAndDiff, refreshCost, script, emulatorWithRepository } from "./helpers";

const fixture = emulatorWithRepository("Guarded", { earlierRun: true });

const p = provider("BranchRestriction");
const ws = WORKSPACES.acme.slug;
const listPath = () => `/repositories/${ws}/${enc(fixture.repoId)}/branch-restrictions`;
const onePath = (id: string) => `${listPath()}/${id}`;
const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: true };
const UPDATE = { changes: true, replaces: [], deleteBeforeReplace: true };

describe("BranchRestriction lifecycle", () => {
  test("create, read, no-op diff, update (exemptions), delete, read reports it gone", async () => {
    const args = {
      workspace: ws,
      repository: fixture.repoId,
      kind: "push",
      pattern: "main",
      users: [USERS.bob.uuid, USERS.alice.account_id],
      groups: [GROUPS.developers],
    };
    const { id, outs, inputs } = await create("BranchRestriction", args);
    expect(id).toMatch(/^\d+$/);
    expect(inputs.users).toEqual([USERS.alice.account_id, USERS.bob.uuid].sort());
    expect(outs).toEqual({
      workspace: ws,
      repository: fixture.repoId,
      repositoryUuid: fixture.repoId,
      kind: "push",
      branchMatchKind: "glob",
      pattern: "main",
      users: [USERS.alice.account_id, USERS.bob.uuid].sort(),
      groups: [GROUPS.developers],
      restrictionId: Number(id),
      managedArguments: ["branchMatchKind", "groups", "kind", "pattern", "repository", "users", "workspace"],
    });
    const live = (await asOwner(fixture.emu, "GET", onePath(id))).body;
    expect(live.users.map((u: { uuid: string }) => u.uuid).sort()).toEqual([USERS.alice.uuid, USERS.bob.uuid].sort());

    // The API answers accounts: read back as the program spells them, so no perpetual diff.
    const { read, diff } = await refreshAndDiff("BranchRestriction", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual(NO_CHANGE);
    // Order does not matter.
    expect((await p.diff(id, outs, await checked("BranchRestriction", { ...args, users: [...args.users].reverse() }))).changes).toBe(false);

    const news = await checked("BranchRestriction", { ...args, users: [USERS.alice.uuid], groups: [] });
    expect(await p.diff(id, outs, news)).toEqual(UPDATE);
    const { outs: after } = await p.update(id, outs, news);
    expect(after).toMatchObject({ users: [USERS.alice.uuid], groups: [], restrictionId: Number(id) });

    const cost = await refreshCost(fixture.emu, "BranchRestriction", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: BranchRestriction = ${cost.calls} API call(s)`);

    await p.delete(id, after);
    expect((await asOwner(fixture.emu, "GET", onePath(id))).status).toBe(404);
    expect(await p.read(id, after)).toEqual({});
  });

  test("a kind with a value, matched by branch type; the value updates in place", async () => {
    const args = {
      workspace: ws,
      repository: fixture.repoId,
      kind: "require_approvals_to_merge",
      branchMatchKind: "branching_model",
      branchType: "production",
      value: 2,
    };
    const { id, outs } = await create("BranchRestriction", args);
    expect(outs).toMatchObject({ branchMatchKind: "branching_model", branchType: "production", value: 2 });
    expect(outs).not.toHaveProperty("pattern");
    expect((await refreshAndDiff("BranchRestriction", id, outs, args)).diff).toEqual(NO_CHANGE);
    const { outs: after } = await p.update(id, outs, await checked("BranchRestriction", { ...args, value: 3 }));
    expect(after).toMatchObject({ value: 3 });
    expect((await asOwner(fixture.emu, "GET", onePath(id))).body.value).toBe(3);
    await p.delete(id, after);
  });

  test("kind, match kind, pattern, branch type, repository and workspace replace (deleted first)", async () => {
    const olds = {
      workspace: ws,
      repository: fixture.repoId,
      kind: "delete",
      branchMatchKind: "glob",
      pattern: "main",
      users: [],
      groups: [],
      restrictionId: 1,
    };
    const replaces = async (patch: Record<string, unknown>) => (await p.diff("1", olds, { ...olds, ...patch })).replaces;
    expect(await replaces({ kind: "force" })).toEqual(["kind"]);
    expect(await replaces({ pattern: "develop" })).toEqual(["pattern"]);
    expect(await replaces({ branchMatchKind: "branching_model", pattern: undefined, branchType: "production" })).toEqual([
      "branchMatchKind",
      "pattern",
      "branchType",
    ]);
    expect(await replaces({ repository: "elsewhere" })).toEqual(["repository"]);
    expect((await p.diff("1", olds, { ...olds, kind: "force" })).deleteBeforeReplace).toBe(true);
  });
});

describe("BranchRestriction drift", () => {
  const args = {
    workspace: ws,
    repository: fixture.repoId,
    kind: "restrict_merges",
    pattern: "release/*",
    users: [USERS.alice.account_id],
    groups: [GROUPS.administrators],
  };
  let id: string;
  let state: Record<string, unknown>;
  beforeAll(async () => {
    ({ id, outs: state } = await create("BranchRestriction", { ...args, repository: fixture.repoId }));
  });
  afterAll(() => p.delete(id, state));

  test.each([
    [
      "an exemption added by hand",
      { users: [{ account_id: USERS.alice.account_id }, { uuid: USERS.bob.uuid }] },
      { users: [USERS.alice.account_id, USERS.bob.account_id].sort() },
    ],
    ["an exempted user removed by hand", { users: [] }, { users: [] }],
    ["groups", { groups: [{ slug: GROUPS.developers }] }, { groups: [GROUPS.developers] }],
  ])("drift in %s is seen and corrected", async (_name, change, expected) => {
    const program = { ...args, repository: fixture.repoId };
    expect((await asOwner(fixture.emu, "PUT", onePath(id), change)).status).toBe(200);
    const { read, diff } = await refreshAndDiff("BranchRestriction", id, state, program);
    expect(read.props).toMatchObject(expected);
    expect(diff).toEqual(UPDATE);
    const { outs } = await p.update(id, read.props, await checked("BranchRestriction", program));
    state = outs as Record<string, unknown>;
    expect(state).toMatchObject({ users: [USERS.alice.account_id], groups: [GROUPS.administrators] });
    expect((await refreshAndDiff("BranchRestriction", id, state, program)).diff).toEqual(NO_CHANGE);
  });

  test("a value changed by hand is drift; a pattern changed by hand replaces", async () => {
    const valued = { workspace: ws, repository: fixture.repoId, kind: "require_passing_builds_to_merge", pattern: "main", value: 1 };
    const { id: vid, outs } = await create("BranchRestriction", valued);
    await asOwner(fixture.emu, "PUT", onePath(vid), { value: 0 });
    const byHand = await refreshAndDiff("BranchRestriction", vid, outs, valued);
    expect(byHand.read.props).toMatchObject({ value: 0 });
    expect(byHand.diff).toEqual(UPDATE);
    await asOwner(fixture.emu, "PUT", onePath(vid), { pattern: "master" });
    const moved = await refreshAndDiff("BranchRestriction", vid, outs, valued);
    expect(moved.read.props).toMatchObject({ pattern: "master" });
    expect(moved.diff?.replaces).toEqual(["pattern"]);
    await p.delete(vid, outs);
  });

  test("a restriction removed by hand reads as gone", async () => {
    const { id: gid, outs } = await create("BranchRestriction", { workspace: ws, repository: fixture.repoId, kind: "force", pattern: "gone" });
    await asOwner(fixture.emu, "DELETE", onePath(gid));
    expect(await p.read(gid, outs)).toEqual({});
  });
});

describe("BranchRestriction and renames", () => {
  test("created through the slug, it keeps working after the repository is renamed (addressed by UUID, no replace)", async () => {
    const args = { workspace: ws, repository: String(fixture.repoState.slug), kind: "delete", pattern: "rename-me" };
    const { id, outs } = await create("BranchRestriction", args);
    expect(outs.repositoryUuid).toBe(fixture.repoId);
    const repoP = provider("Repository");
    const { outs: renamed } = await repoP.update(fixture.repoId, fixture.repoState, await checked("Repository", { workspace: ws, name: "Guarded Renamed" }));
    fixture.repoState = renamed as Record<string, unknown>;
    expect(fixture.repoState.slug).toBe("guarded-renamed");
    const { read, diff } = await refreshAndDiff("BranchRestriction", id, outs, args);
    expect(read.id).toBe(id);
    expect(diff).toEqual(NO_CHANGE);
    await p.delete(id, outs);
    expect((await asOwner(fixture.emu, "GET", onePath(id))).status).toBe(404);
  });

  test("get by workspace/repository/id", async () => {
    const { id, outs } = await create("BranchRestriction", { workspace: ws, repository: fixture.repoId, kind: "force", pattern: "got" });
    const read = await p.read(`${ws}/${fixture.repoId}/${id}`, undefined);
    expect(read.props).toMatchObject({ kind: "force", pattern: "got", restrictionId: Number(id), repositoryUuid: fixture.repoId });
    await p.delete(id, outs);
  });
});

describe("BranchRestriction check", () => {
  const base = { workspace: ws, repository: "some-repo", kind: "delete", pattern: "main" };
  test.each([
    [{ kind: "forbid" }, "kind", /^kind must be one of push, delete, /],
    [{ pattern: undefined }, "pattern", /is required when branchMatchKind is "glob"/],
    [{ branchType: "production" }, "branchType", /only allowed with branchMatchKind: "branching_model"/],
    [{ branchMatchKind: "branching_model", pattern: undefined }, "branchType", /is required when branchMatchKind is "branching_model"/],
    [{ branchMatchKind: "branching_model", branchType: "production" }, "pattern", /only allowed with branchMatchKind: "glob"/],
    [{ branchMatchKind: "branching_model", pattern: undefined, branchType: "trunk" }, "branchType", /must be one of feature, bugfix/],
    [{ value: 2 }, "value", /^value: kind delete takes no value|kind delete takes no value/],
    [{ kind: "require_approvals_to_merge" }, "value", /is required for kind require_approvals_to_merge/],
    [{ kind: "require_commits_behind", value: 1.5 }, "value", /whole number/],
    [{ users: [USERS.alice.account_id] }, "users", /kind delete has no exemptions \(only push and restrict_merges do\)/],
    [{ groups: [GROUPS.developers] }, "groups", /kind delete has no exemptions/],
    [{ kind: "push", users: ["alice"] }, "users.0", /never a username/],
    [{ kind: "push", users: ["a/b"] }, "users.0", /account id/],
    [{ kind: "push", groups: ["Dev Team"] }, "groups.0", /group slug/],
    [{ repository: "../x" }, "repository", /./],
  ])("%j fails on %s", async (patch, property, reason) => {
    const r = await p.check({}, { ...base, ...patch });
    expect(r.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  test("one user named twice (account id and {uuid}, or a {uuid} in two cases) is refused: it would read back once, a perpetual diff", async () => {
    const push = { ...base, workspace: ws, kind: "push" };
    const spelledTwice = await p.check({}, { ...push, users: [USERS.alice.account_id, USERS.alice.uuid] });
    expect(spelledTwice.failures).toEqual([
      { property: "users", reason: expect.stringMatching(/^users names one user twice: .* are the same member of workspace acme/) },
    ]);
    const twoCases = await p.check({}, { ...push, users: [USERS.bob.uuid, USERS.bob.uuid.toUpperCase()] });
    expect(twoCases.failures).toEqual([{ property: "users", reason: expect.stringMatching(/differ only in case/) }]);
    expect((await p.check({}, { ...push, users: [USERS.alice.account_id, USERS.bob.uuid] })).failures).toBeUndefined();
  });

  test("push and restrict_merges default to no exemptions; other kinds leave them unset", async () => {
    expect((await p.check({}, { ...base, kind: "push" })).inputs).toMatchObject({ branchMatchKind: "glob", users: [], groups: [] });
    expect((await p.check({}, base)).inputs).not.toHaveProperty("users");
  });

  test("values unknown at preview pass", async () => {
    expect((await p.check({}, { ...base, kind: "require_approvals_to_merge", value: UNKNOWN })).failures).toBeUndefined();
    expect((await p.check({}, { ...base, pattern: UNKNOWN })).failures).toBeUndefined();
  });
});

describe("BranchRestriction creation never makes two", () => {
  const args = (pattern: string) => ({ workspace: ws, repository: fixture.repoId, kind: "push", pattern, users: [USERS.alice.account_id], groups: [] });
  const live = async (pattern: string) =>
    ((await asOwner(fixture.emu, "GET", `${listPath()}?pattern=${enc(pattern)}`)).body.values as any[]).filter((r) => r.kind === "push");
  const postsAndLists = async () => {
    const { byRoute } = await counters(fixture.emu);
    const route = "/repositories/{workspace}/{repo_slug}/branch-restrictions";
    return { posts: byRoute[`POST ${route}`] ?? 0, lists: byRoute[`GET ${route}`] ?? 0 };
  };

  test("a POST whose answer is lost: the rule it made is found and kept, not made twice", async () => {
    await script(fixture.emu, [{ method: "POST", pathPrefix: listPath(), lostResponse: true }]);
    await clearCounters(fixture.emu);
    const { id, outs } = await create("BranchRestriction", args("lost"));
    expect(await postsAndLists()).toEqual({ posts: 1, lists: 2 });
    expect((await live("lost")).map((r) => String(r.id))).toEqual([id]);
    await p.delete(id, outs);
  });

  test("an identical rule made by hand is taken over (its exemptions set to the program's), not refused", async () => {
    const made = (await asOwner(fixture.emu, "POST", listPath(), { kind: "push", pattern: "by-hand", users: [], groups: [{ slug: GROUPS.contractors }] })).body;
    const { id, outs } = await create("BranchRestriction", args("by-hand"));
    expect(id).toBe(String(made.id));
    expect(outs).toMatchObject({ users: [USERS.alice.account_id], groups: [] });
    expect((await live("by-hand")).length).toBe(1);
    await p.delete(id, outs);
  });
});

describe("BranchRestriction and the drift command's search", () => {
  test("a restriction no resource declares is listed as an unmanaged branch restriction; a declared one is claimed by its id", async () => {
    const api = createClient({
      apiUrl: fixture.emu.apiUrl,
      credentials: { kind: "basic", email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password },
    }).api;
    const { id, outs } = await create("BranchRestriction", { workspace: ws, repository: fixture.repoId, kind: "force", pattern: "declared" });
    const byHand = { kind: "push", pattern: "main", users: [{ uuid: USERS.alice.uuid }, { uuid: USERS.bob.uuid }], groups: [{ slug: GROUPS.developers }] };
    const unmanaged = (await asOwner(fixture.emu, "POST", listPath(), byHand)).body;
    const resource = (kind: string, outputs: Record<string, unknown>, rid = "x"): ManagedResource => ({
      urn: `urn:pulumi:prod::acme-infra::pulumi-nodejs:dynamic/bitbucket:${kind}::${kind.toLowerCase()}`,
      name: kind.toLowerCase(),
      type: `bitbucket:${kind}`,
      kind,
      status: "in sync",
      differences: [],
      live: { id: rid, custom: true, inputs: {}, outputs },
    });
    const stack = [
      resource("Repository", { workspace: ws, uuid: fixture.repoId, slug: fixture.repoState.slug }),
      resource("RepositoryAccess", { workspace: ws, repository: fixture.repoId }),
      resource("BranchRestriction", outs, id),
    ];
    // --scope stack: what hangs off the stack's repositories (this state names no project for the default scope).
    const found = (await findUnmanaged(api, stack, { scope: "stack" })).filter((o) => o.kind === "branch restriction");
    expect(found.map((o) => [o.id, o.detail])).toEqual([[String(unmanaged.id), "push on main: 2 users, 1 group exempt"]]);
    await asOwner(fixture.emu, "DELETE", onePath(String(unmanaged.id)));
    await p.delete(id, outs);
  });
});
