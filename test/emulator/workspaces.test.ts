import { CREDENTIALS, USERS, WORKSPACES } from "../../emulator/seed";
import { clearRequests, requests } from "../support/emulator-client";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("workspaces");
const call = ctx.call;

describe("cross-workspace listings removed by Atlassian (CHANGE-2770)", () => {
  const gone = [
    ["/workspaces", "GET /2.0/user/workspaces"],
    ["/workspaces?role=owner", "GET /2.0/user/workspaces"],
    ["/repositories", "GET /2.0/repositories/{workspace}"],
    ["/repositories?role=member&q=name%3D%22x%22", "GET /2.0/repositories/{workspace}"],
    ["/user/permissions/repositories", "GET /2.0/user/workspaces/{workspace}/permissions/repositories"],
  ];

  test.each(gone)("GET %s answers 410 Gone naming what serves instead", async (path, instead) => {
    const res = await call("GET", path);
    expect(res.status).toBe(410);
    expect(res.body.error.message).toContain("CHANGE-2770");
    expect(res.body.error.message).toContain(instead);
  });

  test.each(gone)("GET %s is 410 for every caller, with or without credentials, and for HEAD", async (path) => {
    for (const auth of [null, CREDENTIALS.alice, CREDENTIALS.acmeAccessToken, CREDENTIALS.mallory])
      expect((await call("GET", path, undefined, auth)).status).toBe(410);
    expect((await ctx.api.request("HEAD", path)).status).toBe(410);
  });

  test("the request log names the removed route", async () => {
    await clearRequests(ctx.emu.url);
    await call("GET", "/workspaces");
    expect((await requests(ctx.emu.url)).map((r) => [r.route, r.status])).toEqual([["/workspaces", 410]]);
  });
});

describe("GET /user/workspaces", () => {
  const access = (res: { body: any }) =>
    res.body.values.map((a: { workspace: { slug: string }; administrator: boolean }) => [a.workspace.slug, a.administrator]);

  test("lists the workspaces the calling user belongs to, as workspace_access objects saying whether the user administers each", async () => {
    const res = await call("GET", "/user/workspaces");
    expect(res.status).toBe(200);
    expect(res.body.values).toEqual([
      {
        type: "workspace_access",
        administrator: true,
        workspace: {
          type: "workspace_base",
          uuid: WORKSPACES.acme.uuid,
          slug: "acme",
          links: { self: { href: `${ctx.emu.apiUrl}/workspaces/acme` }, avatar: { href: `${ctx.emu.url}/workspaces/acme/avatar/` } },
        },
      },
    ]);
    expect(access(await call("GET", "/user/workspaces", undefined, CREDENTIALS.alice))).toEqual([["acme", false]]);
    expect(access(await call("GET", "/user/workspaces", undefined, CREDENTIALS.globexOwner))).toEqual([["globex", true]]);
    expect(access(await call("GET", "/user/workspaces", undefined, CREDENTIALS.mallory))).toEqual([]);
  });

  test("administrator=true|false keeps the workspaces the user does or does not administer; another value is 400", async () => {
    expect(access(await call("GET", "/user/workspaces?administrator=true"))).toEqual([["acme", true]]);
    expect(access(await call("GET", "/user/workspaces?administrator=false"))).toEqual([]);
    expect(access(await call("GET", "/user/workspaces?administrator=true", undefined, CREDENTIALS.alice))).toEqual([]);
    expect(access(await call("GET", "/user/workspaces?administrator=false", undefined, CREDENTIALS.alice))).toEqual([["acme", false]]);
    expect((await call("GET", "/user/workspaces?administrator=yes")).status).toBe(400);
  });

  test("q filters on the workspace's slug; access tokens (no user account) get 403; no credentials 401", async () => {
    expect(access(await call("GET", `/user/workspaces?q=${encodeURIComponent('workspace.slug = "acme"')}`))).toEqual([["acme", true]]);
    expect(access(await call("GET", `/user/workspaces?q=${encodeURIComponent('workspace.slug = "globex"')}`))).toEqual([]);
    expect((await call("GET", "/user/workspaces", undefined, CREDENTIALS.acmeAccessToken)).status).toBe(403);
    expect((await call("GET", "/user/workspaces", undefined, null)).status).toBe(401);
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
