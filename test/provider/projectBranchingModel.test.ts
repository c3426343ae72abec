import { PROJECTS, WORKSPACES } from "../../emulator";
import { modelOf } from "../../provider/resources/branchingModel";
import { asOwner, checked, clearCounters, create, Emulator, provider, refreshAndDiff, refreshCost, requests, startWithProvider } from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

const p = provider("ProjectBranchingModel");
const ws = WORKSPACES.acme.slug;
const key = PROJECTS.web.key;
const settingsPath = `/workspaces/${ws}/projects/${key}/branching-model/settings`;
const live = async () => (await asOwner(emu, "GET", settingsPath)).body;
const DEFAULTS = {
  developmentBranch: "",
  productionEnabled: false,
  productionBranch: "",
  branchTypes: { feature: "feature/", bugfix: "bugfix/", release: "release/", hotfix: "hotfix/" },
  defaultBranchDeletion: false,
};
const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: true };

test("lifecycle: any branch name, read with no diff, update, refresh cost, delete restores the defaults", async () => {
  // A project has no branches: any name is taken.
  const args = { workspace: ws, project: key, developmentBranch: "develop", productionBranch: "production", branchTypes: { feature: "feature/" } };
  const { id, outs } = await create("ProjectBranchingModel", args);
  expect(id).toBe(`${ws}/${key}`);
  expect(outs).toMatchObject({
    workspace: ws,
    project: key,
    developmentBranch: "develop",
    productionEnabled: true,
    productionBranch: "production",
    branchTypes: { feature: "feature/" },
  });
  expect((await live()).production).toEqual({ use_mainbranch: false, name: "production", enabled: true, is_valid: true });

  const { read, diff } = await refreshAndDiff("ProjectBranchingModel", id, outs, args);
  expect(read.props).toEqual(outs);
  expect(diff).toEqual(NO_CHANGE);

  const news = await checked("ProjectBranchingModel", { ...args, defaultBranchDeletion: true });
  const { outs: after } = await p.update(id, outs, news);
  expect(modelOf(await live()).defaultBranchDeletion).toBe(true);

  const cost = await refreshCost(emu, "ProjectBranchingModel", id, after);
  expect(cost.byRoute).toEqual({ "GET /workspaces/{workspace}/projects/{project_key}/branching-model/settings": 1 });
  console.log(`refresh cost: ProjectBranchingModel = ${cost.calls} API call(s)`);

  await p.delete(id, after);
  expect(modelOf(await live())).toEqual(DEFAULTS);
});

test("creation over the defaults with a program that sets nothing writes nothing", async () => {
  await clearCounters(emu);
  const { id, outs } = await create("ProjectBranchingModel", { workspace: ws, project: key });
  expect((await requests(emu)).filter((r) => r.method !== "GET")).toEqual([]);
  await p.delete(id, outs);
});

test.each([
  ["developmentBranch", { development: { use_mainbranch: false, name: "next" } }, { developmentBranch: "next" }],
  ["productionEnabled", { production: { enabled: true } }, { productionEnabled: true }],
  ["productionBranch", { production: { use_mainbranch: false, name: "prod" } }, { productionBranch: "prod" }],
  ["branchTypes", { branch_types: [{ kind: "hotfix", enabled: false }] }, { branchTypes: { feature: "feature/", bugfix: "bugfix/", release: "release/" } }],
  ["defaultBranchDeletion", { default_branch_deletion: "true" }, { defaultBranchDeletion: true }],
])("drift in %s is seen", async (_f, change, expected) => {
  const args = { workspace: ws, project: key };
  const { id, outs } = await create("ProjectBranchingModel", args);
  await asOwner(emu, "PUT", settingsPath, change);
  const { read, diff } = await refreshAndDiff("ProjectBranchingModel", id, outs, args);
  expect(read.props).toMatchObject(expected);
  expect(diff?.changes).toBe(true);
  await p.delete(id, outs);
});

test("renaming the project underneath changes nothing; a project that does not exist reads as gone", async () => {
  const { id: projectId, outs: projectState } = await create("Project", { workspace: ws, key: "BMREN", name: "Before" });
  const args = { workspace: ws, project: "BMREN", defaultBranchDeletion: true };
  const { id, outs } = await create("ProjectBranchingModel", args);
  const projectP = provider("Project");
  const { outs: renamed } = await projectP.update(projectId, projectState, await checked("Project", { workspace: ws, key: "BMREN", name: "After" }));
  const { read, diff } = await refreshAndDiff("ProjectBranchingModel", id, outs, args);
  expect(read.id).toBe(id);
  expect(diff).toEqual(NO_CHANGE);
  await projectP.delete(projectId, renamed as Record<string, unknown>);
  expect(await p.read(id, outs)).toEqual({});
  await expect(p.delete(id, outs)).resolves.toBeUndefined();
});

test("check refuses bad input at preview, naming the field; the project key replaces", async () => {
  const r = await p.check({}, { workspace: ws, project: "not a key", branchTypes: { epic: "epic/" } });
  expect(r.failures).toEqual([
    { property: "project", reason: expect.stringMatching(/^project must be a project key/) },
    { property: "branchTypes.epic", reason: "branchTypes.epic: epic is not a branch kind (the kinds: feature, bugfix, release, hotfix)." },
  ]);
  const bad = await p.check({}, { workspace: ws, project: "not a key", developmentBranch: "dev~1" });
  expect(bad.failures?.map((f) => f.property).sort()).toEqual(["developmentBranch", "project"]);
  const olds = { workspace: ws, project: "A", ...DEFAULTS };
  expect(await p.diff("x", olds, { ...olds, project: "B" })).toEqual({ changes: true, replaces: ["project"], deleteBeforeReplace: true });
});
