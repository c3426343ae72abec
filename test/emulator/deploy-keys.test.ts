import { CREDENTIALS, REPOSITORIES } from "../../emulator/seed";
import { PRIVATE_KEY, PRIVATE_MATERIAL, publicKey, publicKeyBody } from "../support/ssh-keys";
import { useSeededEmulator } from "./suite";

const KEYS = "/repositories/acme/platform-api/deploy-keys";
const PROJECT_KEYS = "/workspaces/acme/projects/PLAT/deploy-keys";
const KEY = publicKey("ci", "ci@build");

const ctx = useSeededEmulator("deploy-keys");
const call = ctx.call;

async function addKey(path = KEYS, body: Record<string, unknown> = {}) {
  const res = await call("POST", path, { key: KEY, label: "ci", ...body });
  expect(res.status).toBe(200);
  return res.body;
}

describe("repository deploy keys", () => {
  test("POST adds the key (comment apart, numeric id); GET lists it and gets it by id", async () => {
    const added = await addKey();
    expect(added).toMatchObject({ type: "deploy_key", key: `ssh-ed25519 ${publicKeyBody("ci")}`, comment: "ci@build", label: "ci" });
    expect(added.id).toEqual(expect.any(Number));
    expect(added.repository).toMatchObject({ type: "repository", uuid: REPOSITORIES.platformApi.uuid });
    expect(added).not.toHaveProperty("last_used");
    expect(added.links.self.href).toBe(`${ctx.emu.apiUrl}${KEYS}/${added.id}`);
    expect((await call("GET", KEYS)).body.values.map((k: { id: number }) => k.id)).toEqual([added.id]);
    expect((await call("GET", `${KEYS}/${added.id}`)).body).toMatchObject({ id: added.id, label: "ci", comment: "ci@build" });
    // Addressed by the repository's UUID too.
    expect((await call("GET", `/repositories/acme/${encodeURIComponent(REPOSITORIES.platformApi.uuid)}/deploy-keys/${added.id}`)).status).toBe(200);
  });

  test("ids are unique across repositories and projects", async () => {
    const a = await addKey();
    const b = await addKey(PROJECT_KEYS);
    const c = await addKey("/repositories/acme/website/deploy-keys");
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
  });

  test.each([
    ["an unknown type", `ssh-dss ${publicKeyBody("x")}`],
    ["a body of another type", `ssh-rsa ${publicKeyBody("x")}`],
    ["a body that is not base64", "ssh-ed25519 not*base64"],
    ["no body", "ssh-ed25519"],
    ["not a string", 42],
  ])("POST refuses %s with 400 naming the key", async (_what, key) => {
    const res = await call("POST", KEYS, { key, label: "x" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^key: /);
    expect((await call("GET", KEYS)).body.values).toEqual([]);
  });

  test("a private key is refused, and the answer does not quote it", async () => {
    const res = await call("POST", KEYS, { key: PRIVATE_KEY, label: "oops" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/private key/);
    expect(JSON.stringify(res.body)).not.toContain(PRIVATE_MATERIAL);
  });

  test("the same key (type and body, whatever the comment) is refused in the same repository, accepted in another", async () => {
    await addKey();
    const again = await call("POST", KEYS, { key: publicKey("ci", "another@comment"), label: "again" });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe("Someone has already added that access key to this repository.");
    expect((await call("POST", "/repositories/acme/website/deploy-keys", { key: KEY })).status).toBe(200);
  });

  test("PUT changes the label and the comment, never the key", async () => {
    const added = await addKey();
    const path = `${KEYS}/${added.id}`;
    const put = await call("PUT", path, { key: publicKey("ci", "new@comment"), label: "renamed" });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: added.id, label: "renamed", comment: "new@comment", key: added.key });
    const other = await call("PUT", path, { key: publicKey("other"), label: "x" });
    expect(other.status).toBe(400);
    expect(other.body.error.message).toMatch(/^key: .*cannot change/);
    expect((await call("PUT", path, { label: "no key" })).status).toBe(400);
    expect((await call("GET", path)).body).toMatchObject({ label: "renamed", key: added.key });
  });

  test("DELETE answers 204, then the key is 404; an unknown or non-numeric id is 404", async () => {
    const added = await addKey();
    const path = `${KEYS}/${added.id}`;
    expect((await call("DELETE", path)).status).toBe(204);
    expect((await call("GET", path)).status).toBe(404);
    expect((await call("DELETE", path)).status).toBe(404);
    expect((await call("PUT", path, { key: KEY })).status).toBe(404);
    expect((await call("GET", `${KEYS}/abc`)).status).toBe(404);
    expect((await call("GET", "/repositories/acme/no-such-repo/deploy-keys")).status).toBe(404);
  });

  test("only repository admins: a member without admin rights is refused (403)", async () => {
    await addKey();
    expect((await call("GET", KEYS, undefined, CREDENTIALS.alice)).status).toBe(403);
    expect((await call("POST", KEYS, { key: publicKey("alice") }, CREDENTIALS.alice)).status).toBe(403);
  });

  test("the admin:repository scope is required (read:repository is not enough)", async () => {
    // Not through `call`: the missing-scope 403's detail is an object, unlike the spec's string (design.md).
    const res = await ctx.api.request("GET", KEYS, { auth: CREDENTIALS.ownerReadRepository });
    expect(res.status).toBe(403);
    expect(res.body.error.detail.required).toContain("admin:repository:bitbucket");
  });
});

describe("project deploy keys", () => {
  test("POST adds, GET lists and gets, DELETE removes; there is no PUT", async () => {
    const added = await addKey(PROJECT_KEYS);
    expect(added).toMatchObject({ type: "project_deploy_key", key: `ssh-ed25519 ${publicKeyBody("ci")}`, comment: "ci@build", label: "ci" });
    expect(added.project).toMatchObject({ type: "project", key: "PLAT" });
    expect((await call("GET", PROJECT_KEYS)).body.values.map((k: { id: number }) => k.id)).toEqual([added.id]);
    const path = `${PROJECT_KEYS}/${added.id}`;
    expect((await call("GET", path)).body.id).toBe(added.id);
    // The spec has no PUT here, so not through `call`.
    expect((await ctx.api.request("PUT", path, { body: { key: KEY, label: "x" } })).status).toBe(405);
    expect((await call("DELETE", path)).status).toBe(204);
    expect((await call("GET", path)).status).toBe(404);
  });

  test("the same key is refused twice in a project; a bad key is refused", async () => {
    await addKey(PROJECT_KEYS);
    const again = await call("POST", PROJECT_KEYS, { key: KEY });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe("Someone has already added that access key to this project.");
    expect((await call("POST", PROJECT_KEYS, { key: "ssh-ed25519 AAAA" })).status).toBe(400);
  });

  test("a project that does not exist is 404; a member who is not a project admin is refused (403)", async () => {
    expect((await call("GET", "/workspaces/acme/projects/NOPE/deploy-keys")).status).toBe(404);
    expect((await call("POST", "/workspaces/acme/projects/NOPE/deploy-keys", { key: KEY })).status).toBe(404);
    expect((await call("GET", PROJECT_KEYS, undefined, CREDENTIALS.alice)).status).toBe(403);
    expect((await call("POST", PROJECT_KEYS, { key: KEY }, CREDENTIALS.alice)).status).toBe(403);
  });
});
