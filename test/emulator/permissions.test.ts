import { CREDENTIALS, USERS } from "../../emulator/seed";
import { permissionsConfigOps, testAdminOnly } from "./permission-rules";
import { useSeededEmulator } from "./suite";

const REPO = "/repositories/acme/platform-api";
const GROUPS = `${REPO}/permissions-config/groups`;
const USERS_PATH = `${REPO}/permissions-config/users`;

const ctx = useSeededEmulator("permissions");
const call = ctx.call;

describe("permissions-config/groups", () => {
  test("lists the seeded explicit group permissions", async () => {
    const res = await call("GET", GROUPS);
    expect(res.status).toBe(200);
    const perms = Object.fromEntries(res.body.values.map((v: any) => [v.group.slug, v.permission]));
    expect(perms).toEqual({ developers: "write", administrators: "admin" });
  });

  test("PUT grants (200), GET reads it back, DELETE removes it (204), then GET is 404", async () => {
    const put = await call("PUT", `${GROUPS}/contractors`, { permission: "read" });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ type: "repository_group_permission", permission: "read", group: { slug: "contractors" } });
    expect((await call("GET", `${GROUPS}/contractors`)).body.permission).toBe("read");
    expect((await call("PUT", `${GROUPS}/contractors`, { permission: "write" })).body.permission).toBe("write");
    expect((await call("DELETE", `${GROUPS}/contractors`)).status).toBe(204);
    expect((await call("GET", `${GROUPS}/contractors`)).status).toBe(404);
  });

  test("an invalid permission value is 400; an unknown group is 404", async () => {
    expect((await call("PUT", `${GROUPS}/contractors`, { permission: "owner" })).status).toBe(400);
    expect((await call("PUT", `${GROUPS}/contractors`, {})).status).toBe(400);
    expect((await call("PUT", `${GROUPS}/no-such-group`, { permission: "read" })).status).toBe(404);
  });
});

describe("permissions-config/users", () => {
  test("PUT by account_id grants, GET by {uuid} reads, DELETE removes", async () => {
    const put = await call("PUT", `${USERS_PATH}/${USERS.bob.account_id}`, { permission: "admin" });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      type: "repository_user_permission",
      permission: "admin",
      user: { account_id: USERS.bob.account_id, uuid: USERS.bob.uuid },
    });
    const get = await call("GET", `${USERS_PATH}/${encodeURIComponent(USERS.bob.uuid)}`);
    expect(get.body.permission).toBe("admin");
    const list = await call("GET", USERS_PATH);
    expect(list.body.values.map((v: any) => [v.user.nickname, v.permission])).toEqual([
      ["alice", "write"],
      ["bob", "admin"],
    ]);
    expect((await call("DELETE", `${USERS_PATH}/${USERS.bob.account_id}`)).status).toBe(204);
    expect((await call("GET", `${USERS_PATH}/${USERS.bob.account_id}`)).status).toBe(404);
  });

  test("a user who is not a member of the workspace is refused with 400", async () => {
    const res = await call("PUT", `${USERS_PATH}/${USERS.mallory.account_id}`, { permission: "read" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/not a member/);
  });

  test("the workspace owner is refused with 400", async () => {
    const res = await call("PUT", `${USERS_PATH}/${encodeURIComponent(USERS.acmeOwner.uuid)}`, { permission: "read" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/owns workspace/);
  });

  test('an unknown user is refused with 400 ("not a valid user")', async () => {
    expect((await call("PUT", `${USERS_PATH}/712020:nobody`, { permission: "read" })).status).toBe(400);
  });
});

describe("who may use permissions-config", () => {
  testAdminOnly(ctx, permissionsConfigOps(`${REPO}/permissions-config`, USERS.alice, USERS.bob));

  test("404 when the repository does not exist", async () => {
    expect((await call("GET", "/repositories/acme/ghost/permissions-config/groups")).status).toBe(404);
  });
});

describe("override-settings", () => {
  const PATH = `${REPO}/override-settings`;

  test("GET returns the inheritance state; PUT answers 204 and is read back", async () => {
    const get = await call("GET", PATH);
    expect(get.body).toEqual({ type: "repository_inheritance_state", override_settings: { default_merge_strategy: false, branching_model: false } });
    const put = await call("PUT", PATH, { override_settings: { default_merge_strategy: true } });
    expect(put.status).toBe(204);
    expect((await call("GET", PATH)).body.override_settings).toEqual({ default_merge_strategy: true, branching_model: false });
  });

  test("PUT with an unknown setting or a non-boolean is 400", async () => {
    expect((await call("PUT", PATH, { override_settings: { merge_everything: true } })).status).toBe(400);
    expect((await call("PUT", PATH, { override_settings: { branching_model: "yes" } })).status).toBe(400);
  });

  test("PUT by a member without admin rights is 403; an unknown repository is 404", async () => {
    expect((await call("PUT", PATH, { override_settings: { branching_model: true } }, CREDENTIALS.alice)).status).toBe(403);
    expect((await call("GET", "/repositories/acme/ghost/override-settings")).status).toBe(404);
  });
});
