import { CREDENTIALS, PROJECTS, USERS, WORKSPACES } from "../../emulator/seed";
import { permissionsConfigOps, testAdminOnly } from "./permission-rules";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("projects");
const call = ctx.call;
const PROJECTS_PATH = "/workspaces/acme/projects";
const PLAT = `${PROJECTS_PATH}/PLAT`;

describe("projects", () => {
  test("GET lists the workspace's projects, oldest first, with owner, privacy and timestamps", async () => {
    const res = await call("GET", PROJECTS_PATH);
    expect(res.status).toBe(200);
    expect(res.body.values.map((p: any) => [p.key, p.is_private, p.has_publicly_visible_repos])).toEqual([
      ["PLAT", true, false],
      ["WEB", false, true],
    ]);
    expect(res.body.values[0]).toMatchObject({ type: "project", uuid: PROJECTS.plat.uuid, owner: { type: "team", uuid: WORKSPACES.acme.uuid } });
  });

  test("GET one by key; unknown key or workspace 404; a private project is 403 to an outsider, a public one readable", async () => {
    expect((await call("GET", PLAT)).body).toMatchObject({ key: "PLAT", name: "Platform", description: "Services behind the public API" });
    expect((await call("GET", `${PROJECTS_PATH}/NOPE`)).status).toBe(404);
    expect((await call("GET", "/workspaces/ghost/projects/PLAT")).status).toBe(404);
    expect((await call("GET", PLAT, undefined, CREDENTIALS.mallory)).status).toBe(403);
    expect((await call("GET", `${PROJECTS_PATH}/WEB`, undefined, CREDENTIALS.mallory)).status).toBe(200);
    expect((await call("GET", PROJECTS_PATH, undefined, CREDENTIALS.mallory)).body.values.map((p: any) => p.key)).toEqual(["WEB"]);
  });

  test("POST creates (201 + Location), and a repository can then be created in it", async () => {
    const res = await call("POST", PROJECTS_PATH, { key: "DATA", name: "Data", description: "Pipelines and models", is_private: true });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`${ctx.emu.apiUrl}${PROJECTS_PATH}/DATA`);
    expect(res.body).toMatchObject({ key: "DATA", name: "Data", description: "Pipelines and models", is_private: true });
    expect((await call("POST", "/repositories/acme/etl", { project: { key: "DATA" } })).body.project.key).toBe("DATA");
  });

  test("keys and names are unique (case-insensitively); a key must start with a letter; name and key are required", async () => {
    expect((await call("POST", PROJECTS_PATH, { key: "plat", name: "Another" })).status).toBe(400);
    expect((await call("POST", PROJECTS_PATH, { key: "OTHER", name: "platform" })).status).toBe(400);
    expect((await call("POST", PROJECTS_PATH, { key: "1ST", name: "First" })).status).toBe(400);
    expect((await call("POST", PROJECTS_PATH, { key: "NO-DASH", name: "Dash" })).status).toBe(400);
    expect((await call("POST", PROJECTS_PATH, { name: "No key" })).status).toBe(400);
    expect((await call("POST", PROJECTS_PATH, { key: "NONAME" })).status).toBe(400);
    expect((await call("GET", PROJECTS_PATH)).body.size).toBe(2);
  });

  test("PUT creates a missing project (201), updates an existing one (200, no Location)", async () => {
    const created = await call("PUT", `${PROJECTS_PATH}/OPS`, { name: "Operations" });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`${ctx.emu.apiUrl}${PROJECTS_PATH}/OPS`);
    const updated = await call("PUT", `${PROJECTS_PATH}/OPS`, { description: "Runbooks", is_private: false });
    expect(updated.status).toBe(200);
    expect(updated.headers.get("location")).toBeNull();
    expect(updated.body).toMatchObject({ key: "OPS", name: "Operations", description: "Runbooks", is_private: false });
    expect(Date.parse(updated.body.updated_on)).toBeGreaterThanOrEqual(Date.parse(created.body.updated_on));
  });

  test("PUT with a new key moves the project and its repositories, and answers the new Location", async () => {
    const moved = await call("PUT", PLAT, { key: "PLATFORM" });
    expect(moved.status).toBe(200);
    expect(moved.headers.get("location")).toBe(`${ctx.emu.apiUrl}${PROJECTS_PATH}/PLATFORM`);
    expect((await call("GET", PLAT)).status).toBe(404);
    expect((await call("GET", "/repositories/acme/platform-api")).body.project.key).toBe("PLATFORM");
    expect((await call("PUT", `${PROJECTS_PATH}/PLATFORM`, { key: "WEB" })).status).toBe(400);
  });

  test("DELETE: 403 while the project holds repositories, 204 once empty, then 404", async () => {
    const refused = await call("DELETE", `${PROJECTS_PATH}/WEB`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/still holds 1 repositories/);
    await call("POST", PROJECTS_PATH, { key: "TMP", name: "Temporary" });
    expect((await call("DELETE", `${PROJECTS_PATH}/TMP`)).status).toBe(204);
    expect((await call("GET", `${PROJECTS_PATH}/TMP`)).status).toBe(404);
  });

  test("who may: members without a grant cannot create (403) or change; a project admin grant can change; the access token can create", async () => {
    expect((await call("POST", PROJECTS_PATH, { key: "ALICE", name: "Alice's" }, CREDENTIALS.alice)).status).toBe(403);
    expect((await call("PUT", PLAT, { description: "x" }, CREDENTIALS.alice)).status).toBe(403);
    await call("PUT", `${PLAT}/permissions-config/users/${USERS.alice.account_id}`, { permission: "admin" });
    expect((await call("PUT", PLAT, { description: "by alice" }, CREDENTIALS.alice)).body.description).toBe("by alice");
    expect((await call("POST", PROJECTS_PATH, { key: "TOKEN", name: "By token" }, CREDENTIALS.acmeAccessToken)).status).toBe(201);
    // Without credentials: the public projects only (reads are anonymous), and no writes.
    expect((await call("GET", PROJECTS_PATH, undefined, null)).body.values.map((p: { key: string }) => p.key)).toEqual(["WEB"]);
    expect((await call("POST", PROJECTS_PATH, { key: "ANON", name: "Anon" }, null)).status).toBe(401);
  });
});

