// The HTTP client and the configuration, against the emulator: auth, OAuth renewal, retries,
// the concurrency cap, pagination and error messages; the projects endpoints.
import { CREDENTIALS, REPOSITORIES, startEmulator, USERS, WORKSPACES } from "../../emulator";
import { BitbucketApiError, BitbucketNetworkError, createClient } from "../../provider/client";
import type { Credentials } from "../../provider/client/auth";
import { tokenUrl } from "../../provider/client/auth";
import type { FetchLike } from "../../provider/client/http";
import { paginate } from "../../provider/client/paginate";
import { resolveSettings } from "../../provider/config";
import { configure, getClient, setOptions } from "../../provider/runtime";
import { admin, asOwner, clearCounters, counters, Emulator, FAST, requests, script } from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
});
afterAll(() => emu.stop());
beforeEach(() => admin(emu, "PUT", "/config", { script: [], latencyMs: 0 }));

const owner: Credentials = { kind: "basic", email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password };
const client = (credentials: Credentials = owner, options = {}) => createClient({ apiUrl: emu.apiUrl, credentials }, { retry: FAST.retry, ...options });
const ws = WORKSPACES.acme.slug;
const repo = REPOSITORIES.platformApi;

describe("configuration", () => {
  const basicConfig = { "bitbucket:email": "a@b.test", "bitbucket:apiToken": "t" };

  test("stack config: basic, bearer and OAuth, with the default API URL", () => {
    expect(resolveSettings(basicConfig, {})).toEqual({
      apiUrl: "https://api.bitbucket.org/2.0",
      credentials: { kind: "basic", email: "a@b.test", apiToken: "t" },
      credentialKeys: ["bitbucket:email", "bitbucket:apiToken"],
      tuning: {},
      adoptExisting: false,
    });
    expect(resolveSettings({ "bitbucket:accessToken": "x" }, {}).credentials).toEqual({ kind: "bearer", accessToken: "x" });
    expect(resolveSettings({ "bitbucket:oauthClientId": "i", "bitbucket:oauthClientSecret": "s", "bitbucket:apiUrl": "http://127.0.0.1:1/2.0/" }, {})).toEqual({
      apiUrl: "http://127.0.0.1:1/2.0",
      credentials: { kind: "oauth", clientId: "i", clientSecret: "s" },
      credentialKeys: ["bitbucket:oauthClientId", "bitbucket:oauthClientSecret"],
      tuning: {},
      adoptExisting: false,
    });
  });

  test("environment variables when the stack config has no credentials; the stack config wins otherwise", () => {
    const env = { BITBUCKET_ACCESS_TOKEN: "env-token", BITBUCKET_API_URL: "http://127.0.0.1:9/2.0" };
    expect(resolveSettings({}, env)).toEqual({
      apiUrl: "http://127.0.0.1:9/2.0",
      credentials: { kind: "bearer", accessToken: "env-token" },
      credentialKeys: ["BITBUCKET_ACCESS_TOKEN"],
      tuning: {},
      adoptExisting: false,
    });
    expect(resolveSettings(basicConfig, env).credentials.kind).toBe("basic");
  });

  test("missing credentials: one error naming every option", () => {
    expect(() => resolveSettings({}, {})).toThrow(
      /No Bitbucket credentials found.*bitbucket:email \+ bitbucket:apiToken.*bitbucket:accessToken.*bitbucket:oauthClientId.*BITBUCKET_EMAIL \+ BITBUCKET_API_TOKEN.*BITBUCKET_ACCESS_TOKEN.*BITBUCKET_OAUTH_CLIENT_ID/,
    );
  });

  test("conflicting and incomplete credentials are named, and values are never echoed", () => {
    let message = "";
    try {
      resolveSettings({ ...basicConfig, "bitbucket:accessToken": "super-secret-token" }, {});
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Conflicting Bitbucket credentials: bitbucket:email, bitbucket:apiToken, bitbucket:accessToken/);
    expect(message).not.toContain("super-secret-token");
    expect(() => resolveSettings({}, { BITBUCKET_EMAIL: "a@b.test" })).toThrow(/Incomplete Bitbucket credentials: BITBUCKET_API_TOKEN is missing/);
    expect(() => resolveSettings({ "bitbucket:oauthClientId": "i" }, {})).toThrow(/bitbucket:oauthClientSecret is missing/);
    expect(() => resolveSettings({ ...basicConfig, "bitbucket:apiUrl": "not a url" }, {})).toThrow(/"not a url" is not a URL/);
  });

  test("the runtime reads credentials at call time and reports missing ones at the first API call", async () => {
    setOptions(FAST);
    configure({});
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith("BITBUCKET_")) delete process.env[k];
    try {
      expect(() => getClient()).toThrow(/No Bitbucket credentials found/);
      process.env.BITBUCKET_API_URL = emu.apiUrl;
      process.env.BITBUCKET_ACCESS_TOKEN = CREDENTIALS.acmeAccessToken.token;
      const repoObj = await getClient().api.getRepository(ws, repo.slug);
      expect(repoObj.uuid).toBe(repo.uuid);
    } finally {
      process.env = saved;
    }
  });

  test("OAuth tokens come from bitbucket.org for the real API, else from the API URL's origin", () => {
    expect(tokenUrl("https://api.bitbucket.org/2.0")).toBe("https://bitbucket.org/site/oauth2/access_token");
    expect(tokenUrl("http://127.0.0.1:7990/2.0")).toBe("http://127.0.0.1:7990/site/oauth2/access_token");
  });
});

