import { WORKSPACES } from "../../emulator";
import { asOwner, checked, create, enc, provider, refreshAndDiff, refreshCost, emulatorWithRepository } from "./helpers";

const fixture = emulatorWithRepository("Settled");

const p = provider("OverrideSettings");
const ws = WORKSPACES.acme.slug;
const path = () => `/repositories/${ws}/${enc(fixture.repoId)}/override-settings`;

test("lifecycle: create, read, update, and delete restores inheritance", async () => {
  const args = { workspace: ws, repository: fixture.repoId, defaultMergeStrategy: true };
  const { id, outs, inputs } = await create("OverrideSettings", args);
  expect(inputs).toMatchObject({ branchingModel: false });
  expect(id).toBe(`${ws}/${fixture.repoId}`);
  expect(outs).toEqual({
    workspace: ws,
    repository: fixture.repoId,
    defaultMergeStrategy: true,
    branchingModel: false,
    managedArguments: ["branchingModel", "defaultMergeStrategy", "repository", "workspace"],
  });
  expect((await asOwner(fixture.emu, "GET", path())).body.override_settings).toEqual({ default_merge_strategy: true, branching_model: false });

  const { read, diff } = await refreshAndDiff("OverrideSettings", id, outs, args);
  expect(read.props).toEqual(outs);
  expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });

  const { outs: after } = await p.update(id, outs, await checked("OverrideSettings", { ...args, branchingModel: true }));
  expect(after).toMatchObject({ defaultMergeStrategy: true, branchingModel: true });

  const cost = await refreshCost(fixture.emu, "OverrideSettings", id, after);
  expect(cost.calls).toBe(1);
  console.log(`refresh cost: OverrideSettings = ${cost.calls} API call(s)`);

  await p.delete(id, after);
  expect((await asOwner(fixture.emu, "GET", path())).body.override_settings).toEqual({ default_merge_strategy: false, branching_model: false });
});

test.each([
  ["defaultMergeStrategy", { default_merge_strategy: false }, { defaultMergeStrategy: false }],
  ["branchingModel", { branching_model: true }, { branchingModel: true }],
])("drift in %s is seen", async (_f, change, expected) => {
  const args = { workspace: ws, repository: fixture.repoId, defaultMergeStrategy: true, branchingModel: false };
  const { id, outs } = await create("OverrideSettings", args);
  await asOwner(fixture.emu, "PUT", path(), { override_settings: change });
  const { read, diff } = await refreshAndDiff("OverrideSettings", id, outs, args);
  expect(read.props).toMatchObject(expected);
  expect(diff?.changes).toBe(true);
  await p.delete(id, outs);
});

test("keeps working after the repository is renamed; a deleted repository reads as gone", async () => {
  const args = { workspace: ws, repository: fixture.repoId, branchingModel: true };
  const { id, outs } = await create("OverrideSettings", args);
  const repoP = provider("Repository");
  const { outs: renamed } = await repoP.update(fixture.repoId, fixture.repoState, await checked("Repository", { workspace: ws, name: "Settled Renamed" }));
  const { read, diff } = await refreshAndDiff("OverrideSettings", id, outs, args);
  expect(read.id).toBe(id);
  expect(diff?.changes).toBe(false);
  await repoP.delete(fixture.repoId, renamed as Record<string, unknown>);
  expect(await p.read(id, outs)).toEqual({});
  // Deleting after the repository went away does not fail.
  await expect(p.delete(id, outs)).resolves.toBeUndefined();
});

test("check: booleans only; a different repository replaces", async () => {
  const r = await p.check({}, { workspace: ws, repository: "r", branchingModel: "yes" });
  expect(r.failures).toEqual([{ property: "branchingModel", reason: 'branchingModel must be a boolean (got "yes").' }]);
  const olds = { workspace: ws, repository: "a", defaultMergeStrategy: false, branchingModel: false };
  expect(await p.diff("x", olds, { ...olds, repository: "b" })).toEqual({ changes: true, replaces: ["repository"], deleteBeforeReplace: true });
});
