// ProjectGroupPermission and ProjectUserPermission against the emulator: one grant on a project each.
import { GROUPS, USERS, WORKSPACES } from "../../emulator";
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
  startWithProvider,
  useOwner,
} from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
  await create("Project", { workspace: WORKSPACES.acme.slug, key: "GRANTS", name: "Grants" });
});
afterAll(() => emu.stop());

const ws = WORKSPACES.acme.slug;
const key = "GRANTS";
const groups = provider("ProjectGroupPermission");
const users = provider("ProjectUserPermission");
const groupPath = (group: string) => `/workspaces/${ws}/projects/${key}/permissions-config/groups/${group}`;
const userPath = (user: string) => `/workspaces/${ws}/projects/${key}/permissions-config/users/${enc(user)}`;

describe("ProjectGroupPermission", () => {
  test("lifecycle: create (PUT), read, no-op diff, update to create-repo, refresh cost 1, delete, read reports it gone", async () => {
    const args = { workspace: ws, project: key, groupSlug: GROUPS.contractors, permission: "read" };
    const { id, outs } = await create("ProjectGroupPermission", args);
    expect(id).toBe(`${ws}/${key}/contractors`);
    expect(outs).toEqual({ ...args, groupName: "Contractors", managedArguments: ["groupSlug", "permission", "project", "workspace"] });
    expect((await asOwner(emu, "GET", groupPath("contractors"))).body.permission).toBe("read");

    const { read, diff } = await refreshAndDiff("ProjectGroupPermission", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });

    const news = await checked("ProjectGroupPermission", { ...args, permission: "create-repo" });
    expect(await groups.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    const { outs: after } = await groups.update(id, outs, news);
    expect(after).toMatchObject({ permission: "create-repo", groupName: "Contractors" });
    expect((await asOwner(emu, "GET", groupPath("contractors"))).body.permission).toBe("create-repo");

    const cost = await refreshCost(emu, "ProjectGroupPermission", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: ProjectGroupPermission = ${cost.calls} API call(s)`);

    await groups.delete(id, after);
    expect((await asOwner(emu, "GET", groupPath("contractors"))).status).toBe(404);
    expect(await groups.read(id, after)).toEqual({});
  });

  test("drift in permission is seen; a grant removed by hand is gone on refresh", async () => {
    const args = { workspace: ws, project: key, groupSlug: GROUPS.developers, permission: "write" };
    const { id, outs } = await create("ProjectGroupPermission", args);
    await asOwner(emu, "PUT", groupPath("developers"), { permission: "admin" });
    const { read, diff } = await refreshAndDiff("ProjectGroupPermission", id, outs, args);
    expect(read.props).toMatchObject({ permission: "admin" });
    expect(read.inputs).toMatchObject({ permission: "admin" });
    expect(diff?.changes).toBe(true);
    await asOwner(emu, "DELETE", groupPath("developers"));
    expect(await groups.read(id, outs)).toEqual({});
  });

  test("creation over a different grant takes it over, saying so; over an identical one writes nothing", async () => {
    await asOwner(emu, "PUT", groupPath("administrators"), { permission: "read" });
    const notices: string[] = [];
    useOwner(emu, { ...FAST, notify: (m) => notices.push(m) });
    try {
      const args = await checked("ProjectGroupPermission", { workspace: ws, project: key, groupSlug: GROUPS.administrators, permission: "admin" });
      const { id, outs } = await groups.create(args);
      expect(notices.join("\n")).toMatch(
        /^ProjectGroupPermission: group administrators already had read access to project acme\/GRANTS, now admin: taken over/,
      );
      expect((await asOwner(emu, "GET", groupPath("administrators"))).body.permission).toBe("admin");
      await clearCounters(emu);
      await groups.create(args);
      expect((await counters(emu)).byRoute).toEqual({ "GET /workspaces/{workspace}/projects/{project_key}/permissions-config/groups/{group_slug}": 1 });
      expect(notices).toHaveLength(1);
      await groups.delete(id, outs);
    } finally {
      useOwner(emu);
    }
  });

  test("a different group or project replaces, deleting the old grant first; check names the field and what is allowed", async () => {
    const olds = { workspace: ws, project: key, groupSlug: "developers", permission: "read" };
    expect(await groups.diff("x", olds, { ...olds, groupSlug: "contractors" })).toEqual({ changes: true, replaces: ["groupSlug"], deleteBeforeReplace: true });
    expect((await groups.diff("x", olds, { ...olds, project: "WEB" })).replaces).toEqual(["project"]);
    const r = await groups.check({}, { workspace: ws, project: "1ABC", groupSlug: "Dev Team", permission: "owner" });
    expect(r.failures?.map((f) => f.property)).toEqual(["project", "groupSlug", "permission"]);
    expect(r.failures?.[2].reason).toMatch(/read, write, create-repo, admin/);
  });

  test("get reads by ID `workspace/PROJECT/groupSlug`; an unknown group fails with a 404", async () => {
    await asOwner(emu, "PUT", groupPath("developers"), { permission: "read" });
    const r = await groups.read(`${ws}/${key}/developers`, {});
    expect(r.props).toEqual({ workspace: ws, project: key, groupSlug: "developers", permission: "read", groupName: "Developers" });
    await asOwner(emu, "DELETE", groupPath("developers"));
    await expect(
      groups.create(await checked("ProjectGroupPermission", { workspace: ws, project: key, groupSlug: "nobody", permission: "read" })),
    ).rejects.toThrow(/404/);
  });
});

describe("ProjectUserPermission", () => {
  test("lifecycle by account id: create (PUT), read, no-op diff, update, refresh cost 1, delete", async () => {
    const args = { workspace: ws, project: key, user: USERS.bob.account_id, permission: "read" };
    const { id, outs } = await create("ProjectUserPermission", args);
    expect(id).toBe(`${ws}/${key}/${USERS.bob.account_id}`);
    expect(outs).toEqual({
      ...args,
      userUuid: USERS.bob.uuid,
      accountId: USERS.bob.account_id,
      displayName: USERS.bob.display_name,
      managedArguments: ["permission", "project", "user", "workspace"],
    });
    const { read, diff } = await refreshAndDiff("ProjectUserPermission", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });

    const { outs: after } = await users.update(id, outs, await checked("ProjectUserPermission", { ...args, permission: "create-repo" }));
    expect(after).toMatchObject({ permission: "create-repo" });
    expect((await asOwner(emu, "GET", userPath(USERS.bob.uuid))).body.permission).toBe("create-repo");

    const cost = await refreshCost(emu, "ProjectUserPermission", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: ProjectUserPermission = ${cost.calls} API call(s)`);

    await users.delete(id, after);
    expect((await asOwner(emu, "GET", userPath(USERS.bob.uuid))).status).toBe(404);
    expect(await users.read(id, after)).toEqual({});
  });

  test("a user given as {uuid} works, and drift in permission is seen", async () => {
    const args = { workspace: ws, project: key, user: USERS.alice.uuid, permission: "write" };
    const { id, outs } = await create("ProjectUserPermission", args);
    await asOwner(emu, "PUT", userPath(USERS.alice.uuid), { permission: "read" });
    const { read, diff } = await refreshAndDiff("ProjectUserPermission", id, outs, args);
    expect(read.props).toMatchObject({ user: USERS.alice.uuid, permission: "read" });
    expect(read.inputs).toMatchObject({ permission: "read" });
    expect(diff?.changes).toBe(true);
    await users.delete(id, outs);
  });

  test("a non-member gives a clear error naming the project", async () => {
    const args = await checked("ProjectUserPermission", { workspace: ws, project: key, user: USERS.mallory.account_id, permission: "read" });
    await expect(users.create(args)).rejects.toThrow(
      new RegExp(`Cannot give ${USERS.mallory.account_id} read access to project acme/GRANTS: .*needs a member of workspace acme \\(invite them first\\)`),
    );
  });

  test("a different user replaces, deleting the old grant first; check validates project, user and permission", async () => {
    const olds = { workspace: ws, project: key, user: USERS.bob.uuid, permission: "read" };
    expect(await users.diff("x", olds, { ...olds, user: USERS.alice.uuid })).toEqual({ changes: true, replaces: ["user"], deleteBeforeReplace: true });
    const r = await users.check({}, { workspace: ws, project: "a/b", user: "alice smith", permission: "all" });
    expect(r.failures?.map((f) => f.property)).toEqual(["project", "user", "permission"]);
    expect(r.failures?.[2].reason).toMatch(/read, write, create-repo, admin/);
  });
});
