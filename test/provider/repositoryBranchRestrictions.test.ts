import { CREDENTIALS, GROUPS, USERS, WORKSPACES } from "../../emulator";
import { createClient } from "../../provider/client";
import type { ManagedResource } from "../../provider/drift/compare";
import { findUnmanaged } from "../../provider/drift/unmanaged";
import { UNKNOWN } from "../../provider/resources/common";
import { discovery } from "../../provider/resources/repositoryBranchRestrictions";
import { asOwner, checked, create, enc, provider, refreshAndDiff, refreshCost, script, emulatorWithRepository } from "./helpers";

const fixture = emulatorWithRepository("Protected");

const p = provider("RepositoryBranchRestrictions");
const ws = WORKSPACES.acme.slug;
const listPath = () => `/repositories/${ws}/${enc(fixture.repoId)}/branch-restrictions`;
const onePath = (id: unknown) => `${listPath()}/${String(id)}`;
const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: true };
const UPDATE = { changes: true, replaces: [], deleteBeforeReplace: true };

interface LiveRule {
  id: number;
  kind: string;
  pattern: string;
  branch_type?: string;
  value?: number;
  users: { uuid: string }[];
  groups: { slug: string }[];
}
const live = async () => (await asOwner(fixture.emu, "GET", `${listPath()}?pagelen=100`)).body.values as LiveRule[];
const liveKeys = async () => (await live()).map((r) => `${r.kind} on ${r.branch_type ? `${r.branch_type} branches` : r.pattern}`).sort();

/** `main` protected as a platform team does it. */
const MAIN = [
  { kind: "force", pattern: "main" },
  { kind: "delete", pattern: "main" },
  { kind: "require_approvals_to_merge", pattern: "main", value: 2 },
  { kind: "require_passing_builds_to_merge", pattern: "main", value: 1 },
  { kind: "push", pattern: "main", users: [USERS.alice.account_id], groups: [GROUPS.developers] },
  { kind: "require_default_reviewer_approvals_to_merge", branchMatchKind: "branching_model", branchType: "production", value: 1 },
];
const args = (restrictions: unknown[] = MAIN) => ({ workspace: ws, repository: fixture.repoId, restrictions });

