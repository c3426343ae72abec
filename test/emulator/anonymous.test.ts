// Requests without credentials, as Bitbucket answers them: public objects readable, private ones 403
// (repositories, as the spec says) or 404 (workspaces), writes 401, and an anonymous budget per address
// (off by default, like the credentials' rate limit).
import { CREDENTIALS, REPOSITORIES, startEmulator, USERS } from "../../emulator";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

let emu: Emulator;
/** A request with no Authorization header (unless `init` sets one); its JSON as the test reads it. */
const anonymous = (path: string, init: RequestInit = {}) => fetch(`${emu.apiUrl}${path}`, init) as Promise<Omit<Response, "json"> & { json(): Promise<any> }>;
const owner = `Basic ${Buffer.from(`${CREDENTIALS.owner.username}:${CREDENTIALS.owner.password}`).toString("base64")}`;
const config = (patch: unknown) => fetch(`${emu.url}/_emulator/config`, { method: "PUT", body: JSON.stringify(patch) });

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
});
afterAll(() => emu.stop());
afterEach(async () => {
  await config({ anonymousRateLimit: null, rateLimit: null });
});

test.each(["", "/refs/branches", "/refs/tags", "/commits", "/src/main/README.md", "/forks", "/watchers", "/pullrequests"])(
  "GET of the public repository acme/website%s is answered without credentials",
  async (suffix) => {
    expect((await anonymous(`/repositories/acme/website${suffix}`)).status).toBe(200);
  },
);

test("a private repository is 403 without credentials, as the spec says; an unknown one 404", async () => {
  const res = await anonymous("/repositories/acme/platform-api");
  expect(res.status).toBe(403);
  expect((await res.json()).error.message).toMatch(/access/);
  expect((await anonymous(`/repositories/acme/${encodeURIComponent(REPOSITORIES.platformApi.uuid)}/refs/branches`)).status).toBe(403);
  expect((await anonymous("/repositories/acme/ghost")).status).toBe(404);
});

test("a private workspace is 404 without credentials; its public repositories are listed, its private ones are not", async () => {
  expect((await anonymous("/workspaces/acme")).status).toBe(404);
  const listed = await (await anonymous("/repositories/acme")).json();
  expect(listed.values.map((r: { full_name: string }) => r.full_name)).toEqual(["acme/website"]);
});

test("writes without credentials are 401, and change nothing", async () => {
  const before = await (await anonymous("/repositories/acme/website")).json();
  const put = await anonymous("/repositories/acme/website", {
    method: "PUT",
    body: JSON.stringify({ description: "anon" }),
    headers: { "content-type": "application/json" },
  });
  expect(put.status).toBe(401);
  expect(put.headers.get("www-authenticate")).toMatch(/^Basic/);
  expect((await anonymous("/repositories/acme/website/hooks", { method: "POST", body: "{}" })).status).toBe(401);
  expect((await anonymous("/repositories/acme/website", { method: "DELETE" })).status).toBe(401);
  expect((await (await anonymous("/repositories/acme/website")).json()).description).toBe(before.description);
});

test("what only an account may read: /user is 401, a public repository's hooks and grants 403", async () => {
  expect((await anonymous("/user")).status).toBe(401);
  expect((await anonymous("/user/workspaces")).status).toBe(401);
  expect((await anonymous("/repositories/acme/website/hooks")).status).toBe(403);
  expect((await anonymous("/repositories/acme/website/permissions-config/users")).status).toBe(403);
});

test("GET /users/{selected_user}: a user's public profile by account id or {uuid}, to anyone; 404 for an unknown one", async () => {
  for (const id of [USERS.alice.account_id, USERS.alice.uuid]) {
    const res = await anonymous(`/users/${encodeURIComponent(id)}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      type: "user",
      uuid: USERS.alice.uuid,
      account_id: USERS.alice.account_id,
      display_name: USERS.alice.display_name,
    });
  }
  expect((await anonymous(`/users/${encodeURIComponent("{5eed9999-0000-4000-8000-000000000000}")}`)).status).toBe(404);
});

test("the Pipelines OIDC discovery document and keys are public, even of a private workspace; 404 for an unknown workspace", async () => {
  const base = "/workspaces/acme/pipelines-config/identity/oidc";
  const configuration = await (await anonymous(`${base}/.well-known/openid-configuration`)).json();
  expect(configuration.issuer).toBe(`${emu.apiUrl}${base}`);
  expect(configuration.jwks_uri).toBe(`${emu.apiUrl}${base}/keys.json`);
  expect(configuration.id_token_signing_alg_values_supported).toEqual(["RS256"]);
  const { keys } = await (await anonymous(`${base}/keys.json`)).json();
  expect(keys).toHaveLength(1);
  expect(keys[0]).toMatchObject({ kty: "RSA", use: "sig", alg: "RS256", e: "AQAB" });
  expect(Buffer.from(keys[0].n, "base64url").length).toBe(256);
  expect((await anonymous("/workspaces/nowhere/pipelines-config/identity/oidc/keys.json")).status).toBe(404);
});

test("the anonymous budget is off by default", async () => {
  for (let i = 0; i < 70; i++) expect((await anonymous("/repositories/acme/website")).status).toBe(200);
});

test("anonymousRateLimit: beyond the address's budget, 429 with Bitbucket's message; credentials keep their own budget", async () => {
  await config({ anonymousRateLimit: { limit: 2, windowMs: 3_600_000 } });
  expect((await anonymous("/repositories/acme/website")).status).toBe(200);
  expect((await anonymous("/users/" + USERS.alice.account_id)).status).toBe(200);
  const refused = await anonymous("/repositories/acme/website");
  expect(refused.status).toBe(429);
  expect((await refused.json()).error.message).toBe("Rate limit for this resource has been exceeded");
  expect(refused.headers.get("x-ratelimit-limit")).toBeNull();
  expect((await anonymous("/repositories/acme/website", { headers: { authorization: owner } })).status).toBe(200);
});

test("anonymous writes spend no budget (they are refused 401)", async () => {
  await config({ anonymousRateLimit: { limit: 1, windowMs: 3_600_000 } });
  for (let i = 0; i < 3; i++) expect((await anonymous("/repositories/acme/website", { method: "DELETE" })).status).toBe(401);
  expect((await anonymous("/repositories/acme/website")).status).toBe(200);
});

test("anonymousRateLimit is checked like rateLimit", async () => {
  const res = await config({ anonymousRateLimit: { limit: 0, windowMs: 1000 } });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^anonymousRateLimit must be null or \{ limit > 0/);
});
