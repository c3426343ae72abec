import { CREDENTIALS, USERS } from "../../emulator/seed";
import { admin, Auth, Client } from "../support/emulator-client";
import { expectConforms } from "./spec-conformance";
import { startEmulator } from "../../emulator";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("faults-and-admin");

const get = async (path: string, opts?: Parameters<typeof ctx.api.get>[1]) => {
  const res = await ctx.api.get(path, opts);
  expectConforms(res);
  return res;
};

describe("rate limit", () => {
  const oauthToken = async () => {
    const { clientId, secret } = CREDENTIALS.oauthClient;
    const res = await fetch(`${ctx.emu.url}/site/oauth2/access_token`, {
      method: "POST",
      headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    return { header: `Bearer ${((await res.json()) as { access_token: string }).access_token}` };
  };
  const statuses = async (auth: Auth, n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await get("/repositories/acme/website", { auth })).status);
    return out;
  };

  test("a budget per credential: per user for API tokens, per access token, per OAuth consumer", async () => {
    await admin(ctx.emu.url, "PUT", "/config", { rateLimit: { limit: 2, windowMs: 3_600_000 } });
    // The owner's two API tokens spend one budget (the user's); alice has her own.
    expect(await statuses(CREDENTIALS.owner, 1)).toEqual([200]);
    expect(await statuses(CREDENTIALS.ownerReadRepository, 2)).toEqual([200, 429]);
    expect(await statuses(CREDENTIALS.owner, 1)).toEqual([429]);
    expect(await statuses(CREDENTIALS.alice, 3)).toEqual([200, 200, 429]);
    // Each access token has its own budget.
    expect(await statuses(CREDENTIALS.acmeAccessToken, 3)).toEqual([200, 200, 429]);
    expect(await statuses(CREDENTIALS.acmeAccessTokenWithoutWebhooks, 1)).toEqual([200]);
    // Two tokens of one OAuth consumer spend the consumer's budget, apart from its user's (the owner's).
    expect(await statuses(await oauthToken(), 1)).toEqual([200]);
    expect(await statuses(await oauthToken(), 2)).toEqual([200, 429]);
  });

  test("the 429: Bitbucket's message in the spec's error body, no Retry-After unless asked", async () => {
    await admin(ctx.emu.url, "PUT", "/config", { rateLimit: { limit: 1, windowMs: 3_600_000 } });
    await get("/repositories/acme/website");
    const limited = await get("/repositories/acme/website");
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ type: "error", error: { message: "Rate limit for this resource has been exceeded" } });
    expect(limited.headers.get("retry-after")).toBeNull();
  });

  test("only access tokens are told X-RateLimit-Limit, -Resource and -NearLimit (true under 5% of the budget left)", async () => {
    await admin(ctx.emu.url, "PUT", "/config", { rateLimit: { limit: 20, windowMs: 3_600_000 } });
    const rateLimitHeaders = (res: { headers: Headers }) =>
      ["x-ratelimit-limit", "x-ratelimit-resource", "x-ratelimit-nearlimit"].map((h) => res.headers.get(h));
    for (const auth of [CREDENTIALS.owner, await oauthToken()]) {
      for (let i = 0; i < 20; i++) expect(rateLimitHeaders(await get("/repositories/acme/website", { auth }))).toEqual([null, null, null]);
      const limited = await get("/repositories/acme/website", { auth });
      expect([limited.status, ...rateLimitHeaders(limited)]).toEqual([429, null, null, null]);
    }
    const auth = CREDENTIALS.acmeAccessToken;
    for (let i = 1; i < 20; i++) expect(rateLimitHeaders(await get("/repositories/acme/website", { auth }))).toEqual(["20", "api", "false"]);
    expect(rateLimitHeaders(await get("/repositories/acme/website", { auth }))).toEqual(["20", "api", "true"]);
    const limited = await get("/repositories/acme/website", { auth });
    expect([limited.status, ...rateLimitHeaders(limited)]).toEqual([429, "20", "api", "true"]);
    expect(limited.headers.get("retry-after")).toBeNull();
  });

  test("a request with no valid credential spends no budget", async () => {
    await admin(ctx.emu.url, "PUT", "/config", { rateLimit: { limit: 1, windowMs: 3_600_000 } });
    const wrong = { kind: "basic", username: CREDENTIALS.owner.username, password: "wrong" } as const;
    for (let i = 0; i < 3; i++) expect((await ctx.api.get("/repositories/acme/website", { auth: wrong })).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await ctx.api.request("PUT", "/repositories/acme/website", { auth: null, body: {} })).status).toBe(401);
    expect(await statuses(CREDENTIALS.owner, 2)).toEqual([200, 429]);
  });

  test("answers 429 with Retry-After (whole seconds ≥ 1) and the spec's error body once the window's quota is used", async () => {
    await admin(ctx.emu.url, "PUT", "/config", { rateLimit: { limit: 3, windowMs: 60_000, retryAfter: true } });
    for (let i = 0; i < 3; i++) expect((await get("/repositories/acme/website")).status).toBe(200);
    const limited = await get("/repositories/acme/website");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(Number(limited.headers.get("retry-after")))).toBe(true);
    expect(limited.body).toMatchObject({ type: "error", error: { message: expect.stringMatching(/Rate limit/) } });
  });

  test("admin requests do not count, and the quota comes back after the window", async () => {
    await admin(ctx.emu.url, "PUT", "/config", { rateLimit: { limit: 2, windowMs: 300 } });
    await get("/repositories/acme/website");
    for (let i = 0; i < 5; i++) await admin(ctx.emu.url, "GET", "/counters");
    expect((await get("/repositories/acme/website")).status).toBe(200);
    expect((await get("/repositories/acme/website")).status).toBe(429);
    await new Promise((r) => setTimeout(r, 350));
    expect((await get("/repositories/acme/website")).status).toBe(200);
  });

  test("set at start", async () => {
    const limited = await startEmulator({ quiet: true, rateLimit: { limit: 1, windowMs: 60_000 } });
    try {
      const client = new Client(limited.apiUrl);
      expect((await client.get("/repositories/acme/website")).status).toBe(200);
      expect((await client.get("/repositories/acme/website")).status).toBe(429);
    } finally {
      await limited.stop();
    }
  });
});

