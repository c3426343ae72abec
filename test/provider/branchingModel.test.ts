import { REPOSITORIES, WORKSPACES } from "../../emulator";
import { modelOf } from "../../provider/resources/branchingModel";
import { UNKNOWN } from "../../provider/resources/common";
import {
  asOwner,
  checked,
  clearCounters,
  create,
  enc,
  FAST,
  provider,
  refreshAndDiff,
  refreshCost,
  requests,
  useOwner,
  emulatorWithRepository,
} from "./helpers";

const fixture = emulatorWithRepository("Modelled");

const p = provider("BranchingModel");
const ws = WORKSPACES.acme.slug;
const settingsPath = (repo = fixture.repoId) => `/repositories/${ws}/${enc(repo)}/branching-model/settings`;
const live = async (repo = fixture.repoId) => (await asOwner(fixture.emu, "GET", settingsPath(repo))).body;
const DEFAULTS = {
  developmentBranch: "",
  productionEnabled: false,
  productionBranch: "",
  branchTypes: { feature: "feature/", bugfix: "bugfix/", release: "release/", hotfix: "hotfix/" },
  defaultBranchDeletion: false,
};
const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: true };

test("lifecycle: create, read with no diff, update, refresh cost, and delete restores Bitbucket's defaults", async () => {
  const args = { workspace: ws, repository: fixture.repoId, branchTypes: { feature: "feat/", hotfix: "hotfix/" }, defaultBranchDeletion: true };
  const { id, outs, inputs } = await create("BranchingModel", args);
  expect(id).toBe(`${ws}/${fixture.repoId}`);
  expect(inputs).toMatchObject({ developmentBranch: "", productionEnabled: false, productionBranch: "" });
  expect(outs).toEqual({
    workspace: ws,
    repository: fixture.repoId,
    repositoryUuid: fixture.repoId,
    ...DEFAULTS,
    branchTypes: { feature: "feat/", hotfix: "hotfix/" },
    defaultBranchDeletion: true,
    managedArguments: ["branchTypes", "defaultBranchDeletion", "developmentBranch", "productionBranch", "productionEnabled", "repository", "workspace"],
  });
  expect((await live()).branch_types).toEqual([
    { kind: "feature", prefix: "feat/", enabled: true },
    { kind: "bugfix", prefix: "bugfix/", enabled: false },
    { kind: "release", prefix: "release/", enabled: false },
    { kind: "hotfix", prefix: "hotfix/", enabled: true },
  ]);

  const { read, diff } = await refreshAndDiff("BranchingModel", id, outs, args);
  expect(read.props).toEqual(outs);
  expect(diff).toEqual(NO_CHANGE);

  const news = await checked("BranchingModel", { ...args, productionBranch: "main" });
  expect(news.productionEnabled).toBe(true);
  expect(await p.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
  const { outs: after } = await p.update(id, outs, news);
  expect(after).toMatchObject({ productionEnabled: true, productionBranch: "main" });
  expect((await live()).production).toEqual({ use_mainbranch: false, name: "main", enabled: true, is_valid: true });

  const cost = await refreshCost(fixture.emu, "BranchingModel", id, after);
  expect(cost.byRoute).toEqual({ "GET /repositories/{workspace}/{repo_slug}/branching-model/settings": 1 });
  console.log(`refresh cost: BranchingModel = ${cost.calls} API call(s)`);

  await p.delete(id, after);
  expect(modelOf(await live())).toEqual(DEFAULTS);
});

test("a program that sets nothing holds Bitbucket's defaults: creation over them writes nothing, and no diff follows", async () => {
  const args = { workspace: ws, repository: fixture.repoId };
  await clearCounters(fixture.emu);
  const { id, outs } = await create("BranchingModel", args);
  expect(outs).toMatchObject(DEFAULTS);
  expect((await requests(fixture.emu)).filter((r) => r.method !== "GET")).toEqual([]);
  const { diff } = await refreshAndDiff("BranchingModel", id, outs, args);
  expect(diff).toEqual(NO_CHANGE);
  await p.delete(id, outs);
});

test.each([
  ["developmentBranch", { development: { use_mainbranch: false, name: "main" } }, { developmentBranch: "main" }],
  ["productionEnabled", { production: { enabled: true } }, { productionEnabled: true }],
  ["productionBranch", { production: { use_mainbranch: false, name: "main", enabled: false } }, { productionBranch: "main" }],
  ["branchTypes (a prefix)", { branch_types: [{ kind: "bugfix", prefix: "fix/" }] }, { branchTypes: { ...DEFAULTS.branchTypes, bugfix: "fix/" } }],
  [
    "branchTypes (a type disabled)",
    { branch_types: [{ kind: "release", enabled: false }] },
    { branchTypes: { feature: "feature/", bugfix: "bugfix/", hotfix: "hotfix/" } },
  ],
  ["defaultBranchDeletion", { default_branch_deletion: "true" }, { defaultBranchDeletion: true }],
])("drift in %s is seen, and up puts it back", async (_f, change, expected) => {
  const args = { workspace: ws, repository: fixture.repoId };
  const { id, outs } = await create("BranchingModel", args);
  await asOwner(fixture.emu, "PUT", settingsPath(), change);
  const { read, diff } = await refreshAndDiff("BranchingModel", id, outs, args);
  expect(read.props).toMatchObject(expected);
  expect(diff?.changes).toBe(true);
  await p.update(id, read.props!, await checked("BranchingModel", args));
  expect(modelOf(await live())).toEqual(DEFAULTS);
  await p.delete(id, outs);
});

test("default_branch_deletion reads from a string or a boolean (the Terraform provider crashed on the string, its #234)", () => {
  for (const [answer, expected] of [
    ["true", true],
    ["false", false],
    [true, true],
    [false, false],
  ] as const)
    expect(modelOf({ default_branch_deletion: answer } as never).defaultBranchDeletion).toBe(expected);
});

test("a named development branch (the seed's develop) is set and read back", async () => {
  const repo = REPOSITORIES.platformApi.uuid;
  const args = { workspace: ws, repository: repo, developmentBranch: "develop" };
  const { id, outs } = await create("BranchingModel", args);
  expect((await live(repo)).development).toEqual({ use_mainbranch: false, name: "develop", is_valid: true });
  expect((await refreshAndDiff("BranchingModel", id, outs, args)).diff).toEqual(NO_CHANGE);
  await p.delete(id, outs);
  expect((await live(repo)).development).toEqual({ use_mainbranch: true, is_valid: true });
});

test("a model set by hand is taken over and reported; one at the defaults is taken over silently", async () => {
  const notices: string[] = [];
  useOwner(fixture.emu, { ...FAST, notify: (message) => notices.push(message) });
  try {
    const first = await create("BranchingModel", { workspace: ws, repository: fixture.repoId });
    await p.delete(first.id, first.outs);
    expect(notices).toEqual([]);
    await asOwner(fixture.emu, "PUT", settingsPath(), { default_branch_deletion: "true" });
    const { id, outs } = await create("BranchingModel", { workspace: ws, repository: fixture.repoId });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      new RegExp(`^BranchingModel: ${ws}/.* already had a branching model of its own .*"defaultBranchDeletion":true.*: taken over by this resource`),
    );
    expect(modelOf(await live()).defaultBranchDeletion).toBe(false);
    await p.delete(id, outs);
  } finally {
    useOwner(fixture.emu);
  }
});

