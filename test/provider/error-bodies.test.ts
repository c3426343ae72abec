// Error answers of any shape become a message a person can act on (issue 15, item 4): the emulator's
// scripted status answers each body below to the real client, which must name the status, the URL
// and what the body says, and never fail on the body's shape itself (`TypeError: p.replace is not a function`).
import { CREDENTIALS, REPOSITORIES, startEmulator, WORKSPACES } from "../../emulator";
import { BitbucketApiError, createClient } from "../../provider/client";
import type { Credentials } from "../../provider/client/auth";
import { Emulator, FAST, script } from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
});
afterAll(() => emu.stop());
beforeEach(() => script(emu, []));

const ws = WORKSPACES.acme.slug;
const repo = REPOSITORIES.platformApi.slug;
const CREDENTIALS_BY_KIND: Record<"basic" | "bearer" | "oauth", Credentials> = {
  basic: { kind: "basic", email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password },
  bearer: { kind: "bearer", accessToken: CREDENTIALS.acmeAccessToken.token },
  oauth: { kind: "oauth", clientId: CREDENTIALS.oauthClient.clientId, clientSecret: CREDENTIALS.oauthClient.secret },
};
const client = (kind: keyof typeof CREDENTIALS_BY_KIND = "basic") =>
  createClient({ apiUrl: emu.apiUrl, credentials: CREDENTIALS_BY_KIND[kind] }, { retry: FAST.retry });

/** The error of a hook listing answered `status` with `body`. */
async function answered(status: number, body: unknown, options: { contentType?: string; kind?: keyof typeof CREDENTIALS_BY_KIND } = {}) {
  await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${repo}/hooks`, status, body, contentType: options.contentType, times: 10 }]);
  const error = await client(options.kind)
    .api.listHooks(ws, repo)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!(error instanceof BitbucketApiError)) throw new Error(`expected a BitbucketApiError, got ${String(error)}`);
  expect(error.status).toBe(status);
  expect(error.message).toMatch(
    new RegExp(`^Bitbucket API GET http://127\\.0\\.0\\.1:\\d+/2\\.0/repositories/acme/platform-api/hooks\\?pagelen=100 failed with ${status}`),
  );
  expect(error.message).not.toMatch(/\[object Object\]|undefined|null/);
  return error;
}

const SCOPE_MESSAGE = "Your credentials lack one or more required privilege scopes.";
const scopes = (detail: unknown) => ({ type: "error", error: { message: SCOPE_MESSAGE, detail } });

describe("a 403 for a credential without a scope names the missing scopes and what to create", () => {
  test("an API token (basic): the scopes required and not granted, and to create an API token with them", async () => {
    const err = await answered(403, scopes({ required: ["webhook", "repository:admin"], granted: ["repository", "webhook"] }));
    expect(err.missingScopes).toEqual(["repository:admin"]);
    expect(err.message).toContain(`failed with 403: ${SCOPE_MESSAGE} Missing scopes: repository:admin (granted: repository, webhook).`);
    expect(err.message).toMatch(/Create an API token with the scopes repository:admin and set it as bitbucket:apiToken \(or BITBUCKET_API_TOKEN\)\.$/);
  });

  test("an access token (bearer): to create an access token with them", async () => {
    const err = await answered(403, scopes({ required: ["webhook"], granted: ["repository"] }), { kind: "bearer" });
    expect(err.missingScopes).toEqual(["webhook"]);
    expect(err.message).toMatch(
      /Missing scopes: webhook \(granted: repository\)\. Create an access token with the scopes webhook and set it as bitbucket:accessToken/,
    );
  });

  test("an OAuth consumer: to give the consumer those permissions", async () => {
    const err = await answered(403, scopes({ required: ["webhook", "pullrequest"], granted: [] }), { kind: "oauth" });
    expect(err.message).toMatch(/Missing scopes: webhook, pullrequest \(granted: none\)\. Give the OAuth consumer the permissions webhook, pullrequest/);
  });

  test("no granted list, or every required scope granted: the required scopes are named", async () => {
    expect((await answered(403, scopes({ required: ["webhook"] }))).message).toContain("Missing scopes: webhook (granted: none)");
    expect((await answered(403, scopes({ required: ["webhook"], granted: ["webhook"] }))).message).toContain("Missing scopes: webhook (granted: webhook)");
  });

  test("scope names that are not strings are kept as text or dropped, never executed or pasted as objects", async () => {
    const err = await answered(403, scopes({ required: ["webhook", 7, { evil: true }, null], granted: "repository" }));
    expect(err.missingScopes).toEqual(["webhook", "7"]);
  });
});