describe("RepositoryBranchRestrictions lifecycle", () => {
  test("create, read as written (no perpetual diff), reordering changes nothing, update, refresh cost, delete", async () => {
    const { id, outs, inputs } = await create("RepositoryBranchRestrictions", args());
    expect(id).toBe(`${ws}/${fixture.repoId}`);
    expect(Object.keys(inputs.restrictions as object)).toEqual([
      "delete on main",
      "force on main",
      "push on main",
      "require_approvals_to_merge on main",
      "require_default_reviewer_approvals_to_merge on production branches",
      "require_passing_builds_to_merge on main",
    ]);
    expect((outs.restrictions as Record<string, unknown>)["push on main"]).toEqual({
      kind: "push",
      branchMatchKind: "glob",
      pattern: "main",
      users: [USERS.alice.account_id],
      groups: [GROUPS.developers],
    });
    expect((outs.restrictions as Record<string, unknown>)["force on main"]).toEqual({ kind: "force", branchMatchKind: "glob", pattern: "main" });
    expect(Object.keys(outs.restrictionIds as object)).toHaveLength(6);
    expect(await liveKeys()).toEqual(Object.keys(inputs.restrictions as object).sort());

    const { read, diff } = await refreshAndDiff("RepositoryBranchRestrictions", id, outs, args());
    expect(read.props).toEqual(outs);
    expect(diff).toEqual(NO_CHANGE);
    expect((await p.diff(id, outs, await checked("RepositoryBranchRestrictions", args([...MAIN].reverse())))).changes).toBe(false);

    // Loosened: one approval; force pushes allowed again.
    const looser = [
      ...MAIN.filter((r) => r.kind !== "force" && r.kind !== "require_approvals_to_merge"),
      { kind: "require_approvals_to_merge", pattern: "main", value: 1 },
    ];
    const news = await checked("RepositoryBranchRestrictions", args(looser));
    expect(await p.diff(id, outs, news)).toEqual(UPDATE);
    const { outs: after } = await p.update(id, outs, news);
    expect((after.restrictions as Record<string, { value?: number }>)["require_approvals_to_merge on main"].value).toBe(1);
    expect(await liveKeys()).not.toContain("force on main");

    const cost = await refreshCost(fixture.emu, "RepositoryBranchRestrictions", id, after);
    expect(cost.calls).toBe(1);
    expect(cost.byRoute).toEqual({ "GET /repositories/{workspace}/{repo_slug}/branch-restrictions": 1 });
    console.log(`refresh cost: RepositoryBranchRestrictions = ${cost.calls} API call(s) for ${looser.length} rules`);

    await p.delete(id, after);
    expect(await live()).toEqual([]);
  });

  test("workspace and repository replace (the old rules removed first); restrictions update in place", async () => {
    const olds = { workspace: ws, repository: fixture.repoId, repositoryUuid: fixture.repoId, restrictions: {} };
    const replaces = async (patch: Record<string, unknown>) => (await p.diff(`${ws}/${fixture.repoId}`, olds, { ...olds, ...patch })).replaces;
    expect(await replaces({ repository: "other" })).toEqual(["repository"]);
    expect(await replaces({ workspace: "globex" })).toEqual(["workspace"]);
    expect(await p.diff(`${ws}/${fixture.repoId}`, olds, await checked("RepositoryBranchRestrictions", args([{ kind: "force", pattern: "*" }])))).toEqual(
      UPDATE,
    );
  });

  test("creation over rules set by hand takes them over: undeclared ones deleted, a declared one updated, no duplicate", async () => {
    await asOwner(fixture.emu, "POST", listPath(), { kind: "force", pattern: "main", branch_match_kind: "glob" });
    await asOwner(fixture.emu, "POST", listPath(), { kind: "require_approvals_to_merge", pattern: "main", branch_match_kind: "glob", value: 5 });
    const { id, outs } = await create("RepositoryBranchRestrictions", args([{ kind: "require_approvals_to_merge", pattern: "main", value: 2 }]));
    expect(await liveKeys()).toEqual(["require_approvals_to_merge on main"]);
    expect((await live())[0].value).toBe(2);
    await p.delete(id, outs);
  });

  test("a POST whose answer is lost: the rule it made is found and kept, not made twice", async () => {
    await script(fixture.emu, [{ method: "POST", pathPrefix: listPath(), lostResponse: true }]);
    const { id, outs } = await create("RepositoryBranchRestrictions", args([{ kind: "force", pattern: "lost" }]));
    expect((await live()).map((r) => r.id)).toEqual(Object.values(outs.restrictionIds as object));
    expect(await liveKeys()).toEqual(["force on lost"]);
    await p.delete(id, outs);
  });
});