describe("authentication failures", () => {
  test("401 with a wrong token: status, the API's message, what to do, and no secret", async () => {
    const err = await client({ kind: "basic", email: CREDENTIALS.owner.username, apiToken: "wrong-token-value" })
      .api.getRepository(ws, repo.slug)
      .catch((e) => e);
    expect(err).toBeInstanceOf(BitbucketApiError);
    expect(err.status).toBe(401);
    expect(err.message).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+\/2\.0\/repositories\/acme\/platform-api failed with 401: Invalid credentials.*check the credentials/,
    );
    expect(err.message).not.toContain("wrong-token-value");
    expect(err.message).not.toContain(Buffer.from(`${CREDENTIALS.owner.username}:wrong-token-value`).toString("base64"));
    expect(err.attempts).toBe(1); // 401 is not retried
  });

  test("403 for a member without admin rights", async () => {
    const alice: Credentials = { kind: "basic", email: CREDENTIALS.alice.username, apiToken: CREDENTIALS.alice.password };
    const err = await client(alice)
      .api.updateRepository(ws, repo.slug, { description: "x" })
      .catch((e) => e);
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/failed with 403: .*lack the right.*admin/);
  });

  test("403 for an access token on permissions-config says access tokens cannot manage permissions", async () => {
    const err = await client({ kind: "bearer", accessToken: CREDENTIALS.acmeAccessToken.token })
      .api.repositoryGrants.groups.put(ws, repo.slug, "developers", "read")
      .catch((e) => e);
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/Access tokens cannot manage repository permissions.*access tokens cannot manage permissions/);
  });

  test("OAuth client credentials with a wrong secret: a clear error without the secret", async () => {
    const err = await client({ kind: "oauth", clientId: CREDENTIALS.oauthClient.clientId, clientSecret: "not-the-secret" })
      .api.getRepository(ws, repo.slug)
      .catch((e) => e);
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/OAuth client credentials were rejected.*bitbucket:oauthClientSecret/);
    expect(err.message).not.toContain("not-the-secret");
  });
});

