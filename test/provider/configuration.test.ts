// The provider's settings (bitbucket:* config and BITBUCKET_* environment): the API URL is refused
// when it would send credentials in clear or elsewhere, request timeouts and retries are settable,
// and every retry, 429 wait and timeout is reported while it happens, naming the request's URL.
import { CREDENTIALS, REPOSITORIES, startEmulator, WORKSPACES } from "../../emulator";
import { BitbucketNetworkError, createClient } from "../../provider/client";
import { buildUrl } from "../../provider/client/http";
import { ConfigurationError, resolveSettings } from "../../provider/config";
import { configure, getClient, setOptions } from "../../provider/runtime";
import { admin, Emulator, FAST, ownerConfig, script } from "./helpers";

const basic = { "bitbucket:email": "a@b.test", "bitbucket:apiToken": "tok" };
const refusal = (config: Record<string, string>, env: Record<string, string> = {}): ConfigurationError => {
  try {
    resolveSettings(config, env);
  } catch (e) {
    if (e instanceof ConfigurationError) return e;
    throw e;
  }
  throw new Error(`accepted: ${JSON.stringify(config)} ${JSON.stringify(env)}`);
};

describe("the API URL", () => {
  test.each([
    ["http://api.bitbucket.org/2.0", /plain http:\/\/ to api\.bitbucket\.org.*unencrypted/],
    ["http://10.0.0.5:7990/2.0", /plain http:\/\/ to 10\.0\.0\.5/],
    ["http://127.0.0.1.nip.io/2.0", /plain http:\/\/ to 127\.0\.0\.1\.nip\.io/],
    ["http://localhost.example.com/2.0", /plain http:\/\/ to localhost\.example\.com/],
    ["http://[::ffff:7f00:1]/2.0", /plain http:\/\//],
    ["ftp://api.bitbucket.org/2.0", /is not an http\(s\) URL/],
    ["api.bitbucket.org/2.0", /is not a URL/],
    ["https://", /is not a URL/],
    ["https://api.bitbucket.org:99999/2.0", /is not a URL/],
    ["https://api.bitbucket.org/2.0?x=1", /must not have a query/],
    ["https://api.bitbucket.org/2.0#top", /must not have a query \(\?\) or a fragment/],
  ])("%s is refused, naming bitbucket:apiUrl", (apiUrl, reason) => {
    const err = refusal({ ...basic, "bitbucket:apiUrl": apiUrl });
    expect(err.message).toMatch(reason);
    expect(err.message).toMatch(/^bitbucket:apiUrl /);
    expect(err.keys).toEqual(["bitbucket:apiUrl"]);
  });

  test("the environment variable is named when the URL comes from it", () => {
    expect(refusal(basic, { BITBUCKET_API_URL: "http://bitbucket.internal/2.0" }).message).toMatch(/^BITBUCKET_API_URL .*plain http/);
  });

  test("a user name or password in the URL is refused without echoing it", () => {
    const err = refusal({ ...basic, "bitbucket:apiUrl": "https://me:hunter2-secret@api.bitbucket.org/2.0" });
    expect(err.message).toMatch(/must not carry a user name or password/);
    expect(err.message).not.toContain("hunter2-secret");
    expect(refusal({ ...basic, "bitbucket:apiUrl": "https://me:hunter2 secret@x" }).message).not.toContain("hunter2");
  });

  test.each([
    "http://127.0.0.1:7990/2.0",
    "http://127.8.9.10/2.0/",
    "http://localhost:7990/2.0",
    "http://[::1]:7990/2.0",
    "https://bitbucket.example.com/api/2.0/",
  ])("%s is accepted (https, or plain http to loopback), without its trailing slash", (apiUrl) => {
    expect(resolveSettings({ ...basic, "bitbucket:apiUrl": apiUrl }, {}).apiUrl).toBe(apiUrl.replace(/\/$/, ""));
  });
});

describe("credentials", () => {
  test("a value with spaces or control characters is refused by name, never echoed", () => {
    const err = refusal({ "bitbucket:accessToken": "abc\ndef-secret" });
    expect(err.message).toMatch(/bitbucket:accessToken contains spaces, control characters/);
    expect(err.message).not.toContain("def-secret");
    expect(refusal({ "bitbucket:email": "a@b.test", "bitbucket:apiToken": "two words" }).keys).toEqual(["bitbucket:apiToken"]);
  });

  test("the basic user must be an email address", () => {
    const err = refusal({ "bitbucket:email": "acme-owner", "bitbucket:apiToken": "t" });
    expect(err.message).toMatch(/bitbucket:email must be the email address of the Atlassian account/);
    expect(err.message).not.toContain("acme-owner");
  });

  test("a partial stack config says the environment's credentials are ignored", () => {
    const err = refusal({ "bitbucket:email": "a@b.test" }, { BITBUCKET_API_TOKEN: "env-token" });
    expect(err.message).toMatch(/bitbucket:apiToken is missing \(BITBUCKET_API_TOKEN in the environment is ignored while the stack config holds credentials\)/);
    expect(err.keys).toEqual(["bitbucket:apiToken"]);
  });
});

describe("request timeout and retries", () => {
  test("set through bitbucket:* config or BITBUCKET_* variables; the stack config wins", () => {
    const fromConfig = resolveSettings(
      { ...basic, "bitbucket:timeoutSeconds": "2.5", "bitbucket:retries": "0", "bitbucket:rateLimitWaitSeconds": "10", "bitbucket:concurrency": "32" },
      {},
    );
    expect(fromConfig.tuning).toEqual({ timeoutMs: 2500, attempts: 1, rateLimitWaitMs: 10_000, concurrency: 32 });
    const fromEnv = resolveSettings(basic, { BITBUCKET_TIMEOUT_SECONDS: "30", BITBUCKET_RETRIES: "7" });
    expect(fromEnv.tuning).toEqual({ timeoutMs: 30_000, attempts: 8 });
    expect(resolveSettings({ ...basic, "bitbucket:retries": "2" }, { BITBUCKET_RETRIES: "9" }).tuning.attempts).toBe(3);
  });

  test.each([
    ["bitbucket:timeoutSeconds", "0", /bitbucket:timeoutSeconds must be a number from 1 to 3600 \(got "0"\)/],
    ["bitbucket:timeoutSeconds", "ten", /must be a number from 1 to 3600/],
    ["bitbucket:retries", "-1", /bitbucket:retries must be a whole number from 0 to 20/],
    ["bitbucket:retries", "2.5", /bitbucket:retries must be a whole number/],
    ["bitbucket:retries", "100", /from 0 to 20/],
    ["bitbucket:rateLimitWaitSeconds", "1e3", /bitbucket:rateLimitWaitSeconds must be a number from 0 to 7200/],
    ["bitbucket:concurrency", "0", /bitbucket:concurrency must be a whole number from 1 to 64 \(got "0"\)/],
    ["bitbucket:concurrency", "8.5", /bitbucket:concurrency must be a whole number from 1 to 64/],
    ["bitbucket:concurrency", "65", /from 1 to 64/],
    ["bitbucket:adoptExisting", "yes", /bitbucket:adoptExisting must be true or false \(got "yes"\)/],
  ])("%s = %s is refused", (key, value, reason) => {
    const err = refusal({ ...basic, [key]: value });
    expect(err.message).toMatch(reason);
    expect(err.keys).toEqual([key]);
  });
});

describe("retries, waits and timeouts are reported while they happen", () => {
  let emu: Emulator;
  const ws = WORKSPACES.acme.slug;
  const repo = REPOSITORIES.platformApi;
  const owner = { kind: "basic" as const, email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password };
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, quiet: true });
  });
  afterAll(() => emu.stop());
  beforeEach(() => admin(emu, "PUT", "/config", { script: [], latencyMs: 0 }));

  const reporting = () => {
    const lines: string[] = [];
    return { lines, client: createClient({ apiUrl: emu.apiUrl, credentials: owner }, { retry: FAST.retry, notify: (m) => lines.push(m) }) };
  };

  test("each 5xx retry names the method, the concrete URL and the attempt; no credential", async () => {
    await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${encodeURIComponent(repo.uuid)}`, status: 503, times: 2 }]);
    const { lines, client } = reporting();
    await client.api.getRepository(ws, repo.uuid);
    const url = `${emu.apiUrl}/repositories/${ws}/${repo.uuid}`;
    expect(lines).toEqual([1, 2].map((n) => `GET ${url}: answered 503 (Service Unavailable) on attempt ${n} of 4; retrying.`));
    for (const line of lines) {
      expect(line).not.toContain(CREDENTIALS.owner.password);
      expect(line).not.toContain(Buffer.from(`${CREDENTIALS.owner.username}:${CREDENTIALS.owner.password}`).toString("base64"));
    }
  });

  test("a 429 says how long it waits", async () => {
    await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${repo.slug}`, status: 429, retryAfterSeconds: 1 }]);
    const { lines, client } = reporting();
    await client.api.getRepository(ws, repo.slug);
    expect(lines).toEqual([
      `GET ${emu.apiUrl}/repositories/${ws}/${repo.slug}: rate limited (429) on attempt 1 of 4; waiting 1 s (Retry-After), then sending it again.`,
    ]);
  });

  test("a request with no answer within bitbucket:timeoutSeconds is reported, retried, and the failure names the setting", async () => {
    setOptions({ ...FAST, notify: undefined });
    configure({ ...ownerConfig(emu), "bitbucket:timeoutSeconds": "1", "bitbucket:retries": "1" });
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stderr.write;
    await admin(emu, "PUT", "/config", { latencyMs: 1500 });
    let err: Error | undefined;
    try {
      await getClient().api.getRepository(ws, repo.slug);
    } catch (e) {
      err = e as Error;
    } finally {
      process.stderr.write = write;
    }
    expect(written).toEqual([
      `bitbucket: GET ${emu.apiUrl}/repositories/${ws}/${repo.slug}: no response: no answer within 1 s (bitbucket:timeoutSeconds) on attempt 1 of 2; retrying.\n`,
    ]);
    expect(err?.message).toMatch(/no response \(no answer within 1 s \(bitbucket:timeoutSeconds\)\)/);
    expect((err as BitbucketNetworkError).attempts).toBe(2);
  });

  test("429s do not use up attempts: with one attempt, a burst of them is waited out", async () => {
    await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${repo.slug}`, status: 429, retryAfterSeconds: 0, times: 3 }]);
    const lines: string[] = [];
    const client = createClient({ apiUrl: emu.apiUrl, credentials: owner, tuning: { attempts: 1 } }, { retry: FAST.retry, notify: (m) => lines.push(m) });
    expect((await client.api.getRepository(ws, repo.slug)).uuid).toBe(repo.uuid);
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => l.endsWith("rate limited (429) on attempt 1 of 1; waiting 0 s (Retry-After), then sending it again."))).toBe(true);
  });

  test("a Retry-After beyond bitbucket:rateLimitWaitSeconds fails at once, saying what to do", async () => {
    await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${repo.slug}`, status: 429, retryAfterSeconds: 30, times: 1 }]);
    const lines: string[] = [];
    const client = createClient(
      { apiUrl: emu.apiUrl, credentials: owner, tuning: { rateLimitWaitMs: 10_000 } },
      { retry: FAST.retry, notify: (m) => lines.push(m) },
    );
    const started = Date.now();
    const err = await client.api.getRepository(ws, repo.slug).catch((e) => e);
    expect(err.status).toBe(429);
    expect(err.message).toMatch(/longer than bitbucket:rateLimitWaitSeconds allows/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines).toEqual([]);
  });
});

describe("the URL builder", () => {
  test.each([".", ".."])("refuses a path parameter %p, which would change the endpoint", (value) => {
    expect(() =>
      buildUrl("https://api.bitbucket.org/2.0", {
        method: "POST",
        route: "/repositories/{workspace}/{repo_slug}/hooks",
        params: { workspace: "acme", repo_slug: value },
      }),
    ).toThrow(/Path parameter repo_slug for .* must not be empty, "\." or "\.\."/);
  });

  test("encodes slashes and encoded dots so they stay inside their segment", () => {
    const url = (slug: string) =>
      buildUrl("https://api.bitbucket.org/2.0", {
        method: "GET",
        route: "/repositories/{workspace}/{repo_slug}",
        params: { workspace: "acme", repo_slug: slug },
      });
    expect(url("../x")).toBe("https://api.bitbucket.org/2.0/repositories/acme/..%2Fx");
    expect(url("%2e%2e")).toBe("https://api.bitbucket.org/2.0/repositories/acme/%252e%252e");
    expect(url("{5eed0000-0000-4000-8000-000000000001}")).toBe("https://api.bitbucket.org/2.0/repositories/acme/%7B5eed0000-0000-4000-8000-000000000001%7D");
  });
});