describe("RepositoryBranchRestrictions drift", () => {
  const base = [
    { kind: "force", pattern: "main" },
    { kind: "require_approvals_to_merge", pattern: "main", value: 2 },
    { kind: "push", pattern: "main", users: [USERS.alice.uuid] },
  ];
  const byKind = async (kind: string) => (await live()).find((r) => r.kind === kind)!;

  test.each([
    ["a rule removed", async () => void (await asOwner(fixture.emu, "DELETE", onePath((await byKind("force")).id))), "force on main", undefined],
    [
      "a rule loosened (value changed)",
      async () => void (await asOwner(fixture.emu, "PUT", onePath((await byKind("require_approvals_to_merge")).id), { value: 1 })),
      "require_approvals_to_merge on main",
      { kind: "require_approvals_to_merge", branchMatchKind: "glob", pattern: "main", value: 1 },
    ],
    [
      "an exemption added (by account id)",
      async () =>
        void (await asOwner(fixture.emu, "PUT", onePath((await byKind("push")).id), {
          users: [{ uuid: USERS.alice.uuid }, { account_id: USERS.bob.account_id }],
        })),
      "push on main",
      { kind: "push", branchMatchKind: "glob", pattern: "main", users: [USERS.alice.uuid, USERS.bob.account_id].sort(), groups: [] },
    ],
    [
      "an exemption removed",
      async () => void (await asOwner(fixture.emu, "PUT", onePath((await byKind("push")).id), { users: [] })),
      "push on main",
      { kind: "push", branchMatchKind: "glob", pattern: "main", users: [], groups: [] },
    ],
    [
      "a group exempted",
      async () => void (await asOwner(fixture.emu, "PUT", onePath((await byKind("push")).id), { groups: [{ slug: GROUPS.developers }] })),
      "push on main",
      { kind: "push", branchMatchKind: "glob", pattern: "main", users: [USERS.alice.uuid], groups: [GROUPS.developers] },
    ],
    [
      "a rule added",
      async () => void (await asOwner(fixture.emu, "POST", listPath(), { kind: "delete", branch_match_kind: "branching_model", branch_type: "release" })),
      "delete on release branches",
      { kind: "delete", branchMatchKind: "branching_model", branchType: "release" },
    ],
  ])("%s by hand is drift on the rule's key, and update restores the program's rules", async (_what, byHand, key, liveRule) => {
    const { id, outs } = await create("RepositoryBranchRestrictions", args(base));
    const before = await liveKeys();
    await byHand();
    const { read, diff } = await refreshAndDiff("RepositoryBranchRestrictions", id, outs, args(base));
    expect((read.props!.restrictions as Record<string, unknown>)[key]).toEqual(liveRule);
    expect(diff).toEqual(UPDATE);
    const { outs: after } = await p.update(id, read.props!, await checked("RepositoryBranchRestrictions", args(base)));
    expect(after.restrictions).toEqual(outs.restrictions);
    expect(await liveKeys()).toEqual(before);
    expect((await refreshAndDiff("RepositoryBranchRestrictions", id, after, args(base))).diff).toEqual(NO_CHANGE);
    await p.delete(id, after);
    expect(await live()).toEqual([]);
  });
});

describe("RepositoryBranchRestrictions and renames", () => {
  test("created through the slug, it keeps working after the repository is renamed (addressed by UUID, no replace)", async () => {
    const bySlug = { workspace: ws, repository: String(fixture.repoState.slug), restrictions: [{ kind: "force", pattern: "main" }] };
    const { id, outs } = await create("RepositoryBranchRestrictions", bySlug);
    expect(id).toBe(`${ws}/${fixture.repoId}`);
    const { outs: renamed } = await provider("Repository").update(
      fixture.repoId,
      fixture.repoState,
      await checked("Repository", { workspace: ws, name: "Protected Renamed" }),
    );
    fixture.repoState = renamed as Record<string, unknown>;
    expect(fixture.repoState.slug).toBe("protected-renamed");
    const { read, diff } = await refreshAndDiff("RepositoryBranchRestrictions", id, outs, bySlug);
    expect(read.id).toBe(id);
    expect(diff).toEqual(NO_CHANGE);
    await p.delete(id, outs);
    expect(await live()).toEqual([]);
  });

  test("get by workspace/{repository uuid} reads every rule, exempted users by account id", async () => {
    const { id, outs } = await create("RepositoryBranchRestrictions", args([{ kind: "push", pattern: "*", users: [USERS.bob.uuid] }]));
    const read = await p.read(id, undefined);
    expect(read.props).toMatchObject({
      workspace: ws,
      repositoryUuid: fixture.repoId,
      restrictions: { "push on *": { kind: "push", branchMatchKind: "glob", pattern: "*", users: [USERS.bob.account_id], groups: [] } },
    });
    await p.delete(id, outs);
  });
});