describe("OAuth client credentials", () => {
  const oauth: Credentials = { kind: "oauth", clientId: CREDENTIALS.oauthClient.clientId, clientSecret: CREDENTIALS.oauthClient.secret };

  test("the token is obtained once and reused", async () => {
    const c = client(oauth);
    await clearCounters(emu);
    await c.api.getRepository(ws, repo.slug);
    await c.api.getRepository(ws, repo.slug);
    await c.api.getHook(ws, repo.slug, "{00000000-0000-4000-8000-000000000000}").catch(() => undefined);
    const { byRoute } = await counters(emu);
    expect(byRoute["POST /site/oauth2/access_token"]).toBe(1);
    expect(byRoute["GET /repositories/{workspace}/{repo_slug}"]).toBe(2);
  });

  test("a token the API no longer accepts (401) is renewed once and the request succeeds", async () => {
    const c = client(oauth);
    await c.api.getRepository(ws, repo.slug);
    emu.reset(); // forgets every issued token
    await clearCounters(emu);
    const r = await c.api.getRepository(ws, repo.slug);
    expect(r.uuid).toBe(repo.uuid);
    const { byRoute } = await counters(emu);
    expect(byRoute["POST /site/oauth2/access_token"]).toBe(1);
    expect(byRoute["GET /repositories/{workspace}/{repo_slug}"]).toBe(2); // the 401, then the success
  });

  test("a token is renewed before it expires (emulator TTL of 2 s)", async () => {
    const short = await startEmulator({ port: 0, quiet: true, oauthTokenTtlSeconds: 2 });
    try {
      const c = createClient({ apiUrl: short.apiUrl, credentials: oauth }, { retry: FAST.retry });
      await c.api.getRepository(ws, repo.slug);
      await new Promise((r) => setTimeout(r, 2100));
      await c.api.getRepository(ws, repo.slug);
      const log = (await (await fetch(`${short.url}/_emulator/requests`)).json()) as { route: string; status: number }[];
      expect(log.map((e) => `${e.route} ${e.status}`)).toEqual([
        "/site/oauth2/access_token 200",
        "/repositories/{workspace}/{repo_slug} 200",
        "/site/oauth2/access_token 200",
        "/repositories/{workspace}/{repo_slug} 200",
      ]);
    } finally {
      await short.stop();
    }
  });
});

