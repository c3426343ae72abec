import { USERS, WORKSPACES } from "../../emulator";
import { UNKNOWN } from "../../provider/resources/common";
import { asOwner, checked, create, enc, provider, refreshAndDiff, refreshCost, emulatorWithRepository } from "./helpers";

const fixture = emulatorWithRepository("Reviewed");

const p = provider("DefaultReviewers");
const ws = WORKSPACES.acme.slug;
const listPath = () => `/repositories/${ws}/${enc(fixture.repoId)}/default-reviewers`;
const onePath = (user: string) => `${listPath()}/${enc(user)}`;
const liveUuids = async () => ((await asOwner(fixture.emu, "GET", listPath())).body.values as { uuid: string }[]).map((u) => u.uuid).sort();
const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: true };
const UPDATE = { changes: true, replaces: [], deleteBeforeReplace: true };

describe("DefaultReviewers lifecycle", () => {
  test("create, read as written (no perpetual diff), order does not matter, update, refresh cost, delete", async () => {
    const args = { workspace: ws, repository: fixture.repoId, users: [USERS.bob.uuid, USERS.alice.account_id] };
    const { id, outs, inputs } = await create("DefaultReviewers", args);
    expect(id).toBe(`${ws}/${fixture.repoId}`);
    expect(inputs.users).toEqual([USERS.alice.account_id, USERS.bob.uuid].sort());
    expect(outs).toEqual({
      workspace: ws,
      repository: fixture.repoId,
      repositoryUuid: fixture.repoId,
      users: [USERS.alice.account_id, USERS.bob.uuid].sort(),
      managedArguments: ["repository", "users", "workspace"],
    });
    expect(await liveUuids()).toEqual([USERS.alice.uuid, USERS.bob.uuid].sort());

    // The API answers accounts: read back as the program spells them.
    const { read, diff } = await refreshAndDiff("DefaultReviewers", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual(NO_CHANGE);
    expect((await p.diff(id, outs, await checked("DefaultReviewers", { ...args, users: [...args.users].reverse() }))).changes).toBe(false);

    const news = await checked("DefaultReviewers", { ...args, users: [USERS.acmeOwner.account_id, USERS.alice.account_id] });
    expect(await p.diff(id, outs, news)).toEqual(UPDATE);
    const { outs: after } = await p.update(id, outs, news);
    expect(after).toMatchObject({ users: [USERS.acmeOwner.account_id, USERS.alice.account_id].sort() });
    expect(await liveUuids()).toEqual([USERS.acmeOwner.uuid, USERS.alice.uuid].sort());

    const cost = await refreshCost(fixture.emu, "DefaultReviewers", id, after);
    expect(cost.calls).toBe(1);
    expect(cost.byRoute).toEqual({ "GET /repositories/{workspace}/{repo_slug}/default-reviewers": 1 });
    console.log(`refresh cost: DefaultReviewers = ${cost.calls} API call(s)`);

    await p.delete(id, after);
    expect(await liveUuids()).toEqual([]);
  });

  test("workspace and repository replace (the old list removed first); users update in place", async () => {
    const olds = { workspace: ws, repository: fixture.repoId, repositoryUuid: fixture.repoId, users: [USERS.alice.account_id] };
    const replaces = async (patch: Record<string, unknown>) => (await p.diff(`${ws}/${fixture.repoId}`, olds, { ...olds, ...patch })).replaces;
    expect(await replaces({ repository: "other" })).toEqual(["repository"]);
    expect(await replaces({ workspace: "globex" })).toEqual(["workspace"]);
    expect(await p.diff(`${ws}/${fixture.repoId}`, olds, { ...olds, users: [] })).toEqual(UPDATE);
  });

  test("creation over reviewers set by hand takes the list over: undeclared ones removed, declared ones kept", async () => {
    await asOwner(fixture.emu, "PUT", onePath(USERS.bob.account_id));
    await asOwner(fixture.emu, "PUT", onePath(USERS.alice.account_id));
    const { id, outs } = await create("DefaultReviewers", { workspace: ws, repository: fixture.repoId, users: [USERS.alice.uuid] });
    expect(outs.users).toEqual([USERS.alice.uuid]);
    expect(await liveUuids()).toEqual([USERS.alice.uuid]);
    await p.delete(id, outs);
  });
});

describe("DefaultReviewers drift", () => {
  const args = () => ({ workspace: ws, repository: fixture.repoId, users: [USERS.alice.account_id] });

  test("a reviewer added by hand is drift (read by account id) and update removes it", async () => {
    const { id, outs } = await create("DefaultReviewers", args());
    await asOwner(fixture.emu, "PUT", onePath(USERS.bob.uuid));
    const { read, diff } = await refreshAndDiff("DefaultReviewers", id, outs, args());
    expect(read.props?.users).toEqual([USERS.alice.account_id, USERS.bob.account_id].sort());
    expect(diff).toEqual(UPDATE);
    const { outs: after } = await p.update(id, read.props!, await checked("DefaultReviewers", args()));
    expect(after.users).toEqual([USERS.alice.account_id]);
    expect(await liveUuids()).toEqual([USERS.alice.uuid]);
    expect((await refreshAndDiff("DefaultReviewers", id, after, args())).diff).toEqual(NO_CHANGE);
    await p.delete(id, after);
  });

  test("a reviewer removed by hand is drift and update restores it", async () => {
    const { id, outs } = await create("DefaultReviewers", args());
    await asOwner(fixture.emu, "DELETE", onePath(USERS.alice.account_id));
    const { read, diff } = await refreshAndDiff("DefaultReviewers", id, outs, args());
    expect(read.props?.users).toEqual([]);
    expect(diff).toEqual(UPDATE);
    const { outs: after } = await p.update(id, read.props!, await checked("DefaultReviewers", args()));
    expect(after.users).toEqual([USERS.alice.account_id]);
    expect(await liveUuids()).toEqual([USERS.alice.uuid]);
    await p.delete(id, after);
  });
});

describe("DefaultReviewers and renames", () => {
  test("created through the slug, it keeps working after the repository is renamed (addressed by UUID, no replace)", async () => {
    const args = { workspace: ws, repository: String(fixture.repoState.slug), users: [USERS.bob.account_id] };
    const { id, outs } = await create("DefaultReviewers", args);
    expect(id).toBe(`${ws}/${fixture.repoId}`);
    const repoP = provider("Repository");
    const { outs: renamed } = await repoP.update(fixture.repoId, fixture.repoState, await checked("Repository", { workspace: ws, name: "Reviewed Renamed" }));
    fixture.repoState = renamed as Record<string, unknown>;
    expect(fixture.repoState.slug).toBe("reviewed-renamed");
    const { read, diff } = await refreshAndDiff("DefaultReviewers", id, outs, args);
    expect(read.id).toBe(id);
    expect(diff).toEqual(NO_CHANGE);
    await p.delete(id, outs);
    expect(await liveUuids()).toEqual([]);
  });

  test("get by workspace/{repository uuid}", async () => {
    const { id, outs } = await create("DefaultReviewers", { workspace: ws, repository: fixture.repoId, users: [USERS.bob.uuid] });
    const read = await p.read(id, undefined);
    expect(read.props).toMatchObject({ workspace: ws, repositoryUuid: fixture.repoId, users: [USERS.bob.account_id] });
    await p.delete(id, outs);
  });
});

describe("DefaultReviewers check and errors", () => {
  const base = { workspace: ws, repository: "some-repo", users: [USERS.alice.account_id] };
  test.each([
    [{ users: ["alice"] }, "users.0", /never a username/],
    [{ users: ["a/b"] }, "users.0", /account id/],
    [{ users: undefined }, "users", /./],
    [{ repository: "../x" }, "repository", /./],
  ])("%j fails on %s", async (patch, property, reason) => {
    const r = await p.check({}, { ...base, ...patch });
    expect(r.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  test("one user named twice (account id and {uuid}) is refused: it would read back once, a perpetual diff", async () => {
    const r = await p.check({}, { ...base, workspace: ws, users: [USERS.alice.account_id, USERS.alice.uuid] });
    expect(r.failures).toEqual([{ property: "users", reason: expect.stringMatching(/^users names one user twice: /) }]);
    expect((await p.check({}, { ...base, users: [USERS.alice.account_id, USERS.bob.account_id] })).failures).toBeUndefined();
  });

  test("values unknown at preview pass", async () => {
    expect((await p.check({}, { ...base, users: UNKNOWN })).failures).toBeUndefined();
  });

  test("a user outside the workspace fails the update with Bitbucket's reason", async () => {
    await expect(create("DefaultReviewers", { workspace: ws, repository: fixture.repoId, users: [USERS.mallory.account_id] })).rejects.toThrow(
      /not a member of workspace acme/,
    );
  });
});