describe("RepositoryBranchRestrictions check", () => {
  const failuresOf = async (restrictions: unknown) => (await p.check({}, { workspace: ws, repository: "some-repo", restrictions })).failures;

  test.each([
    [[{ kind: "pushy", pattern: "main" }], "restrictions.0.kind", /must be one of push, delete/],
    [[{ kind: "force" }], "restrictions.0.pattern", /is required when branchMatchKind is "glob"/],
    [[{ kind: "force", pattern: "main", branchType: "release" }], "restrictions.0.branchType", /only allowed with branchMatchKind: "branching_model"/],
    [
      [
        { kind: "force", pattern: "main" },
        { kind: "delete", pattern: "main", value: 2 },
      ],
      "restrictions.1.value",
      /kind delete takes no value/,
    ],
    [[{ kind: "require_approvals_to_merge", pattern: "main" }], "restrictions.0.value", /is required for kind require_approvals_to_merge/],
    [[{ kind: "force", pattern: "main", users: [USERS.bob.account_id] }], "restrictions.0.users", /kind force has no exemptions/],
    [[{ kind: "push", pattern: "main", users: ["bob"] }], "restrictions.0.users.0", /never a username/],
    [[{ kind: "push", pattern: "main", colour: "red" }], "restrictions.0", /colour/],
  ])("%j fails on %s", async (restrictions, property, reason) => {
    expect(await failuresOf(restrictions)).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  test("two entries of one kind and match are refused, naming both", async () => {
    const failures = await failuresOf([
      { kind: "force", pattern: "main" },
      { kind: "delete", pattern: "main" },
      { kind: "force", pattern: "main" },
    ]);
    expect(failures).toEqual([{ property: "restrictions.2", reason: expect.stringMatching(/second "force on main" \(restrictions\.0 is the first\)/) }]);
  });

  test("one user exempted by account id and in another case is refused", async () => {
    const failures = await failuresOf([{ kind: "push", pattern: "main", users: [USERS.bob.uuid, USERS.bob.uuid.toUpperCase()] }]);
    expect(failures).toEqual([{ property: "restrictions", reason: expect.stringMatching(/^"push on main": users names one user twice/) }]);
  });

  test("an unknown list at preview passes, to be checked once known", async () => {
    const r = await p.check({}, { workspace: ws, repository: "some-repo", restrictions: UNKNOWN });
    expect(r.failures).toBeUndefined();
  });
});

describe("RepositoryBranchRestrictions in drift reports", () => {
  test("a differing field is named by its rule, the longest key it starts with (a pattern may hold dots)", () => {
    const outputs = { restrictions: { "push on release/1": {}, "push on release/1.x": {} }, restrictionIds: { "force on main": 7 } };
    expect(discovery.describeField!("restrictions.push on release/1.x.users", outputs)).toEqual({ label: "branch restriction", id: "push on release/1.x" });
    expect(discovery.describeField!("restrictions.push on release/1.users", outputs)).toEqual({ label: "branch restriction", id: "push on release/1" });
    expect(discovery.describeField!("restrictions.force on main", outputs)).toEqual({ label: "branch restriction", id: "force on main" });
    expect(discovery.describeField!("workspace", outputs)).toBeUndefined();
  });
});

describe("RepositoryBranchRestrictions and the drift command's search", () => {
  test("it claims every restriction of its repository: none is listed as unmanaged there (they are its own diff)", async () => {
    const api = createClient({
      apiUrl: fixture.emu.apiUrl,
      credentials: { kind: "basic", email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password },
    }).api;
    const { id, outs } = await create("RepositoryBranchRestrictions", args([{ kind: "force", pattern: "main" }]));
    await asOwner(fixture.emu, "POST", listPath(), { kind: "delete", pattern: "by-hand" });
    const resource = (kind: string, outputs: Record<string, unknown>, rid = "x"): ManagedResource => ({
      urn: `urn:pulumi:prod::acme-infra::pulumi-nodejs:dynamic/bitbucket:${kind}::${kind.toLowerCase()}`,
      name: kind.toLowerCase(),
      type: `bitbucket:${kind}`,
      kind,
      status: "in sync",
      differences: [],
      live: { id: rid, custom: true, inputs: {}, outputs },
    });
    const repository = resource("Repository", { workspace: ws, uuid: fixture.repoId, slug: fixture.repoState.slug });
    const unmanaged = async (stack: ManagedResource[]) =>
      (await findUnmanaged(api, stack, { scope: "stack" })).filter((o) => o.kind === "branch restriction").map((o) => o.detail);
    expect((await unmanaged([repository])).sort()).toEqual(["delete on by-hand", "force on main"]);
    expect(await unmanaged([repository, resource("RepositoryBranchRestrictions", outs, id)])).toEqual([]);
    await p.delete(id, outs);
    expect(await liveKeys()).toEqual(["delete on by-hand"]);
    await asOwner(fixture.emu, "DELETE", onePath((await live())[0].id));
  });
});