test("keeps working after the repository is renamed (no replace); a deleted repository reads as gone", async () => {
  const args = { workspace: ws, repository: fixture.repoId, defaultBranchDeletion: true };
  const { id, outs } = await create("BranchingModel", args);
  const repoP = provider("Repository");
  const { outs: renamed } = await repoP.update(fixture.repoId, fixture.repoState, await checked("Repository", { workspace: ws, name: "Modelled Renamed" }));
  const { read, diff } = await refreshAndDiff("BranchingModel", id, outs, args);
  expect(read.id).toBe(id);
  expect(diff).toEqual(NO_CHANGE);
  await repoP.delete(fixture.repoId, renamed as Record<string, unknown>);
  expect(await p.read(id, outs)).toEqual({});
  await expect(p.delete(id, outs)).resolves.toBeUndefined();
});

describe("check refuses bad input at preview, naming the field", () => {
  const base = { workspace: ws, repository: "r" };
  test.each([
    [{ branchTypes: { chore: "chore/" } }, "branchTypes.chore", /chore is not a branch kind \(the kinds: feature, bugfix, release, hotfix\)/],
    [{ branchTypes: { feature: "" } }, "branchTypes.feature", /must be a branch prefix: it must not be empty/],
    [{ branchTypes: { bugfix: "bug fix/" } }, "branchTypes.bugfix", /must not contain spaces/],
    [{ branchTypes: { feature: "f/", hotfix: "f/hot/" } }, "branchTypes.hotfix", /must not begin with the feature prefix/],
    [{ developmentBranch: "a..b" }, "developmentBranch", /must be a branch name: it must not contain two dots in a row/],
    [{ productionBranch: "prod/" }, "productionBranch", /must not end with '\/'/],
    [{ defaultBranchDeletion: "true" }, "defaultBranchDeletion", /must be a boolean/],
  ])("%j", async (patch, property, reason) => {
    const r = await p.check({}, { ...base, ...patch });
    expect(r.failures?.map((f) => f.property)).toContain(property);
    expect(r.failures?.find((f) => f.property === property)?.reason).toMatch(reason);
  });

  test("productionEnabled defaults to true with a production branch, false without; an explicit false stays", async () => {
    expect((await p.check({}, { ...base, productionBranch: "prod" })).inputs.productionEnabled).toBe(true);
    expect((await p.check({}, base)).inputs.productionEnabled).toBe(false);
    expect((await p.check({}, { ...base, productionBranch: "prod", productionEnabled: false })).inputs.productionEnabled).toBe(false);
    expect((await p.check({}, { ...base, productionBranch: UNKNOWN })).inputs.productionEnabled).toBe(UNKNOWN);
  });

  test("workspace and repository replace, the old model reset first; the model updates in place", async () => {
    const olds = { ...base, repositoryUuid: "{x}", ...DEFAULTS };
    expect(await p.diff("x", olds, { ...olds, repository: "other" })).toEqual({ changes: true, replaces: ["repository"], deleteBeforeReplace: true });
    expect(await p.diff("x", olds, { ...olds, branchTypes: { feature: "feature/" } })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
  });
});
