import { CREDENTIALS, GROUPS, REPOSITORIES, WORKSPACES } from "../../emulator";
import { configure } from "../../provider/runtime";
import { asOwner, checked, create, enc, ownerConfig, provider, refreshAndDiff, refreshCost, emulatorWithRepository } from "./helpers";

const fixture = emulatorWithRepository("Guarded");

const p = provider("GroupPermission");
const ws = WORKSPACES.acme.slug;
const permPath = (group: string) => `/repositories/${ws}/${enc(fixture.repoId)}/permissions-config/groups/${group}`;

test("lifecycle: create (PUT), read, no-op diff, update, delete, read reports it gone", async () => {
  const args = { workspace: ws, repository: fixture.repoId, groupSlug: GROUPS.contractors, permission: "read" };
  const { id, outs } = await create("GroupPermission", args);
  expect(id).toBe(`${ws}/${fixture.repoId}/contractors`);
  expect(outs).toEqual({ ...args, groupName: "Contractors", managedArguments: ["groupSlug", "permission", "repository", "workspace"] });
  expect((await asOwner(fixture.emu, "GET", permPath("contractors"))).body.permission).toBe("read");

  const { read, diff } = await refreshAndDiff("GroupPermission", id, outs, args);
  expect(read.props).toEqual(outs);
  expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });

  const news = await checked("GroupPermission", { ...args, permission: "write" });
  expect((await p.diff(id, outs, news)).changes).toBe(true);
  const { outs: after } = await p.update(id, outs, news);
  expect(after).toMatchObject({ permission: "write" });
  expect((await asOwner(fixture.emu, "GET", permPath("contractors"))).body.permission).toBe("write");

  const cost = await refreshCost(fixture.emu, "GroupPermission", id, after);
  expect(cost.calls).toBe(1);
  console.log(`refresh cost: GroupPermission = ${cost.calls} API call(s)`);

  await p.delete(id, after);
  expect((await asOwner(fixture.emu, "GET", permPath("contractors"))).status).toBe(404);
  expect(await p.read(id, after)).toEqual({});
});

test("drift in permission is seen; a grant removed by hand is gone on refresh", async () => {
  const args = { workspace: ws, repository: fixture.repoId, groupSlug: GROUPS.developers, permission: "write" };
  const { id, outs } = await create("GroupPermission", args);
  await asOwner(fixture.emu, "PUT", permPath("developers"), { permission: "admin" });
  const { read, diff } = await refreshAndDiff("GroupPermission", id, outs, args);
  expect(read.props).toMatchObject({ permission: "admin" });
  expect(read.inputs).toMatchObject({ permission: "admin" });
  expect(diff?.changes).toBe(true);
  await asOwner(fixture.emu, "DELETE", permPath("developers"));
  expect(await p.read(id, outs)).toEqual({});
});

test("keeps working after the repository is renamed (addressed by UUID)", async () => {
  const args = { workspace: ws, repository: fixture.repoId, groupSlug: GROUPS.administrators, permission: "admin" };
  const { id, outs } = await create("GroupPermission", args);
  const { outs: renamed } = await provider("Repository").update(
    fixture.repoId,
    fixture.repoState,
    await checked("Repository", { workspace: ws, name: "Guarded Renamed" }),
  );
  fixture.repoState = renamed as Record<string, unknown>;
  const { read, diff } = await refreshAndDiff("GroupPermission", id, outs, args);
  expect(read.id).toBe(id);
  expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
  await p.delete(id, outs);
});

test("get reads by ID `workspace/repository/groupSlug`", async () => {
  const r = await p.read(`${ws}/${REPOSITORIES.platformApi.slug}/developers`, {});
  expect(r.props).toEqual({ workspace: ws, repository: REPOSITORIES.platformApi.slug, groupSlug: "developers", permission: "write", groupName: "Developers" });
});

test("a different group or repository replaces, deleting the old grant first", async () => {
  const olds = { workspace: ws, repository: fixture.repoId, groupSlug: "developers", permission: "read" };
  expect(await p.diff("x", olds, { ...olds, groupSlug: "contractors" })).toEqual({ changes: true, replaces: ["groupSlug"], deleteBeforeReplace: true });
  expect((await p.diff("x", olds, { ...olds, repository: "guarded-renamed" })).replaces).toEqual(["repository"]);
});

test("check: permission and group slug are validated with the allowed values", async () => {
  const r = await p.check({}, { workspace: ws, repository: "r", groupSlug: "Dev Team", permission: "owner" });
  expect(r.failures).toEqual([
    { property: "groupSlug", reason: expect.stringMatching(/groupSlug must be a group slug/) },
    { property: "permission", reason: 'permission must be one of read, write, admin (got "owner").' },
  ]);
});

test("auth failures: an access token cannot manage permissions; a non-admin member is refused", async () => {
  const args = await checked("GroupPermission", { workspace: ws, repository: fixture.repoId, groupSlug: "contractors", permission: "read" });
  try {
    configure({ "bitbucket:apiUrl": fixture.emu.apiUrl, "bitbucket:accessToken": CREDENTIALS.acmeAccessToken.token });
    await expect(p.create(args)).rejects.toThrow(/failed with 403: Access tokens cannot manage repository permissions.*use an API token or OAuth consumer/);
    configure({ "bitbucket:apiUrl": fixture.emu.apiUrl, "bitbucket:email": CREDENTIALS.alice.username, "bitbucket:apiToken": CREDENTIALS.alice.password });
    await expect(p.create(args)).rejects.toThrow(/failed with 403/);
    configure({ "bitbucket:apiUrl": fixture.emu.apiUrl, "bitbucket:email": CREDENTIALS.owner.username, "bitbucket:apiToken": "wrong" });
    await expect(p.create(args)).rejects.toThrow(/failed with 401: Invalid credentials.*check the credentials/);
  } finally {
    configure(ownerConfig(fixture.emu));
  }
});

test("an unknown group is a 404 with a hint", async () => {
  const args = await checked("GroupPermission", { workspace: ws, repository: fixture.repoId, groupSlug: "nobody", permission: "read" });
  await expect(p.create(args)).rejects.toThrow(/failed with 404: Group nobody not found.*does not exist or is not visible/);
});
