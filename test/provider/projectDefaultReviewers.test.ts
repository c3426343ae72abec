import { USERS, WORKSPACES } from "../../emulator";
import { asOwner, checked, create, Emulator, enc, FAST, provider, refreshAndDiff, refreshCost, startWithProvider, useOwner } from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

const p = provider("ProjectDefaultReviewers");
const ws = WORKSPACES.acme.slug;
const key = "WEB";
const listPath = `/workspaces/${ws}/projects/${key}/default-reviewers`;
const liveUuids = async () => ((await asOwner(emu, "GET", listPath)).body.values as { user: { uuid: string } }[]).map((r) => r.user.uuid).sort();
const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: true };

test("lifecycle: create, read as written (no perpetual diff), update, refresh cost, delete", async () => {
  const args = { workspace: ws, project: key, users: [USERS.bob.uuid, USERS.alice.account_id] };
  const { id, outs } = await create("ProjectDefaultReviewers", args);
  expect(id).toBe(`${ws}/${key}`);
  expect(outs).toEqual({
    workspace: ws,
    project: key,
    users: [USERS.alice.account_id, USERS.bob.uuid].sort(),
    managedArguments: ["project", "users", "workspace"],
  });
  expect(await liveUuids()).toEqual([USERS.alice.uuid, USERS.bob.uuid].sort());

  const { read, diff } = await refreshAndDiff("ProjectDefaultReviewers", id, outs, args);
  expect(read.props).toEqual(outs);
  expect(diff).toEqual(NO_CHANGE);

  const news = await checked("ProjectDefaultReviewers", { ...args, users: [USERS.acmeOwner.account_id] });
  const { outs: after } = await p.update(id, outs, news);
  expect(after).toMatchObject({ users: [USERS.acmeOwner.account_id] });
  expect(await liveUuids()).toEqual([USERS.acmeOwner.uuid]);

  const cost = await refreshCost(emu, "ProjectDefaultReviewers", id, after);
  expect(cost.byRoute).toEqual({ "GET /workspaces/{workspace}/projects/{project_key}/default-reviewers": 1 });
  console.log(`refresh cost: ProjectDefaultReviewers = ${cost.calls} API call(s)`);

  await p.delete(id, after);
  expect(await liveUuids()).toEqual([]);
});

test("a reviewer added by hand and one removed by hand are drift; up restores the list", async () => {
  const args = { workspace: ws, project: key, users: [USERS.alice.account_id] };
  const { id, outs } = await create("ProjectDefaultReviewers", args);
  await asOwner(emu, "PUT", `${listPath}/${enc(USERS.bob.account_id)}`);
  await asOwner(emu, "DELETE", `${listPath}/${enc(USERS.alice.uuid)}`);
  const { read, diff } = await refreshAndDiff("ProjectDefaultReviewers", id, outs, args);
  expect(read.props?.users).toEqual([USERS.bob.account_id]);
  expect(diff?.changes).toBe(true);
  await p.update(id, read.props!, await checked("ProjectDefaultReviewers", args));
  expect(await liveUuids()).toEqual([USERS.alice.uuid]);
  await p.delete(id, outs);
});

test("creation over reviewers set by hand removes the undeclared and reports them", async () => {
  const notices: string[] = [];
  useOwner(emu, { ...FAST, notify: (m) => notices.push(m) });
  try {
    await asOwner(emu, "PUT", `${listPath}/${enc(USERS.bob.account_id)}`);
    const { id, outs } = await create("ProjectDefaultReviewers", { workspace: ws, project: key, users: [USERS.alice.account_id] });
    expect(notices).toEqual([
      expect.stringMatching(
        new RegExp(`^ProjectDefaultReviewers: project ${ws}/${key} already had default reviewers this resource removes \\(${USERS.bob.account_id}\\)`),
      ),
    ]);
    expect(await liveUuids()).toEqual([USERS.alice.uuid]);
    await p.delete(id, outs);
  } finally {
    useOwner(emu);
  }
});

test("renaming the project changes nothing; a deleted project reads as gone", async () => {
  const { id: projectId, outs: projectState } = await create("Project", { workspace: ws, key: "DRREN", name: "Before" });
  const args = { workspace: ws, project: "DRREN", users: [USERS.alice.account_id] };
  const { id, outs } = await create("ProjectDefaultReviewers", args);
  const projectP = provider("Project");
  const { outs: renamed } = await projectP.update(projectId, projectState, await checked("Project", { workspace: ws, key: "DRREN", name: "After" }));
  expect((await refreshAndDiff("ProjectDefaultReviewers", id, outs, args)).diff).toEqual(NO_CHANGE);
  await projectP.delete(projectId, renamed as Record<string, unknown>);
  expect(await p.read(id, outs)).toEqual({});
  await expect(p.delete(id, outs)).resolves.toBeUndefined();
});

test("check: a username and one user twice (account id and {uuid}) are refused, naming users", async () => {
  const bad = await p.check({}, { workspace: ws, project: key, users: ["alice"] });
  expect(bad.failures?.map((f) => f.property)).toEqual(["users.0"]);
  const twice = await p.check({}, { workspace: ws, project: key, users: [USERS.alice.account_id, USERS.alice.uuid] });
  expect(twice.failures?.[0].property).toMatch(/^users/);
  const olds = { workspace: ws, project: "A", users: [] };
  expect(await p.diff("x", olds, { ...olds, project: "B" })).toEqual({ changes: true, replaces: ["project"], deleteBeforeReplace: true });
});