describe("faults", () => {
  test("latency delays every API answer", async () => {
    await admin(ctx.emu.url, "PUT", "/config", { latencyMs: 150 });
    const started = Date.now();
    await get("/repositories/acme/website");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test("errorRate 1 answers one of errorStatuses with the error body", async () => {
    await admin(ctx.emu.url, "PUT", "/config", { errorRate: 1, errorStatuses: [502] });
    const res = await ctx.api.get("/repositories/acme/website");
    expect(res.status).toBe(502);
    expect(res.body.type).toBe("error");
  });

  test("errorRate 0.5 gives a share of 500/502/503 among successes", async () => {
    await admin(ctx.emu.url, "PUT", "/config", { errorRate: 0.5 });
    const statuses = [];
    for (let i = 0; i < 60; i++) statuses.push((await ctx.api.get("/repositories/acme/website")).status);
    const errors = statuses.filter((s) => s >= 500);
    expect(errors.length).toBeGreaterThan(10);
    expect(errors.length).toBeLessThan(50);
    expect(new Set(errors).size).toBeGreaterThan(1);
    expect(errors.every((s) => [500, 502, 503].includes(s))).toBe(true);
  });

  test("dropRate 1 destroys the connection without an answer", async () => {
    await admin(ctx.emu.url, "PUT", "/config", { dropRate: 1 });
    await expect(ctx.api.get("/repositories/acme/website")).rejects.toThrow();
    const [entry] = await admin(ctx.emu.url, "GET", "/requests");
    expect(entry).toMatchObject({ status: 0, fault: "drop" });
  });

  test("a lost response applies the write, then drops the connection", async () => {
    await admin(ctx.emu.url, "PUT", "/config", { lostResponseRate: 1 });
    await expect(ctx.api.post("/repositories/acme/lost-and-found", {})).rejects.toThrow();
    await admin(ctx.emu.url, "PUT", "/config", { lostResponseRate: 0 });
    expect((await get("/repositories/acme/lost-and-found")).status).toBe(200);
  });

  test("lostResponseRate leaves reads alone", async () => {
    await admin(ctx.emu.url, "PUT", "/config", { lostResponseRate: 1 });
    expect((await get("/repositories/acme/website")).status).toBe(200);
  });

  test("a script queues deterministic faults that matching requests consume in order", async () => {
    await admin(ctx.emu.url, "PUT", "/config", {
      script: [
        { method: "GET", pathPrefix: "/repositories/acme/website", status: 429, retryAfterSeconds: 7, times: 2 },
        { pathPrefix: "/repositories/acme/platform-api", status: 503 },
        { method: "POST", lostResponse: true },
        { method: "DELETE", drop: true },
      ],
    });
    expect((await ctx.api.get("/repositories/acme/platform-api/refs/tags")).status).toBe(503);
    expect((await ctx.api.get("/repositories/acme/platform-api/refs/tags")).status).toBe(200);
    const first = await get("/repositories/acme/website");
    expect([first.status, first.headers.get("retry-after")]).toEqual([429, "7"]);
    expect((await get("/repositories/acme/website")).status).toBe(429);
    expect((await get("/repositories/acme/website")).status).toBe(200);
    await expect(ctx.api.post("/repositories/acme/scripted", {})).rejects.toThrow();
    expect((await get("/repositories/acme/scripted")).status).toBe(200);
    await expect(ctx.api.delete("/repositories/acme/scripted")).rejects.toThrow();
    // The dropped DELETE did nothing.
    expect((await get("/repositories/acme/scripted")).status).toBe(200);
    expect((await admin(ctx.emu.url, "GET", "/config")).script).toEqual([]);
  });

  test("a scripted nextLink rewrites a page's next: to itself, back to the first page, or on past the end", async () => {
    const first = ctx.api.url("/repositories/acme?pagelen=100");
    await admin(ctx.emu.url, "PUT", "/config", { script: [{ method: "GET", nextLink: "self" }] });
    expect((await get("/repositories/acme?pagelen=100")).body.next).toBe(first);
    expect((await get("/repositories/acme?pagelen=100")).body.next).toBeUndefined();

    await admin(ctx.emu.url, "PUT", "/config", { script: [{ method: "GET", nextLink: "repeat", times: 2 }] });
    const pageOne = await get("/repositories/acme?pagelen=100");
    expect(pageOne.body.next).toBe(`${first}&page=1`);
    const again = await get(pageOne.body.next);
    expect(again.body.next).toBe(first);
    expect(again.body.values).toEqual(pageOne.body.values);

    await admin(ctx.emu.url, "PUT", "/config", { script: [{ method: "GET", nextLink: "endless", times: 2 }] });
    const start = await get("/repositories/acme?pagelen=100");
    const past = await get("/repositories/acme?pagelen=100&page=7");
    expect([start.body.next, past.body.next]).toEqual([`${first}&page=2`, `${first}&page=8`]);
    expect(past.body.values).toEqual(start.body.values);
    // The log keeps the page that was asked.
    expect((await admin(ctx.emu.url, "GET", "/requests")).at(-1).path).toBe("/2.0/repositories/acme?pagelen=100&page=7");
  });

  test("a scripted nextLink leaves an answer that is not a page alone", async () => {
    await admin(ctx.emu.url, "PUT", "/config", { script: [{ method: "GET", nextLink: "self" }] });
    const repo = await get("/repositories/acme/website");
    expect([repo.status, repo.body.next]).toEqual([200, undefined]);
    expect((await admin(ctx.emu.url, "GET", "/config")).script).toEqual([]);
  });

  test("a scripted status answers the body given: JSON of any shape, or text with its content type", async () => {
    const scopes = {
      type: "error",
      error: { message: "Your credentials lack one or more required privilege scopes.", detail: { required: ["webhook"], granted: [] } },
    };
    await admin(ctx.emu.url, "PUT", "/config", {
      script: [
        { pathPrefix: "/repositories/acme/website", status: 403, body: scopes },
        { pathPrefix: "/repositories/acme/website", status: 502, body: "<html><title>Bad gateway</title></html>", contentType: "text/html" },
        { pathPrefix: "/repositories/acme/website", status: 500, body: "upstream failed" },
      ],
    });
    const json = await ctx.api.get("/repositories/acme/website");
    expect([json.status, json.body]).toEqual([403, scopes]);
    const html = await ctx.api.get("/repositories/acme/website");
    expect([html.status, html.contentType, html.text]).toEqual([502, "text/html", "<html><title>Bad gateway</title></html>"]);
    const text = await ctx.api.get("/repositories/acme/website");
    expect([text.status, text.contentType, text.text]).toEqual([500, "text/plain; charset=utf-8", "upstream failed"]);
  });

  test("PUT /_emulator/config refuses unknown keys and bad values with 400", async () => {
    await expect(admin(ctx.emu.url, "PUT", "/config", { script: [{ nextLink: "sideways" }] })).rejects.toThrow(
      /400.*nextLink must be one of self, repeat, endless/,
    );
    await expect(admin(ctx.emu.url, "PUT", "/config", { script: [{ body: "x" }] })).rejects.toThrow(/400.*body and contentType need a status/);
    await expect(admin(ctx.emu.url, "PUT", "/config", { script: [{ status: 500, times: 0 }] })).rejects.toThrow(/400.*times must be an integer/);
    await expect(admin(ctx.emu.url, "PUT", "/config", { errorRate: 2 })).rejects.toThrow(/400/);
    await expect(admin(ctx.emu.url, "PUT", "/config", { chaos: true })).rejects.toThrow(/400/);
    await expect(admin(ctx.emu.url, "PUT", "/config", { rateLimit: { limit: 1, windowMs: 1000, retryAfter: "yes" } })).rejects.toThrow(/400.*retryAfter/);
    await expect(admin(ctx.emu.url, "PUT", "/config", { rateLimit: { limit: 1, windowMs: 1000, perIp: true } })).rejects.toThrow(/400.*rateLimit/);
  });

  test("faults set at start apply from the first request", async () => {
    const faulty = await startEmulator({ quiet: true, faults: { errorRate: 1, errorStatuses: [500] } });
    try {
      expect((await new Client(faulty.apiUrl).get("/repositories/acme/website")).status).toBe(500);
    } finally {
      await faulty.stop();
    }
  });
});

describe("observability and reset", () => {
  test("the request log records method, path, spec route, status and time", async () => {
    await get("/repositories/acme/website?pagelen=1");
    await ctx.api.get("/nope");
    const log = await admin(ctx.emu.url, "GET", "/requests");
    expect(log).toEqual([
      { method: "GET", path: "/2.0/repositories/acme/website?pagelen=1", route: "/repositories/{workspace}/{repo_slug}", status: 200, ms: expect.any(Number) },
      { method: "GET", path: "/2.0/nope", route: null, status: 404, ms: expect.any(Number) },
    ]);
  });

  test("counters count by method and spec template; DELETE /_emulator/requests clears them", async () => {
    await get("/repositories/acme/website");
    await get("/repositories/acme/platform-api");
    await get("/repositories/acme/platform-api/watchers?pagelen=1");
    expect(await admin(ctx.emu.url, "GET", "/counters")).toEqual({
      total: 3,
      byRoute: { "GET /repositories/{workspace}/{repo_slug}": 2, "GET /repositories/{workspace}/{repo_slug}/watchers": 1 },
    });
    await admin(ctx.emu.url, "DELETE", "/requests");
    expect(await admin(ctx.emu.url, "GET", "/counters")).toEqual({ total: 0, byRoute: {} });
    expect(await admin(ctx.emu.url, "GET", "/requests")).toEqual([]);
  });

  test("POST /_emulator/reset restores the seed and clears log, counters and faults", async () => {
    await ctx.api.delete("/repositories/acme/website");
    await admin(ctx.emu.url, "PUT", "/config", { latencyMs: 5, errorRate: 0.1, rateLimit: { limit: 100, windowMs: 1000 } });
    await admin(ctx.emu.url, "POST", "/reset");
    expect((await get("/repositories/acme/website")).status).toBe(200);
    const config = await admin(ctx.emu.url, "GET", "/config");
    expect(config).toMatchObject({ latencyMs: 0, errorRate: 0, dropRate: 0, lostResponseRate: 0, rateLimit: null, script: [] });
    expect((await admin(ctx.emu.url, "GET", "/counters")).total).toBe(1);
  });

  test("PUT /_emulator/api-token rotates a user's token: the old one is refused at once, the new one works, reset restores the seed's", async () => {
    const owner = CREDENTIALS.owner;
    await admin(ctx.emu.url, "PUT", "/api-token", { email: owner.username, apiToken: "acme-api-token-rotated" });
    expect((await ctx.api.get("/repositories/acme/website")).status).toBe(401);
    expect((await get("/repositories/acme/website", { auth: { ...owner, password: "acme-api-token-rotated" } })).status).toBe(200);

    await expect(admin(ctx.emu.url, "PUT", "/api-token", { email: "nobody@acme.test", apiToken: "x" })).rejects.toThrow(/404 .*No user with email/);
    await expect(admin(ctx.emu.url, "PUT", "/api-token", { email: owner.username, apiToken: "" })).rejects.toThrow(/400/);

    ctx.emu.reset();
    expect((await ctx.api.get("/repositories/acme/website")).status).toBe(200);
  });

  test("an unknown admin endpoint is 404", async () => {
    await expect(admin(ctx.emu.url, "GET", "/nothing")).rejects.toThrow(/404/);
  });
});

describe("OAuth client credentials", () => {
  const tokenUrl = () => `${ctx.emu.url}/site/oauth2/access_token`;
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

  async function requestToken(id: string, secret: string, grant = "client_credentials") {
    return fetch(tokenUrl(), {
      method: "POST",
      headers: { Authorization: basic(id, secret), "Content-Type": "application/x-www-form-urlencoded" },
      body: `grant_type=${grant}`,
    });
  }

  test("issues a bearer token that acts as the owner", async () => {
    const res = await requestToken(CREDENTIALS.oauthClient.clientId, CREDENTIALS.oauthClient.secret);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string };
    expect(body).toMatchObject({ token_type: "bearer", expires_in: 3600, access_token: expect.any(String), scopes: expect.any(String) });
    const user = await ctx.api.get("/user", { auth: { header: `Bearer ${body.access_token}` } });
    expectConforms(user);
    expect(user.body.uuid).toBe(USERS.acmeOwner.uuid);
    const perms = await ctx.api.get("/repositories/acme/platform-api/permissions-config/groups", { auth: { header: `Bearer ${body.access_token}` } });
    expect(perms.status).toBe(200);
  });

  test("wrong client credentials are 401 invalid_client; another grant is 400", async () => {
    const wrong = await requestToken("acme-oauth-client", "nope");
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toBe("invalid_client");
    const grant = await requestToken(CREDENTIALS.oauthClient.clientId, CREDENTIALS.oauthClient.secret, "password");
    expect(grant.status).toBe(400);
  });

  test.each([
    ["", null],
    [" (the same with a rate limit, which must not forget the token first)", { limit: 100, windowMs: 60_000 }],
  ])("a token expires after oauthTokenTtlSeconds, then answers 401%s", async (_, rateLimit) => {
    const short = await startEmulator({ quiet: true, oauthTokenTtlSeconds: 1, rateLimit });
    try {
      const res = await fetch(`${short.url}/site/oauth2/access_token`, {
        method: "POST",
        headers: {
          Authorization: basic(CREDENTIALS.oauthClient.clientId, CREDENTIALS.oauthClient.secret),
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      });
      const { access_token } = (await res.json()) as { access_token: string };
      const client = new Client(short.apiUrl, { header: `Bearer ${access_token}` });
      expect((await client.get("/repositories/acme/website")).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1050));
      const expired = await client.get("/repositories/acme/website");
      expectConforms(expired);
      expect(expired.status).toBe(401);
      expect(expired.body.error.message).toBe("Access token expired");
    } finally {
      await short.stop();
    }
  });
});