describe("retries", () => {
  test("429 is retried after Retry-After", async () => {
    await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${repo.slug}`, status: 429, retryAfterSeconds: 1 }]);
    await clearCounters(emu);
    const started = Date.now();
    const r = await client().api.getRepository(ws, repo.slug);
    expect(r.uuid).toBe(repo.uuid);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect((await counters(emu)).byRoute["GET /repositories/{workspace}/{repo_slug}"]).toBe(2);
  });

  test("429s answered again and again with Retry-After: 0 end after 100 waits, saying so", async () => {
    // Without a count, waits of 0 s never add up to bitbucket:rateLimitWaitSeconds: the request would loop as long as the 429s come.
    await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${repo.slug}`, status: 429, retryAfterSeconds: 0, times: 150 }]);
    await clearCounters(emu);
    const err = await client(owner, { notify: () => undefined })
      .api.getRepository(ws, repo.slug)
      .catch((e) => e);
    expect(err).toBeInstanceOf(BitbucketApiError);
    expect(err.status).toBe(429);
    expect(err.message).toMatch(
      /failed with 429: .*Bitbucket answered 429 \(rate limited\) 101 times in a row to this request: wait for the rate limit to free up/,
    );
    expect((await counters(emu)).byRoute["GET /repositories/{workspace}/{repo_slug}"]).toBe(101);
  });

  test("the emulator's rolling rate limit: every request gets through, waiting out the 429s", async () => {
    const limited = await startEmulator({ port: 0, quiet: true, rateLimit: { limit: 3, windowMs: 1000, retryAfter: true } });
    try {
      const c = createClient({ apiUrl: limited.apiUrl, credentials: owner }, { retry: FAST.retry });
      const results = await Promise.all(Array.from({ length: 5 }, () => c.api.getRepository(ws, repo.slug)));
      expect(results.every((r) => r.uuid === repo.uuid)).toBe(true);
      const log = (await (await fetch(`${limited.url}/_emulator/requests`)).json()) as { status: number }[];
      expect(log.filter((e) => e.status === 429).length).toBeGreaterThan(0);
      expect(log.filter((e) => e.status === 200)).toHaveLength(5);
    } finally {
      await limited.stop();
    }
  });

  describe("429s without Retry-After (Bitbucket's): the client pauses in steps suited to a rolling hour", () => {
    /** A sleep that returns at once and remembers what it was asked to wait. */
    const recordingSleep = () => {
      const slept: number[] = [];
      return { slept, sleep: async (ms: number) => void slept.push(ms) };
    };
    const url = () => `${emu.apiUrl}/repositories/${ws}/${repo.slug}`;
    const pauseLine = (n: number, of: number, s: number, total: number) =>
      `Bitbucket's rate limit is reached (GET ${url()} answered 429): waiting ${s} s (until HH:MM:SS UTC) before sending again, wait ${n} of ${of}; up to ${total} s in all (bitbucket:rateLimitWaitSeconds).`;
    /** The line with the time of day it waits until made comparable. */
    const timeless = (line: string) => line.replace(/\(until \d\d:\d\d:\d\d UTC\)/, "(until HH:MM:SS UTC)");

    test("the waits grow (30 s, 60 s, 120 s...), each reported once with its time", async () => {
      await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${repo.slug}`, status: 429, times: 3 }]);
      const { slept, sleep } = recordingSleep();
      const lines: string[] = [];
      const c = createClient(
        { apiUrl: emu.apiUrl, credentials: owner, tuning: { rateLimitWaitMs: 600_000 } },
        { retry: FAST.retry, sleep, notify: (m) => lines.push(m) },
      );
      expect((await c.api.getRepository(ws, repo.slug)).uuid).toBe(repo.uuid);
      expect(slept).toEqual([30_000, 60_000, 120_000]);
      expect(lines.map(timeless)).toEqual([pauseLine(1, 5, 30, 600), pauseLine(2, 5, 60, 600), pauseLine(3, 5, 120, 600)]);
    });

    test("a run whose 429s waiting within bitbucket:rateLimitWaitSeconds outlasts succeeds (the last wait shortened to fit); one more 429 fails naming the setting", async () => {
      const waitedOut = recordingSleep();
      await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${repo.slug}`, status: 429, times: 4 }]);
      const fits = createClient(
        { apiUrl: emu.apiUrl, credentials: owner, tuning: { rateLimitWaitMs: 240_000 } },
        { retry: FAST.retry, sleep: waitedOut.sleep, notify: () => undefined },
      );
      expect((await fits.api.getRepository(ws, repo.slug)).uuid).toBe(repo.uuid);
      expect(waitedOut.slept).toEqual([30_000, 60_000, 120_000, 30_000]);

      const spent = recordingSleep();
      await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${repo.slug}`, status: 429, times: 5 }]);
      const tooLong = createClient(
        { apiUrl: emu.apiUrl, credentials: owner, tuning: { rateLimitWaitMs: 240_000 } },
        { retry: FAST.retry, sleep: spent.sleep, notify: () => undefined },
      );
      const err = await tooLong.api.getRepository(ws, repo.slug).catch((e) => e);
      expect(err).toBeInstanceOf(BitbucketApiError);
      expect(err.status).toBe(429);
      expect(err.message).toMatch(/longer than bitbucket:rateLimitWaitSeconds allows/);
      expect(spent.slept).toEqual([30_000, 60_000, 120_000, 30_000]);
    });

    test("one pause for every request in flight: reported once, all wait it out, then all go through", async () => {
      await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${repo.slug}`, status: 429, times: 4 }]);
      await clearCounters(emu);
      const slept: number[] = [];
      let release = () => undefined as void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const lines: string[] = [];
      const c = createClient(
        { apiUrl: emu.apiUrl, credentials: owner, tuning: { rateLimitWaitMs: 600_000 } },
        { retry: FAST.retry, sleep: (ms) => (slept.push(ms), released), notify: (m) => lines.push(m) },
      );
      const all = Promise.all(Array.from({ length: 4 }, () => c.api.getRepository(ws, repo.slug)));
      // Every request has its 429 before the pause ends.
      while ((await requests(emu)).filter((e) => e.status === 429).length < 4) await new Promise((r) => setTimeout(r, 10));
      release();
      expect((await all).every((r) => r.uuid === repo.uuid)).toBe(true);
      expect(slept).toEqual([30_000]);
      expect(lines.map(timeless)).toEqual([pauseLine(1, 5, 30, 600)]);
      expect((await counters(emu)).byRoute["GET /repositories/{workspace}/{repo_slug}"]).toBe(8);
    });

    test("against the emulator's per-credential rolling limit: every request gets through, each pause reported once", async () => {
      const limited = await startEmulator({ port: 0, quiet: true, rateLimit: { limit: 3, windowMs: 200 } });
      try {
        const slept: number[] = [];
        const lines: string[] = [];
        // Each pause lasts a hundredth of its time: longer than the emulator's 200 ms window all the same.
        const sleep = (ms: number) => (slept.push(ms), new Promise<void>((r) => setTimeout(r, ms / 100)));
        const c = createClient(
          { apiUrl: limited.apiUrl, credentials: owner, tuning: { rateLimitWaitMs: 600_000 } },
          { retry: FAST.retry, sleep, notify: (m) => lines.push(m) },
        );
        const results = await Promise.all(Array.from({ length: 8 }, () => c.api.getRepository(ws, repo.slug)));
        expect(results.every((r) => r.uuid === repo.uuid)).toBe(true);
        const log = (await (await fetch(`${limited.url}/_emulator/requests`)).json()) as { status: number }[];
        expect(log.filter((e) => e.status === 200)).toHaveLength(8);
        expect(log.filter((e) => e.status === 429).length).toBeGreaterThan(0);
        expect(slept.length).toBeGreaterThan(0);
        expect(lines).toHaveLength(slept.length);
        expect(lines.every((l) => l.startsWith("Bitbucket's rate limit is reached"))).toBe(true);
      } finally {
        await limited.stop();
      }
    });
  });

  test("429 on a POST that could duplicate is still retried: the request was not processed", async () => {
    await script(emu, [{ method: "POST", pathPrefix: `/repositories/${ws}/${repo.slug}/hooks`, status: 429, retryAfterSeconds: 0 }]);
    await clearCounters(emu);
    const hook = await client().api.createHook(ws, repo.slug, { url: "https://ci.example.com/h429", events: ["repo:push"] });
    expect((await counters(emu)).byRoute["POST /repositories/{workspace}/{repo_slug}/hooks"]).toBe(2);
    await client().api.deleteHook(ws, repo.slug, hook.uuid);
  });

  test.each([500, 502, 503])("%d on an idempotent request is retried", async (status) => {
    await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${repo.slug}`, status, times: 2 }]);
    await clearCounters(emu);
    const r = await client().api.getRepository(ws, repo.slug);
    expect(r.uuid).toBe(repo.uuid);
    expect((await counters(emu)).byRoute["GET /repositories/{workspace}/{repo_slug}"]).toBe(3);
  });

  test("a dropped connection on an idempotent request is retried", async () => {
    await script(emu, [{ method: "PUT", pathPrefix: `/repositories/${ws}/${repo.slug}`, drop: true }]);
    await clearCounters(emu);
    const { repository } = await client().api.updateRepository(ws, repo.slug, { description: "after a drop" });
    expect(repository.description).toBe("after a drop");
    expect((await counters(emu)).byRoute["PUT /repositories/{workspace}/{repo_slug}"]).toBe(2);
  });

  test("a webhook POST whose response is lost is not retried, so there is no duplicate", async () => {
    const before = (await asOwner(emu, "GET", `/repositories/${ws}/${repo.slug}/hooks`)).body.values.length;
    await script(emu, [{ method: "POST", pathPrefix: `/repositories/${ws}/${repo.slug}/hooks`, lostResponse: true }]);
    await clearCounters(emu);
    const err = await client()
      .api.createHook(ws, repo.slug, { url: "https://ci.example.com/lost", events: ["repo:push"] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(BitbucketNetworkError);
    expect(err.message).toMatch(
      /POST http:\/\/127\.0\.0\.1:\d+\/2\.0\/repositories\/acme\/platform-api\/hooks: no response .*may or may not have been applied.*check Bitbucket/,
    );
    expect((await counters(emu)).byRoute["POST /repositories/{workspace}/{repo_slug}/hooks"]).toBe(1);
    const after = (await asOwner(emu, "GET", `/repositories/${ws}/${repo.slug}/hooks`)).body.values;
    expect(after.length).toBe(before + 1);
    await asOwner(emu, "DELETE", `/repositories/${ws}/${repo.slug}/hooks/${encodeURIComponent(after[after.length - 1].uuid)}`);
  });

  test("a 503 on a webhook POST is not retried either", async () => {
    await script(emu, [{ method: "POST", pathPrefix: `/repositories/${ws}/${repo.slug}/hooks`, status: 503 }]);
    await clearCounters(emu);
    const err = await client()
      .api.createHook(ws, repo.slug, { url: "https://ci.example.com/x", events: ["repo:push"] })
      .catch((e) => e);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/failed with 503.*retry later/);
    expect((await counters(emu)).byRoute["POST /repositories/{workspace}/{repo_slug}/hooks"]).toBe(1);
  });

  test("when retries run out the last error is reported with the number of attempts", async () => {
    await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${repo.slug}`, status: 500, times: 10 }]);
    const err = await client()
      .api.getRepository(ws, repo.slug)
      .catch((e) => e);
    expect(err.status).toBe(500);
    expect(err.attempts).toBe(FAST.retry!.attempts);
    await admin(emu, "PUT", "/config", { script: [] });
  });

  test("an unreachable API gives a network error naming the URL", async () => {
    const closed = await startEmulator({ port: 0, quiet: true });
    await closed.stop();
    const c = createClient({ apiUrl: closed.apiUrl, credentials: owner }, { retry: { ...FAST.retry, attempts: 2 } });
    const err = await c.api.getRepository(ws, repo.slug).catch((e) => e);
    expect(err).toBeInstanceOf(BitbucketNetworkError);
    expect(err.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/2\.0\/repositories\/acme\/platform-api: no response \(ECONNREFUSED/);
    expect(err.attempts).toBe(2);
  });
});