describe("error bodies of any shape", () => {
  test.each([
    [
      "detail a string",
      { error: { message: "Bad request", detail: "name is too long" } },
      /failed with 400: Bad request\. name is too long\. The request was rejected/,
    ],
    [
      "detail an array",
      { error: { message: "Bad request", detail: ["name is too long", 3, { field: "slug" }] } },
      /Bad request\. name is too long; 3; \{"field":"slug"\}\./,
    ],
    ["detail a number", { error: { message: "Bad request", detail: 42 } }, /failed with 400: Bad request\. 42\. The request/],
    ["detail null", { error: { message: "Bad request", detail: null } }, /failed with 400: Bad request\. The request was rejected/],
    ["detail another object", { error: { message: "Bad request", detail: { reason: "quota" } } }, /Bad request\. \{"reason":"quota"\}\./],
    ["no message", { type: "error", error: {} }, /failed with 400: Bad Request\. The request was rejected/],
    ["a message that is an object", { error: { message: { text: "odd" } } }, /failed with 400: \{"text":"odd"\}\./],
    ["error a string (OAuth style)", { error: "invalid_request", error_description: "pagelen is invalid" }, /failed with 400: pagelen is invalid\./],
    ["a bare message", { message: "Something broke" }, /failed with 400: Something broke\./],
    ["a JSON array", [1, "two"], /failed with 400: Bad Request\. 1; two\./],
    ["a JSON number", 404, /failed with 400: Bad Request\. 404\./],
    ["JSON null", null, /failed with 400: Bad Request\. The request was rejected/],
    ["fields that are not an object", { error: { message: "Bad request", fields: "slug" } }, /failed with 400: Bad request\. The request was rejected/],
  ])("%s", async (_shape, body, expected) => {
    expect((await answered(400, body)).message).toMatch(expected);
  });

  test("plain text: one line, at most 300 characters, without control characters", async () => {
    const text = `Service \u001b[31munavailable\u0007\nbehind the proxy ${"x".repeat(400)}`;
    const err = await answered(400, text);
    expect(err.apiMessage).toMatch(/^Service \[31munavailable behind the proxy x+…$/);
    expect(err.apiMessage).toHaveLength(300);
  });

  test("an HTML page: its title, not its markup", async () => {
    const err = await answered(400, "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>", {
      contentType: "text/html",
    });
    expect(err.apiMessage).toBe("502 Bad Gateway (an HTML page)");
    expect(err.message).not.toContain("<");
    expect((await answered(400, "<html><body>oops</body></html>", { contentType: "text/html" })).apiMessage).toBe("Bad Request");
  });

  test("an empty body: the status text", async () => {
    expect((await answered(400, "")).apiMessage).toBe("Bad Request");
  });

  test("a 5xx with an object detail is retried, then reported with its attempts", async () => {
    const err = await answered(503, { error: { message: "Down", detail: { retry: "later" } } });
    expect(err.attempts).toBe(FAST.retry!.attempts);
    expect(err.message).toMatch(/failed with 503: Down\. \{"retry":"later"\}\. Bitbucket had a server-side problem/);
  });
});

describe("the OAuth token endpoint's error bodies", () => {
  test.each([
    ["JSON null", null, "Unauthorized"],
    ["error_description an object", { error: "invalid_client", error_description: { why: "secret" } }, '{"why":"secret"}'],
    ["an HTML page", "<html><title>Login</title></html>", "Login (an HTML page)"],
  ])("%s: a message, not a TypeError", async (_shape, body, reason) => {
    // Twice: a 401 makes the client fetch a token once more.
    await script(emu, [{ method: "POST", pathPrefix: "/site/oauth2/access_token", status: 401, body, times: 2 }]);
    const err = await client("oauth")
      .api.getRepository(ws, repo)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BitbucketApiError);
    expect((err as Error).message).toContain(`OAuth client credentials were rejected (${reason})`);
    expect((err as Error).message).not.toContain(CREDENTIALS.oauthClient.secret);
  });
});
