// Every read function with no credentials configured (no bitbucket:* config, no BITBUCKET_* credential
// variables): the functions build their own client, as in a program, and read public objects
// anonymously; private ones and a spent anonymous budget give messages naming what to do. Resources
// still refuse to run without credentials.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, seedState, USERS, WORKSPACES } from "../../../emulator";
import { saveState } from "../../../emulator/store";
import * as functions from "../../../provider/functions";
import { ConfigurationError, ENV_KEYS, resolveSettings } from "../../../provider/config";
import { clearCounters, Emulator, requests } from "../helpers";

type Read = (args: unknown) => Promise<unknown>;
const read = (name: string) => (functions as unknown as Record<string, Read>)[name];

/** What each function reads without an account: the public repository acme/website, the public workspace acme. */
const PUBLIC: Record<string, { args: unknown; expect: (result: any) => void }> = {
  getRepository: { args: "acme/website", expect: (r) => expect(r).toMatchObject({ fullName: "acme/website", isPrivate: false }) },
  getWorkspaceRepositories: {
    args: { workspace: "acme" },
    // Only the public ones: platform-api and its experiments are private.
    expect: (r) => expect(r.repositories.map((x: { slug: string }) => x.slug).sort()).toEqual(["website"]),
  },
  getForks: {
    args: { repository: "acme/website" },
    expect: (r) => expect(r.forks.map((f: { fullName: string }) => f.fullName)).toEqual(["globex/website-fork"]),
  },
  getWatchers: { args: { repository: "acme/website" }, expect: (r) => expect(r.watchers.length).toBeGreaterThan(0) },
  getBranches: { args: { repository: "acme/website" }, expect: (r) => expect(r.branches.map((b: { name: string }) => b.name)).toContain("main") },
  getTags: { args: { repository: "acme/website" }, expect: (r) => expect(Array.isArray(r.tags)).toBe(true) },
  getCommits: { args: { repository: "acme/website", limit: 2 }, expect: (r) => expect(r.commits).toHaveLength(2) },
  getPullRequests: { args: { repository: "acme/website" }, expect: (r) => expect(Array.isArray(r.pullRequests)).toBe(true) },
  getFileTree: { args: { repository: "acme/website" }, expect: (r) => expect(r.entries.map((e: { path: string }) => e.path)).toContain("README.md") },
  getFileContent: { args: { repository: "acme/website", path: "README.md" }, expect: (r) => expect(r.content.length).toBeGreaterThan(0) },
  getWorkspace: { args: { workspace: "acme" }, expect: (r) => expect(r).toMatchObject({ slug: "acme", name: "Acme" }) },
  getProjects: { args: { workspace: "acme" }, expect: (r) => expect(r.projects.map((p: { key: string }) => p.key)).toEqual(["WEB"]) },
  getProject: { args: { workspace: "acme", key: "WEB" }, expect: (r) => expect(r).toMatchObject({ key: "WEB" }) },
  getUser: { args: { user: USERS.alice.account_id }, expect: (r) => expect(r).toMatchObject({ uuid: USERS.alice.uuid, accountId: USERS.alice.account_id }) },
  getPipelinesOidcConfiguration: {
    args: { workspace: "acme" },
    expect: (r) => expect(r.issuer).toMatch(/\/2\.0\/workspaces\/acme\/pipelines-config\/identity\/oidc$/),
  },
  getPipelinesOidcKeys: { args: { workspace: "acme" }, expect: (r) => expect(r.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256" }) },
  getEffectiveDefaultReviewers: { args: { repository: "acme/website" }, expect: (r) => expect(Array.isArray(r.reviewers)).toBe(true) },
  getEffectiveBranchingModel: { args: { repository: "acme/website" }, expect: (r) => expect(r.branchTypes).toMatchObject({ feature: "feature/" }) },
  getProjectBranchingModel: { args: { workspace: "acme", key: "WEB" }, expect: (r) => expect(r.branchTypes).toMatchObject({ feature: "feature/" }) },
  getWebhookTypes: { args: { subjectType: "repository" }, expect: (r) => expect(r.types.map((t: { event: string }) => t.event)).toContain("repo:push") },
  getDeploymentEnvironments: { args: { repository: "acme/website" }, expect: (r) => expect(Array.isArray(r.environments)).toBe(true) },
};

const CONFIGURE = /reading it needs credentials: set bitbucket:email \+ bitbucket:apiToken/;

/** What Bitbucket shows only to an account, even on public objects: the message names the credentials to set. */
const ACCOUNT_ONLY: Record<string, unknown> = {
  getCurrentUser: {},
  getWorkspaceMembers: { workspace: "acme" },
  getRepositoryPermissions: { repository: "acme/website" },
  getProjectPermissions: { workspace: "acme", key: "WEB" },
  getRepositoryVariables: { repository: "acme/website" },
  getWorkspaceVariables: { workspace: "acme" },
  getPipelineSchedules: { repository: "acme/website" },
};

const readFunctions = Object.keys(functions).filter((k) => /^get[A-Z]/.test(k) && !k.endsWith("Output"));

describe("read functions with no credentials configured", () => {
  let emu: Emulator;
  let dir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    // acme made a public workspace; globex stays private.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "anonymous-"));
    const state = seedState("default");
    state.workspaces.find((w) => w.slug === WORKSPACES.acme.slug)!.is_private = false;
    saveState(path.join(dir, "state.json"), state);
    emu = await startEmulator({ port: 0, quiet: true, dataFile: path.join(dir, "state.json") });
    for (const key of Object.values(ENV_KEYS)) delete process.env[key];
    process.env[ENV_KEYS.apiUrl] = emu.apiUrl;
    process.env[ENV_KEYS.retries] = "0";
  });

  afterAll(async () => {
    process.env = saved;
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("every read function is listed here: readable without an account, or an account's only", () => {
    expect(readFunctions.filter((name) => !(name in PUBLIC) && !(name in ACCOUNT_ONLY))).toEqual([]);
  });

  test.each(Object.keys(PUBLIC))("%s reads a public object without an account", async (name) => {
    await clearCounters(emu);
    PUBLIC[name].expect(await read(name)(PUBLIC[name].args));
    const sent = await requests(emu);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.status < 400)).toBe(true);
  });

  test.each(Object.keys(ACCOUNT_ONLY))("%s without an account says that reading it needs credentials", async (name) => {
    await expect(read(name)(ACCOUNT_ONLY[name])).rejects.toThrow(CONFIGURE);
  });

  test("a private repository: the message says it is private or does not exist and names the credentials to set", async () => {
    await expect(functions.getRepository("acme/platform-api")).rejects.toThrow(
      /Repository acme\/platform-api is private or does not exist; reading it needs credentials: set bitbucket:email/,
    );
    await expect(functions.getBranches({ repository: "acme/platform-api" })).rejects.toThrow(/acme\/platform-api is private or does not exist/);
    await expect(functions.getFileContent({ repository: "acme/platform-api", path: "README.md" })).rejects.toThrow(/is private or does not exist/);
  });

  test("a private project of a public workspace: the message says it may be private and names the credentials to set", async () => {
    await expect(functions.getProject({ workspace: "acme", key: "PLAT" })).rejects.toThrow(
      /failed with 403.*\(it may be private\); reading it needs credentials: set/,
    );
  });

  test("a private workspace: the message says it is private or does not exist; its public repositories stay readable", async () => {
    await expect(functions.getWorkspace({ workspace: "globex" })).rejects.toThrow(/It is private or does not exist; reading it needs credentials/);
    await expect(functions.getProjects({ workspace: "globex" })).rejects.toThrow(/It is private or does not exist; reading it needs credentials/);
    const { repositories } = await functions.getWorkspaceRepositories({ workspace: "globex" });
    expect(repositories.map((r) => r.fullName)).toEqual(["globex/website-fork"]);
  });

  test("a spent anonymous budget: the 429's message names the anonymous budget and how to configure credentials, at once", async () => {
    await fetch(`${emu.url}/_emulator/config`, { method: "PUT", body: JSON.stringify({ anonymousRateLimit: { limit: 1, windowMs: 3_600_000 } }) });
    try {
      await functions.getWorkspace({ workspace: "acme" });
      const started = Date.now();
      await expect(functions.getWorkspace({ workspace: "acme" })).rejects.toThrow(
        /failed with 429.*anonymous budget \(60 requests an hour per address\) is spent.*read with credentials.*bitbucket:accessToken/,
      );
      // Not waited out (an hour's budget): no bitbucket:rateLimitWaitSeconds was set.
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await fetch(`${emu.url}/_emulator/config`, { method: "PUT", body: JSON.stringify({ anonymousRateLimit: null }) });
    }
  });

  test("resources still need credentials: resolving a resource's settings with none fails as before", () => {
    expect(() => resolveSettings({}, { [ENV_KEYS.apiUrl]: emu.apiUrl })).toThrow(ConfigurationError);
    expect(() => resolveSettings({}, { [ENV_KEYS.apiUrl]: emu.apiUrl })).toThrow(/^No Bitbucket credentials found/);
    expect(resolveSettings({}, { [ENV_KEYS.apiUrl]: emu.apiUrl }, { allowAnonymous: true }).credentials).toEqual({ kind: "anonymous" });
  });

  test("credentials set are used, not anonymity: a half-set pair is refused for reads too", async () => {
    process.env[ENV_KEYS.email] = "owner@acme.test";
    try {
      await expect(functions.getWorkspace({ workspace: "acme" })).rejects.toThrow(/Incomplete Bitbucket credentials: BITBUCKET_API_TOKEN is missing/);
    } finally {
      delete process.env[ENV_KEYS.email];
    }
  });
});
