import { CREDENTIALS, USERS, WORKSPACES } from "../../emulator/seed";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("workspaces");
const call = ctx.call;
const slugs = (res: { body: any }) => res.body.values.map((w: { slug: string }) => w.slug);

describe("GET /workspaces", () => {
  test("lists the workspaces the caller belongs to", async () => {
    expect(slugs(await call("GET", "/workspaces"))).toEqual(["acme"]);
    expect(slugs(await call("GET", "/workspaces", undefined, CREDENTIALS.globexOwner))).toEqual(["globex"]);
    expect(slugs(await call("GET", "/workspaces", undefined, CREDENTIALS.mallory))).toEqual([]);
    expect(slugs(await call("GET", "/workspaces", undefined, CREDENTIALS.globexAccessToken))).toEqual(["globex"]);
  });

  test("role=owner keeps the workspaces the caller administers; an unknown role is 400; q filters", async () => {
    expect(slugs(await call("GET", "/workspaces?role=owner"))).toEqual(["acme"]);
    expect(slugs(await call("GET", "/workspaces?role=owner", undefined, CREDENTIALS.alice))).toEqual([]);
    expect(slugs(await call("GET", "/workspaces?role=member", undefined, CREDENTIALS.alice))).toEqual(["acme"]);
    expect((await call("GET", "/workspaces?role=king")).status).toBe(400);
    expect(slugs(await call("GET", `/workspaces?q=${encodeURIComponent('slug = "globex"')}`))).toEqual([]);
    expect((await call("GET", "/workspaces", undefined, null)).status).toBe(401);
  });
});

describe("workspace members", () => {
  test("GET lists the members as workspace memberships", async () => {
    const res = await call("GET", "/workspaces/acme/members");
    expect(res.status).toBe(200);
    expect(res.body.values.map((m: any) => m.user.nickname)).toEqual(["acme-owner", "alice", "bob"]);
    expect(res.body.values[1]).toMatchObject({ type: "workspace_membership", user: { uuid: USERS.alice.uuid }, workspace: { uuid: WORKSPACES.acme.uuid } });
  });

  test("GET one by account_id or {uuid}; a non-member is 404", async () => {
    expect((await call("GET", `/workspaces/acme/members/${USERS.bob.account_id}`)).body.user.nickname).toBe("bob");
    expect((await call("GET", `/workspaces/acme/members/${encodeURIComponent(USERS.bob.uuid)}`)).body.user.account_id).toBe(USERS.bob.account_id);
    expect((await call("GET", `/workspaces/acme/members/${USERS.mallory.account_id}`)).status).toBe(404);
    expect((await call("GET", "/workspaces/acme/members/712020:nobody")).status).toBe(404);
  });

  test("members and the workspace's access token may list them; outsiders and other workspaces' tokens get 404", async () => {
    expect((await call("GET", "/workspaces/acme/members", undefined, CREDENTIALS.alice)).body.size).toBe(3);
    expect((await call("GET", "/workspaces/acme/members", undefined, CREDENTIALS.acmeAccessToken)).body.size).toBe(3);
    expect((await call("GET", "/workspaces/acme/members", undefined, CREDENTIALS.mallory)).status).toBe(404);
    expect((await call("GET", "/workspaces/acme/members", undefined, CREDENTIALS.globexAccessToken)).status).toBe(404);
    expect((await call("GET", "/workspaces/ghost/members")).status).toBe(404);
  });
});
