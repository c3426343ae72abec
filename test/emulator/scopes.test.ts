// Privilege scopes, as Bitbucket enforces them in 2026: API tokens carry granular scopes, access tokens
// and OAuth consumers classic ones; a missing scope answers 403 with `detail` {required, granted}; a
// token created without scopes answers 401. Each route's scopes are the spec's, checked route by route.
import { CREDENTIAL_SCOPES, CREDENTIALS } from "../../emulator/seed";
import { ROUTES } from "../../emulator/families";
import { loadSpec } from "../../emulator/spec";
import { admin } from "../support/emulator-client";
import type { ApiResponse } from "../support/emulator-client";
import { expectMatchesSchema } from "./spec-conformance";
import { SEEDED_PATH_PARAMS as VALID, useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("scopes");
const spec = loadSpec();
const LACKING = "Your credentials lack one or more required privilege scopes.";
const REPO = "/repositories/acme/platform-api";

/** The live answer to a missing scope: the spec's error, except that `detail` is an object. */
const SCOPE_ERROR = {
  type: "object",
  required: ["type", "error"],
  properties: {
    type: { const: "error" },
    error: {
      type: "object",
      required: ["message", "detail"],
      additionalProperties: false,
      properties: {
        message: { const: LACKING },
        detail: {
          type: "object",
          required: ["required", "granted"],
          additionalProperties: false,
          properties: { required: { type: "array", items: { type: "string" } }, granted: { type: "array", items: { type: "string" } } },
        },
      },
    },
  },
};

/** A request whose answer may be the scope error (which the spec documents with a string `detail`). */
async function request(method: string, path: string, auth: Parameters<typeof ctx.call>[3], body?: unknown): Promise<ApiResponse> {
  const res = await ctx.api.request(method, path, { auth, body });
  if (res.status === 403 && res.body?.error?.message === LACKING)
    expectMatchesSchema(
      res,
      SCOPE_ERROR,
      "error with detail {required, granted}",
      "Bitbucket sends a missing scope's detail as an object; the spec's error.detail is a string",
    );
  return res;
}

const lacking = (res: ApiResponse) => (res.status === 403 && res.body?.error?.message === LACKING ? res.body.error.detail : undefined);

describe("an API token with read:repository:bitbucket only", () => {
  const auth = CREDENTIALS.ownerReadRepository;
  const granted = [...CREDENTIAL_SCOPES.ownerReadRepository];

  test("reads repositories, their listing and their content", async () => {
    expect((await ctx.call("GET", REPO, undefined, auth)).status).toBe(200);
    expect((await ctx.call("GET", "/repositories/acme", undefined, auth)).body.size).toBe(3);
    expect((await ctx.call("GET", `${REPO}/refs/branches`, undefined, auth)).status).toBe(200);
    expect((await ctx.call("GET", `${REPO}/src/main/README.md`, undefined, auth)).status).toBe(200);
  });

  test.each([
    ["PUT", REPO, { description: "x" }, ["admin:repository:bitbucket"]],
    ["DELETE", REPO, undefined, ["delete:repository:bitbucket"]],
    ["POST", "/repositories/acme/new-one", {}, ["admin:repository:bitbucket"]],
    ["GET", `${REPO}/hooks`, undefined, ["read:webhook:bitbucket"]],
    ["POST", `${REPO}/hooks`, { url: "https://ci.example.com/h", events: ["repo:push"] }, ["read:webhook:bitbucket", "write:webhook:bitbucket"]],
    ["GET", `${REPO}/pullrequests`, undefined, ["read:pullrequest:bitbucket"]],
    ["GET", "/user", undefined, ["read:user:bitbucket"]],
    ["GET", "/user/workspaces", undefined, ["read:workspace:bitbucket"]],
    ["GET", "/workspaces/acme/projects/PLAT", undefined, ["read:project:bitbucket"]],
    ["PUT", `${REPO}/permissions-config/groups/contractors`, { permission: "read" }, ["admin:repository:bitbucket", "write:permission:bitbucket"]],
  ])("%s %s: 403 naming the required scopes %j and the granted ones", async (method, path, body, required) => {
    const res = await request(method, path, auth, body);
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({ message: LACKING, detail: { required, granted } });
  });

  test("the scope is checked before the object is looked up, and nothing changes", async () => {
    expect(lacking(await request("GET", "/repositories/acme/no-such-repo/hooks", auth))).toEqual({ required: ["read:webhook:bitbucket"], granted });
    expect(lacking(await request("DELETE", REPO, auth))).toBeDefined();
    expect((await ctx.call("GET", REPO)).status).toBe(200);
  });

  test("the same user's token with every scope still does all of it", async () => {
    expect((await ctx.call("GET", `${REPO}/hooks`)).status).toBe(200);
    expect((await ctx.call("PUT", REPO, { description: "x" })).status).toBe(200);
  });
});

describe("an access token without the webhook scope", () => {
  const auth = CREDENTIALS.acmeAccessTokenWithoutWebhooks;
  const granted = [...CREDENTIAL_SCOPES.acmeAccessTokenWithoutWebhooks];

  test.each([
    ["GET", `${REPO}/hooks`, undefined],
    ["POST", `${REPO}/hooks`, { url: "https://ci.example.com/h", events: ["repo:push"] }],
    ["DELETE", `${REPO}/hooks/{5eed9999-0000-4000-8000-000000000000}`, undefined],
  ])("%s %s: 403 requiring webhook", async (method, path, body) => {
    const res = await request(method, path, auth, body);
    expect(res.body.error).toEqual({ message: LACKING, detail: { required: ["webhook"], granted } });
  });

  test("reads, writes and administers repositories and projects as the workspace's token does", async () => {
    expect((await ctx.call("GET", REPO, undefined, auth)).status).toBe(200);
    expect((await ctx.call("PUT", REPO, { description: "by token" }, auth)).status).toBe(200);
    expect((await ctx.call("GET", `${REPO}/pullrequests`, undefined, auth)).status).toBe(200);
    expect((await ctx.call("GET", "/workspaces/acme/projects", undefined, auth)).status).toBe(200);
  });

  test("a classic scope includes those Atlassian says it implies: pullrequest includes repository, repository:admin does not", async () => {
    const token = CREDENTIALS.acmeAccessTokenWithoutWebhooks.token;
    await admin(ctx.emu.url, "PUT", "/scopes", { credential: token, scopes: ["pullrequest"] });
    expect((await ctx.call("GET", REPO, undefined, auth)).status).toBe(200);
    await admin(ctx.emu.url, "PUT", "/scopes", { credential: token, scopes: ["repository:admin"] });
    expect(lacking(await request("GET", REPO, auth))).toEqual({ required: ["repository"], granted: ["repository:admin"] });
    expect((await ctx.call("PUT", REPO, { description: "admin only" }, auth)).status).toBe(200);
  });
});

describe("a token created without scopes", () => {
  test.each([REPO, "/user", "/repositories/acme", `${REPO}/hooks`])("GET %s: 401 as Bitbucket answers an unscoped token", async (path) => {
    const res = await ctx.call("GET", path, undefined, CREDENTIALS.ownerUnscoped);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe("Token is invalid, expired, or not supported for this endpoint");
  });
});

describe("each route requires the scopes the spec declares for it", () => {
  const pathOf = (template: string) => template.replace(/\{(\w+)\}/g, (_, p: string) => (p === "path" ? VALID[p] : encodeURIComponent(VALID[p])));
  const operation = (method: string, template: string) => spec.paths[template][method.toLowerCase()];
  // None declared: the operation needs no scope (the Pipelines OIDC discovery endpoints).
  const granular = (method: string, template: string): string[] =>
    operation(method, template)["x-atlassian-oauth2-scopes"]?.find((s: { state: string }) => s.state === "Current").scopes ?? [];
  const classic = (method: string, template: string): string[] => operation(method, template).security.find((s: { oauth2?: string[] }) => s.oauth2).oauth2;
  const ALL_GRANULAR = [
    ...new Set(
      Object.values<Record<string, any>>(spec.paths).flatMap((ops) =>
        Object.values<any>(ops).flatMap((op) => (op?.["x-atlassian-oauth2-scopes"] ?? []).flatMap((s: { scopes: string[] }) => s.scopes)),
      ),
    ),
  ];
  const routes = ROUTES.map((r) => [r.method, r.template] as const);
  const scoped = CREDENTIALS.ownerReadRepository;
  const setScopes = (credential: string, scopes: string[] | null) => admin(ctx.emu.url, "PUT", "/scopes", { credential, scopes });

  // The spec gives the public `/hook_events` and the OIDC discovery documents no granular scopes (and an empty oauth2 entry).
  const scopedRoutes = routes.filter(([method, template]) => operation(method, template)["x-atlassian-oauth2-scopes"]);
  test("only the public /hook_events and Pipelines OIDC discovery operations have no granular scopes, and a token without any of them reaches them", async () => {
    expect(
      routes
        .filter((r) => !scopedRoutes.includes(r))
        .map((r) => r.join(" "))
        .sort(),
    ).toEqual([
      "GET /hook_events",
      "GET /hook_events/{subject_type}",
      "GET /workspaces/{workspace}/pipelines-config/identity/oidc/.well-known/openid-configuration",
      "GET /workspaces/{workspace}/pipelines-config/identity/oidc/keys.json",
    ]);
    ctx.emu.reset();
    await setScopes(scoped.password, ["read:account"]);
    expect(lacking(await request("GET", "/hook_events/workspace", scoped))).toBeUndefined();
  });

  test.each(scopedRoutes)(
    "%s %s: an API token lacking one of its x-atlassian-oauth2-scopes gets 403; with exactly them it passes",
    async (method, template) => {
      const required = granular(method, template);
      expect(required.length).toBeGreaterThan(0);
      for (const missing of required) {
        ctx.emu.reset();
        await setScopes(
          scoped.password,
          ALL_GRANULAR.filter((s) => s !== missing),
        );
        expect(lacking(await request(method, pathOf(template), scoped, method === "GET" ? undefined : {}))?.required).toEqual(required);
      }
      ctx.emu.reset();
      await setScopes(scoped.password, required);
      expect(lacking(await request(method, pathOf(template), scoped, method === "GET" ? undefined : {}))).toBeUndefined();
    },
  );

  test.each(routes)("%s %s: an access token without its oauth2 scopes gets 403; with exactly them it passes", async (method, template) => {
    const token = CREDENTIALS.acmeAccessTokenWithoutWebhooks;
    const required = classic(method, template);
    ctx.emu.reset();
    await setScopes(token.token, ["email"]);
    const res = await request(method, pathOf(template), token, method === "GET" ? undefined : {});
    if (required.length) expect(lacking(res)).toEqual({ required, granted: ["email"] });
    else expect(lacking(res)).toBeUndefined();
    await setScopes(token.token, required.length ? required : ["email"]);
    expect(lacking(await request(method, pathOf(template), token, method === "GET" ? undefined : {}))).toBeUndefined();
  });

  test.each(routes)("%s %s: the seed's default credentials hold every scope", async (method, template) => {
    for (const auth of [CREDENTIALS.owner, CREDENTIALS.alice, CREDENTIALS.acmeAccessToken]) {
      ctx.emu.reset();
      expect(lacking(await request(method, pathOf(template), auth, method === "GET" ? undefined : {}))).toBeUndefined();
    }
  });
});

describe("OAuth consumers and the admin API", () => {
  async function oauthToken(): Promise<{ access_token: string; scopes: string }> {
    const basic = Buffer.from(`${CREDENTIALS.oauthClient.clientId}:${CREDENTIALS.oauthClient.secret}`).toString("base64");
    const res = await fetch(`${ctx.emu.url}/site/oauth2/access_token`, {
      method: "POST",
      headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    return (await res.json()) as { access_token: string; scopes: string };
  }

  test("a consumer with every scope is granted every classic scope the spec defines", async () => {
    const { scopes } = await oauthToken();
    expect(scopes.split(" ").sort()).toEqual(Object.keys(spec.securityDefinitions.oauth2.scopes).sort());
  });

  test("PUT /_emulator/scopes limits a consumer's later tokens; null gives every scope back; reset restores the seed's", async () => {
    await admin(ctx.emu.url, "PUT", "/scopes", { credential: CREDENTIALS.oauthClient.clientId, scopes: ["repository"] });
    const limited = await oauthToken();
    expect(limited.scopes).toBe("repository");
    const auth = { header: `Bearer ${limited.access_token}` };
    expect((await ctx.call("GET", REPO, undefined, auth)).status).toBe(200);
    expect(lacking(await request("GET", `${REPO}/hooks`, auth))).toEqual({ required: ["webhook"], granted: ["repository"] });

    await admin(ctx.emu.url, "PUT", "/scopes", { credential: CREDENTIALS.owner.password, scopes: ["read:user:bitbucket"] });
    expect(lacking(await request("GET", REPO, CREDENTIALS.owner))).toEqual({ required: ["read:repository:bitbucket"], granted: ["read:user:bitbucket"] });
    await admin(ctx.emu.url, "PUT", "/scopes", { credential: CREDENTIALS.owner.password, scopes: null });
    expect((await ctx.call("GET", REPO)).status).toBe(200);

    await admin(ctx.emu.url, "PUT", "/scopes", { credential: CREDENTIALS.acmeAccessToken.token, scopes: [] });
    expect((await ctx.call("GET", REPO, undefined, CREDENTIALS.acmeAccessToken)).status).toBe(401);
    ctx.emu.reset();
    expect((await ctx.call("GET", REPO, undefined, CREDENTIALS.acmeAccessToken)).status).toBe(200);
    expect((await ctx.call("GET", REPO, undefined, CREDENTIALS.ownerReadRepository)).status).toBe(200);
    expect(lacking(await request("GET", `${REPO}/hooks`, CREDENTIALS.ownerReadRepository))).toBeDefined();
  });

  test.each([
    [{ credential: "no-such-token", scopes: ["repository"] }, /404 .*No credential presents that token or key/],
    [{ credential: CREDENTIALS.owner.password, scopes: "repository" }, /400/],
    [{ credential: CREDENTIALS.owner.password, scopes: [1] }, /400/],
    [{ scopes: null }, /400/],
  ])("PUT /_emulator/scopes %j is refused", async (body, error) => {
    await expect(admin(ctx.emu.url, "PUT", "/scopes", body)).rejects.toThrow(error);
  });
});