describe("project permissions-config", () => {
  const GROUPS = `${PLAT}/permissions-config/groups`;
  const USERS_PATH = `${PLAT}/permissions-config/users`;

  test("lists the seeded explicit grants", async () => {
    const groups = await call("GET", GROUPS);
    expect(Object.fromEntries(groups.body.values.map((v: any) => [v.group.slug, v.permission]))).toEqual({ developers: "write", administrators: "admin" });
    expect(groups.body.values[0]).toMatchObject({ type: "project_group_permission", project: { key: "PLAT" } });
    const users = await call("GET", USERS_PATH);
    expect(users.body.values.map((v: any) => [v.user.nickname, v.permission])).toEqual([["bob", "create-repo"]]);
  });

  test("group: PUT grants (200), GET reads it, DELETE removes it (204), then 404; create-repo is a project value", async () => {
    const put = await call("PUT", `${GROUPS}/contractors`, { permission: "create-repo" });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ type: "project_group_permission", permission: "create-repo", group: { slug: "contractors" }, project: { key: "PLAT" } });
    expect(put.body.links.self.href).toBe(`${ctx.emu.apiUrl}${GROUPS}/contractors`);
    expect((await call("GET", `${GROUPS}/contractors`)).body.permission).toBe("create-repo");
    expect((await call("DELETE", `${GROUPS}/contractors`)).status).toBe(204);
    expect((await call("GET", `${GROUPS}/contractors`)).status).toBe(404);
  });

  test("user: PUT by account_id, GET by {uuid}, DELETE", async () => {
    const put = await call("PUT", `${USERS_PATH}/${USERS.alice.account_id}`, { permission: "read" });
    expect(put.body).toMatchObject({ type: "project_user_permission", permission: "read", user: { uuid: USERS.alice.uuid } });
    expect((await call("GET", `${USERS_PATH}/${encodeURIComponent(USERS.alice.uuid)}`)).body.permission).toBe("read");
    expect((await call("DELETE", `${USERS_PATH}/${USERS.alice.account_id}`)).status).toBe(204);
    expect((await call("GET", `${USERS_PATH}/${USERS.alice.account_id}`)).status).toBe(404);
  });

  test("the same rules as on repositories: bad value 400, owner 400, non-member 400, unknown user 400, unknown group 404", async () => {
    expect((await call("PUT", `${GROUPS}/contractors`, { permission: "owner" })).status).toBe(400);
    expect((await call("PUT", `${GROUPS}/contractors`, {})).status).toBe(400);
    expect((await call("PUT", `${GROUPS}/no-such-group`, { permission: "read" })).status).toBe(404);
    const owner = await call("PUT", `${USERS_PATH}/${USERS.acmeOwner.account_id}`, { permission: "read" });
    expect(owner.status).toBe(400);
    expect(owner.body.error.message).toMatch(/owns workspace acme/);
    expect((await call("PUT", `${USERS_PATH}/${USERS.mallory.account_id}`, { permission: "read" })).body.error.message).toMatch(/not a member/);
    expect((await call("PUT", `${USERS_PATH}/712020:nobody`, { permission: "read" })).status).toBe(400);
    expect((await call("GET", "/workspaces/acme/projects/NOPE/permissions-config/groups")).status).toBe(404);
  });

  testAdminOnly(ctx, permissionsConfigOps(`${PLAT}/permissions-config`, USERS.bob, USERS.alice));

  test("project grants reach the project's repositories: admin on the project is admin on its repositories; create-repo lets bob create in it", async () => {
    const hooks = "/repositories/acme/platform-api/hooks";
    expect((await call("GET", hooks, undefined, CREDENTIALS.alice)).status).toBe(403);
    await call("PUT", `${USERS_PATH}/${USERS.alice.account_id}`, { permission: "admin" });
    expect((await call("GET", hooks, undefined, CREDENTIALS.alice)).status).toBe(200);
    expect((await call("POST", "/repositories/acme/bobs-service", {}, CREDENTIALS.bob)).body.project.key).toBe("PLAT");
    expect((await call("POST", "/repositories/acme/bobs-site", { project: { key: "WEB" } }, CREDENTIALS.bob)).status).toBe(400);
  });
});