describe("concurrency and pagination", () => {
  /** A fetch that remembers the most requests it had in flight at once. */
  function peakCountingFetch(): { fetch: FetchLike; peak: () => number; reset: () => void } {
    let inFlight = 0;
    let peak = 0;
    const counting: FetchLike = async (url, init) => {
      peak = Math.max(peak, ++inFlight);
      try {
        return await fetch(url, init);
      } finally {
        inFlight--;
      }
    };
    return { fetch: counting, peak: () => peak, reset: () => (peak = 0) };
  }

  test("no more requests in flight than the cap", async () => {
    await admin(emu, "PUT", "/config", { latencyMs: 50 });
    const counting = peakCountingFetch();
    const c = client(owner, { fetch: counting.fetch, concurrency: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, () => c.api.getRepository(ws, repo.slug)));
    expect(results).toHaveLength(6);
    expect(counting.peak()).toBe(2);
  });

  test("bitbucket:concurrency (tuning) sets the cap over the embedder's option", async () => {
    await admin(emu, "PUT", "/config", { latencyMs: 50 });
    const counting = peakCountingFetch();
    const c = createClient(
      { apiUrl: emu.apiUrl, credentials: owner, tuning: { concurrency: 5 } },
      { retry: FAST.retry, fetch: counting.fetch, concurrency: 2 },
    );
    await Promise.all(Array.from({ length: 12 }, () => c.api.getRepository(ws, repo.slug)));
    expect(counting.peak()).toBe(5);
  });

  test("while X-RateLimit-NearLimit says the budget is nearly spent, one request at a time; back to the cap once it says otherwise", async () => {
    // 200 an hour: NearLimit says true from the 191st request on (under 5% left). Only access tokens are told.
    const limited = await startEmulator({ port: 0, quiet: true, rateLimit: { limit: 200, windowMs: 3_600_000 }, faults: { latencyMs: 20 } });
    try {
      const lines: string[] = [];
      const counting = peakCountingFetch();
      const c = createClient(
        { apiUrl: limited.apiUrl, credentials: { kind: "bearer", accessToken: CREDENTIALS.acmeAccessToken.token } },
        { retry: FAST.retry, fetch: counting.fetch, notify: (m) => lines.push(m) },
      );
      /** Reads the repository n times at once; returns the most requests that were in flight together. */
      const reads = async (n: number) => {
        counting.reset();
        const results = await Promise.all(Array.from({ length: n }, () => c.api.getRepository(ws, repo.slug)));
        expect(results.every((r) => r.uuid === repo.uuid)).toBe(true);
        return counting.peak();
      };
      expect(await reads(40)).toBe(8);
      await reads(151);
      expect(lines).toEqual(["Bitbucket says its rate limit is nearly spent (X-RateLimit-NearLimit): sending one request at a time until it frees up."]);
      expect(await reads(8)).toBe(1);
      const log = (await (await fetch(`${limited.url}/_emulator/requests`)).json()) as { status: number }[];
      expect(log.filter((e) => e.status === 429)).toHaveLength(0);
      // The budget frees up (a new limit restarts it): the next answer says so, and the cap is back.
      await fetch(`${limited.url}/_emulator/config`, { method: "PUT", body: JSON.stringify({ rateLimit: { limit: 200, windowMs: 3_600_000 } }) });
      await reads(1);
      expect(lines[1]).toBe("Bitbucket's rate limit is no longer nearly spent: back to 8 requests at a time.");
      expect(await reads(16)).toBe(8);
    } finally {
      await limited.stop();
    }
  });

  test("a 429 that says the budget is nearly spent (X-RateLimit-NearLimit on the refusal) paces at once, before the next answer", async () => {
    await admin(emu, "PUT", "/config", { latencyMs: 20 });
    const lines: string[] = [];
    const counting = peakCountingFetch();
    let refused = false;
    // The first answer is Bitbucket's refusal with the header; the emulator answers the rest (access tokens: no rate limit set, no headers).
    const refusingOnce: FetchLike = async (url, init) => {
      if (refused) return counting.fetch(url, init);
      refused = true;
      const body = JSON.stringify({ type: "error", error: { message: "Rate limit for this resource has been exceeded" } });
      return new Response(body, { status: 429, headers: { "content-type": "application/json", "retry-after": "0", "x-ratelimit-nearlimit": "true" } });
    };
    const c = createClient(
      { apiUrl: emu.apiUrl, credentials: { kind: "bearer", accessToken: CREDENTIALS.acmeAccessToken.token } },
      { retry: FAST.retry, fetch: refusingOnce, notify: (m) => lines.push(m) },
    );
    await c.api.getRepository(ws, repo.slug);
    counting.reset();
    await Promise.all(Array.from({ length: 6 }, () => c.api.getRepository(ws, repo.slug)));
    expect(lines).toContain("Bitbucket says its rate limit is nearly spent (X-RateLimit-NearLimit): sending one request at a time until it frees up.");
    expect(counting.peak()).toBe(1);
  });

  test("pages are followed through `next` until it is absent", async () => {
    const c = client();
    const n = (await asOwner(emu, "GET", `/repositories/${ws}?pagelen=100`)).body.size;
    await clearCounters(emu);
    const all = await paginate<{ uuid: string }>(c.send, emu.apiUrl, {
      method: "GET",
      route: "/repositories/{workspace}",
      params: { workspace: ws },
      query: { pagelen: 1 },
    });
    expect(n).toBeGreaterThan(1);
    expect(all).toHaveLength(n);
    expect(new Set(all.map((r) => r.uuid)).size).toBe(n);
    expect((await counters(emu)).byRoute["GET /repositories/{workspace}"]).toBe(n);
  });

  test("list endpoints ask for 100 per page", async () => {
    await clearCounters(emu);
    const repos = await client().api.listRepositories(ws);
    expect(repos.length).toBeGreaterThan(1);
    const log: { path: string }[] = await admin(emu, "GET", "/requests");
    expect(log.map((e) => e.path)).toEqual([`/2.0/repositories/${ws}?pagelen=100`]);
  });

  test("explicit user permissions list (paginated), seed data", async () => {
    const perms = await client().api.repositoryGrants.users.list(ws, repo.slug);
    expect(perms.map((p) => p.user.uuid)).toContain(USERS.alice.uuid);
  });
});

