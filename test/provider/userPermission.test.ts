import { REPOSITORIES, USERS, WORKSPACES } from "../../emulator";
import { asOwner, checked, create, enc, provider, refreshAndDiff, refreshCost, emulatorWithRepository } from "./helpers";

const fixture = emulatorWithRepository("People");

const p = provider("UserPermission");
const ws = WORKSPACES.acme.slug;
const permPath = (user: string) => `/repositories/${ws}/${enc(fixture.repoId)}/permissions-config/users/${enc(user)}`;

test("lifecycle by account id: create (PUT), read, no-op diff, update, delete, read reports it gone", async () => {
  const args = { workspace: ws, repository: fixture.repoId, user: USERS.bob.account_id, permission: "read" };
  const { id, outs } = await create("UserPermission", args);
  expect(id).toBe(`${ws}/${fixture.repoId}/${USERS.bob.account_id}`);
  expect(outs).toEqual({
    ...args,
    userUuid: USERS.bob.uuid,
    accountId: USERS.bob.account_id,
    displayName: USERS.bob.display_name,
    managedArguments: ["permission", "repository", "user", "workspace"],
  });

  const { read, diff } = await refreshAndDiff("UserPermission", id, outs, args);
  expect(read.props).toEqual(outs);
  expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });

  const { outs: after } = await p.update(id, outs, await checked("UserPermission", { ...args, permission: "admin" }));
  expect(after).toMatchObject({ permission: "admin" });
  expect((await asOwner(fixture.emu, "GET", permPath(USERS.bob.uuid))).body.permission).toBe("admin");

  const cost = await refreshCost(fixture.emu, "UserPermission", id, after);
  expect(cost.calls).toBe(1);
  console.log(`refresh cost: UserPermission = ${cost.calls} API call(s)`);

  await p.delete(id, after);
  expect((await asOwner(fixture.emu, "GET", permPath(USERS.bob.uuid))).status).toBe(404);
  expect(await p.read(id, after)).toEqual({});
});

test("a user given as {uuid} works, and drift in permission is seen", async () => {
  const args = { workspace: ws, repository: fixture.repoId, user: USERS.alice.uuid, permission: "write" };
  const { id, outs } = await create("UserPermission", args);
  await asOwner(fixture.emu, "PUT", permPath(USERS.alice.uuid), { permission: "read" });
  const { read, diff } = await refreshAndDiff("UserPermission", id, outs, args);
  expect(read.props).toMatchObject({ user: USERS.alice.uuid, permission: "read" });
  expect(diff?.changes).toBe(true);
  await p.delete(id, outs);
});

test("keeps working after the repository is renamed", async () => {
  const args = { workspace: ws, repository: fixture.repoId, user: USERS.bob.uuid, permission: "read" };
  const { id, outs } = await create("UserPermission", args);
  await provider("Repository").update(fixture.repoId, fixture.repoState, await checked("Repository", { workspace: ws, name: "People Renamed" }));
  const { read, diff } = await refreshAndDiff("UserPermission", id, outs, args);
  expect(read.id).toBe(id);
  expect(diff?.changes).toBe(false);
  await p.delete(id, outs);
});

test("a non-member gives a clear error", async () => {
  const args = await checked("UserPermission", { workspace: ws, repository: fixture.repoId, user: USERS.mallory.account_id, permission: "read" });
  await expect(p.create(args)).rejects.toThrow(
    new RegExp(
      `Cannot give ${USERS.mallory.account_id} read access to acme/.*: Mallory Moss is not a member of workspace acme.*needs a member of workspace acme \\(invite them first\\)`,
    ),
  );
});

test("the owner gives a clear error", async () => {
  const args = await checked("UserPermission", { workspace: ws, repository: fixture.repoId, user: USERS.acmeOwner.uuid, permission: "read" });
  await expect(p.create(args)).rejects.toThrow(/owns workspace acme.*not its owner \(the owner always has admin\)/);
});

test("get reads by ID `workspace/repository/user`", async () => {
  const r = await p.read(`${ws}/${REPOSITORIES.platformApi.slug}/${USERS.alice.uuid}`, {});
  expect(r.props).toMatchObject({ user: USERS.alice.uuid, permission: "write", accountId: USERS.alice.account_id });
});

test("a different user replaces, deleting the old grant first; check validates user and permission", async () => {
  const olds = { workspace: ws, repository: fixture.repoId, user: USERS.bob.uuid, permission: "read" };
  expect(await p.diff("x", olds, { ...olds, user: USERS.alice.uuid })).toEqual({ changes: true, replaces: ["user"], deleteBeforeReplace: true });
  const r = await p.check({}, { workspace: ws, repository: "r", user: "alice smith", permission: "all" });
  expect(r.failures?.map((f) => f.property)).toEqual(["user", "permission"]);
  expect(r.failures?.[1].reason).toMatch(/read, write, admin/);
});