describe("projects", () => {
  test("create, read, list, update (a new key comes from Location) and delete, at the spec's routes", async () => {
    const { api } = client();
    await clearCounters(emu);
    const created = await api.createProject(ws, { key: "CLIENT", name: "Client Test", description: "made by the client", is_private: false });
    expect(created).toMatchObject({ key: "CLIENT", name: "Client Test", description: "made by the client", is_private: false });
    expect(await api.getProject(ws, "CLIENT")).toMatchObject({ uuid: created.uuid, name: "Client Test" });
    expect((await api.listProjects(ws)).map((p) => p.key)).toEqual(expect.arrayContaining(["PLAT", "CLIENT"]));

    const renamed = await api.updateProject(ws, "CLIENT", { name: "Client Test 2" });
    expect(renamed).toEqual({ project: expect.objectContaining({ uuid: created.uuid, key: "CLIENT", name: "Client Test 2" }), locationKey: undefined });
    const moved = await api.updateProject(ws, "CLIENT", { key: "CLIENT2" });
    expect(moved).toEqual({ project: expect.objectContaining({ uuid: created.uuid, key: "CLIENT2" }), locationKey: "CLIENT2" });

    await api.deleteProject(ws, "CLIENT2");
    await expect(api.getProject(ws, "CLIENT2")).rejects.toMatchObject({ status: 404 });
    expect((await requests(emu)).map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /2.0/workspaces/${ws}/projects`,
      `GET /2.0/workspaces/${ws}/projects/CLIENT`,
      `GET /2.0/workspaces/${ws}/projects?pagelen=100`,
      `PUT /2.0/workspaces/${ws}/projects/CLIENT`,
      `PUT /2.0/workspaces/${ws}/projects/CLIENT`,
      `DELETE /2.0/workspaces/${ws}/projects/CLIENT2`,
      `GET /2.0/workspaces/${ws}/projects/CLIENT2`,
    ]);
  });

  test("a project that still holds repositories is not deleted: the API's 403", async () => {
    const err = await client()
      .api.deleteProject(ws, "PLAT")
      .catch((e) => e);
    expect(err).toBeInstanceOf(BitbucketApiError);
    expect(err.status).toBe(403);
    expect((await client().api.getProject(ws, "PLAT")).key).toBe("PLAT");
  });
});
