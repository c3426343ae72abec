// The bad-input catalogue, through the real Pulumi CLI: every case is a program or a config that must
// be refused by `pulumi preview` (non-zero exit), with the field or config key named in an error line,
// no write request reaching the emulator, and no secret printed. One small program builds the case's
// resources from an environment variable; a few stacks ("lanes", each with its own emulator so its
// request counters belong to one case at a time) are reused across cases, rewriting the stack's
// config file instead of calling `pulumi config set` per case.
import * as fs from "fs";
import { startEmulator } from "../../emulator";
import { CREDENTIALS, REPOSITORIES, USERS } from "../../emulator/seed";
import { ensurePulumiCli, Program, PulumiStack, runtime } from "./helpers";

jest.setTimeout(30 * 60_000);

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Kind =
  "Repository" | "Fork" | "Webhook" | "GroupPermission" | "UserPermission" | "OverrideSettings" | "RepositoryAccess" | "ProjectAccess" | "RepositoryWebhooks";
interface ResourceSpec {
  kind: Kind;
  name: string;
  args: Record<string, unknown>;
}

/** A config value: plain, a secret (stored encrypted, like `pulumi config set --secret`), or removed. */
type ConfigValue = string | { secret: string } | null;

interface Case {
  resources: ResourceSpec[];
  /** What must appear in one of the `error:` lines: the field, argument or config key. */
  names: string;
  /** Changes to the lane's base config (the owner's API token against the lane's emulator). */
  config?: Record<string, ConfigValue>;
  /** Extra environment of the CLI (BITBUCKET_* credentials). */
  env?: Record<string, string>;
}

// The program: each case's resources, from BAD_INPUT_CASE; `{ "$secret": v }` becomes pulumi.secret(v).
const PROGRAM: Program = {
  projectYaml: "name: bad-input\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
  files: {
    "package.json": JSON.stringify({ name: "bad-input", main: "index.js" }),
    "index.js": `const pulumi = require("@pulumi/pulumi");
const bitbucket = require("pulumi-bitbucket-cloud");
const unwrap = (v) => (v && typeof v === "object" && "$secret" in v ? pulumi.secret(v.$secret) : v);
for (const r of JSON.parse(process.env.BAD_INPUT_CASE)) {
  new bitbucket[r.kind](r.name, Object.fromEntries(Object.entries(r.args).map(([k, v]) => [k, unwrap(v)])));
}
`,
  },
};

const WS = "acme";
const REPO = REPOSITORIES.platformApi.slug;
const HOOK_SECRET = "hook-secret-7b2f-do-not-print-".padEnd(129, "x");
const SECRETS = {
  apiToken: CREDENTIALS.owner.password,
  accessToken: CREDENTIALS.acmeAccessToken.token,
  oauthSecret: CREDENTIALS.oauthClient.secret,
  spacedToken: "acme access token with spaces",
};

const one = (kind: Kind, args: Record<string, unknown>): ResourceSpec[] => [{ kind, name: kind.toLowerCase(), args }];
const repository = (args: Record<string, unknown> = {}) => one("Repository", { workspace: WS, name: "bad-input-repo", ...args });
const fork = (args: Record<string, unknown> = {}) => one("Fork", { workspace: WS, repository: REPO, name: "bad-input-fork", ...args });
const webhook = (args: Record<string, unknown> = {}) =>
  one("Webhook", { workspace: WS, repository: REPO, url: "https://ci.example.com/hook", events: ["repo:push"], ...args });
const group = (args: Record<string, unknown> = {}) =>
  one("GroupPermission", { workspace: WS, repository: REPO, groupSlug: "developers", permission: "read", ...args });
const user = (args: Record<string, unknown> = {}) =>
  one("UserPermission", { workspace: WS, repository: REPO, user: USERS.alice.account_id, permission: "read", ...args });
const override = (args: Record<string, unknown> = {}) => one("OverrideSettings", { workspace: WS, repository: REPO, ...args });

const repositoryAccess = (args: Record<string, unknown> = {}) =>
  one("RepositoryAccess", { workspace: WS, repository: REPO, groups: { developers: "read" }, ...args });
const projectAccess = (args: Record<string, unknown> = {}) => one("ProjectAccess", { workspace: WS, project: "PLAT", groups: { developers: "read" }, ...args });
const repositoryWebhooks = (url: string) => one("RepositoryWebhooks", { workspace: WS, repository: REPO, webhooks: { ci: { url, events: ["repo:push"] } } });

const noBasic = { "bitbucket:email": null, "bitbucket:apiToken": null };
const bearer = { ...noBasic, "bitbucket:accessToken": { secret: SECRETS.accessToken } };
const hookUrl = (url: string): Case => ({ resources: webhook({ url }), names: "url" });

const CASES: Record<string, Case> = {
  // Repository
  "Repository: misspelled argument isPrivat": { resources: repository({ isPrivat: true }), names: "isPrivat" },
  "Repository: unknown argument forkpolicy (wrong case)": { resources: repository({ forkpolicy: "no_forks" }), names: "forkpolicy" },
  "Repository: name missing": { resources: one("Repository", { workspace: WS }), names: "name" },
  "Repository: name of punctuation only": { resources: repository({ name: "!!!" }), names: "name" },
  "Repository: name of 256 characters": { resources: repository({ name: "n".repeat(256) }), names: "name" },
  "Repository: slug '.'": { resources: repository({ slug: "." }), names: "slug" },
  "Repository: slug '..'": { resources: repository({ slug: ".." }), names: "slug" },
  "Repository: slug with a slash": { resources: repository({ slug: "a/b" }), names: "slug" },
  "Repository: slug of 63 characters": { resources: repository({ slug: "s".repeat(63) }), names: "slug" },
  "Repository: workspace '.'": { resources: repository({ workspace: "." }), names: "workspace" },
  "Repository: workspace '..'": { resources: repository({ workspace: ".." }), names: "workspace" },
  "Repository: workspace '%2e%2e'": { resources: repository({ workspace: "%2e%2e" }), names: "workspace" },
  "Repository: forkPolicy not in the enum": { resources: repository({ forkPolicy: "public" }), names: "forkPolicy" },
  "Repository: public with forkPolicy no_public_forks": { resources: repository({ isPrivate: false, forkPolicy: "no_public_forks" }), names: "forkPolicy" },
  "Repository: isPrivate a string": { resources: repository({ isPrivate: "yes" }), names: "isPrivate" },
  "Repository: website not a URL": { resources: repository({ website: "example dot com" }), names: "website" },
  "Repository: projectKey with a dash": { resources: repository({ projectKey: "PL-AT" }), names: "projectKey" },
  "Repository: mainBranch with '..'": { resources: repository({ mainBranch: "main..dev" }), names: "mainBranch" },
  // Fork
  "Fork: misspelled argument isPrivat": { resources: fork({ isPrivat: true }), names: "isPrivat" },
  "Fork: repository '.'": { resources: fork({ repository: "." }), names: "repository" },
  "Fork: repository '..'": { resources: fork({ repository: ".." }), names: "repository" },
  "Fork: repository with a slash": { resources: fork({ repository: "platform-api/../website" }), names: "repository" },
  "Fork: targetWorkspace '..'": { resources: fork({ targetWorkspace: ".." }), names: "targetWorkspace" },
  "Fork: into the parent's workspace without a name": { resources: one("Fork", { workspace: WS, repository: REPO }), names: "name" },
  "Fork: public with forkPolicy no_public_forks": { resources: fork({ isPrivate: false, forkPolicy: "no_public_forks" }), names: "forkPolicy" },
  // Webhook
  "Webhook: unknown argument event (for events)": { resources: webhook({ event: ["repo:push"] }), names: "event" },
  "Webhook: repository '.'": { resources: webhook({ repository: "." }), names: "repository" },
  "Webhook: repository '..'": { resources: webhook({ repository: ".." }), names: "repository" },
  "Webhook: repository '%2E%2E'": { resources: webhook({ repository: "%2E%2E" }), names: "repository" },
  "Webhook: repository with a slash": { resources: webhook({ repository: "platform-api/hooks" }), names: "repository" },
  "Webhook: workspace '..'": { resources: webhook({ workspace: ".." }), names: "workspace" },
  "Webhook: url localhost": hookUrl("http://localhost/hook"),
  "Webhook: url localhost. (trailing dot)": hookUrl("http://localhost./hook"),
  "Webhook: url a name under .localhost": hookUrl("https://ci.localhost/hook"),
  "Webhook: url 127.0.0.1": hookUrl("http://127.0.0.1:8080/hook"),
  "Webhook: url 127.1 (short form)": hookUrl("http://127.1/hook"),
  "Webhook: url 2130706433 (decimal)": hookUrl("http://2130706433/hook"),
  "Webhook: url 0x7f.0.0.1 (hex)": hookUrl("http://0x7f.0.0.1/hook"),
  "Webhook: url 0177.0.0.1 (octal)": hookUrl("http://0177.0.0.1/hook"),
  "Webhook: url 127.0.0.1. (trailing dot)": hookUrl("http://127.0.0.1./hook"),
  "Webhook: url 0.0.0.0": hookUrl("http://0.0.0.0/hook"),
  "Webhook: url [::1]": hookUrl("http://[::1]/hook"),
  "Webhook: url [::] (unspecified IPv6)": hookUrl("http://[::]/hook"),
  "Webhook: url [::ffff:127.0.0.1] (IPv4-mapped)": hookUrl("http://[::ffff:127.0.0.1]/hook"),
  "Webhook: url [fe80::1] (link-local IPv6)": hookUrl("http://[fe80::1]/hook"),
  "Webhook: url [fd00::1] (unique local IPv6)": hookUrl("http://[fd00::1]/hook"),
  "Webhook: url 10.1.2.3": hookUrl("http://10.1.2.3/hook"),
  "Webhook: url 192.168.1.1": hookUrl("http://192.168.1.1/hook"),
  "Webhook: url 169.254.169.254 (cloud metadata)": hookUrl("http://169.254.169.254/latest/meta-data/"),
  "Webhook: url 100.64.0.1 (carrier-grade NAT)": hookUrl("http://100.64.0.1/hook"),
  "Webhook: url with user info before a loopback host": hookUrl("http://ci.example.com@127.0.0.1/hook"),
  "Webhook: url ftp://": hookUrl("ftp://ci.example.com/hook"),
  "Webhook: url not a URL": hookUrl("ci.example.com/hook"),
  "Webhook: events empty": { resources: webhook({ events: [] }), names: "events" },
  "Webhook: event not in the spec's enum": { resources: webhook({ events: ["repo:pushed"] }), names: "events" },
  "Webhook: active a string": { resources: webhook({ active: "yes" }), names: "active" },
  "Webhook: secret of 129 characters (never printed)": { resources: webhook({ secret: { $secret: HOOK_SECRET } }), names: "secret" },
  // GroupPermission
  "GroupPermission: unknown argument perm": { resources: group({ perm: "read" }), names: "perm" },
  "GroupPermission: permission not in the enum": { resources: group({ permission: "owner" }), names: "permission" },
  "GroupPermission: groupSlug '.'": { resources: group({ groupSlug: "." }), names: "groupSlug" },
  "GroupPermission: groupSlug '..'": { resources: group({ groupSlug: ".." }), names: "groupSlug" },
  "GroupPermission: groupSlug with a slash": { resources: group({ groupSlug: "developers/../x" }), names: "groupSlug" },
  "GroupPermission: repository '..'": { resources: group({ repository: ".." }), names: "repository" },
  "GroupPermission: with an access token (Bearer)": { resources: group(), config: bearer, names: "bitbucket:accessToken" },
  // UserPermission
  "UserPermission: unknown argument accountId": { resources: user({ accountId: USERS.alice.account_id }), names: "accountId" },
  "UserPermission: permission not in the enum": { resources: user({ permission: "none" }), names: "permission" },
  "UserPermission: user '.'": { resources: user({ user: "." }), names: "user" },
  "UserPermission: user '..'": { resources: user({ user: ".." }), names: "user" },
  "UserPermission: user with a slash": { resources: user({ user: "alice/../bob" }), names: "user" },
  "UserPermission: repository '.'": { resources: user({ repository: "." }), names: "repository" },
  "UserPermission: with an access token from the environment (Bearer)": {
    resources: user(),
    config: noBasic,
    env: { BITBUCKET_ACCESS_TOKEN: SECRETS.accessToken },
    names: "BITBUCKET_ACCESS_TOKEN",
  },
  // OverrideSettings
  "OverrideSettings: unknown argument branchModel": { resources: override({ branchModel: true }), names: "branchModel" },
  "OverrideSettings: repository '.'": { resources: override({ repository: "." }), names: "repository" },
  "OverrideSettings: defaultMergeStrategy a string": { resources: override({ defaultMergeStrategy: "true" }), names: "defaultMergeStrategy" },
  // RepositoryAccess, ProjectAccess, RepositoryWebhooks
  "RepositoryAccess: unknown argument group (for groups)": { resources: repositoryAccess({ group: { developers: "read" } }), names: "group" },
  "RepositoryAccess: repository '..'": { resources: repositoryAccess({ repository: ".." }), names: "repository" },
  "RepositoryAccess: with an access token (Bearer)": { resources: repositoryAccess(), config: bearer, names: "groups" },
  "ProjectAccess: unknown argument projectKey": { resources: projectAccess({ projectKey: "PLAT" }), names: "projectKey" },
  "RepositoryWebhooks: a hook to [::] (unspecified IPv6)": { resources: repositoryWebhooks("http://[::]/hook"), names: "webhooks.ci.url" },
  // Two resources over one object, one user under two spellings
  "two Repositories adopting one slug": {
    resources: [
      { kind: "Repository", name: "first", args: { workspace: WS, name: "Platform API", slug: REPO, adopt: true } },
      { kind: "Repository", name: "second", args: { workspace: WS, name: "Platform API", slug: REPO, adopt: true } },
    ],
    names: `Repository 'second' (bitbucket:Repository) and Repository 'first' (bitbucket:Repository) both manage repository ${WS}/${REPO}`,
  },
  "RepositoryAccess: one user by account id and by {uuid}": {
    resources: repositoryAccess({ groups: undefined, users: { [USERS.alice.account_id]: "read", [USERS.alice.uuid]: "write" } }),
    names: `users names one user twice: "${USERS.alice.uuid}" and "${USERS.alice.account_id}"`,
  },
  // Config
  "config: apiUrl plain http to a remote host": {
    resources: repository(),
    config: { "bitbucket:apiUrl": "http://api.bitbucket.org/2.0" },
    names: "bitbucket:apiUrl",
  },
  "config: apiUrl plain http to a private address": {
    resources: repository(),
    config: { "bitbucket:apiUrl": "http://10.0.0.7:7990/2.0" },
    names: "bitbucket:apiUrl",
  },
  "config: apiUrl not a URL": { resources: repository(), config: { "bitbucket:apiUrl": "api.bitbucket.org/2.0" }, names: "bitbucket:apiUrl" },
  "config: apiUrl with user:password@": {
    resources: repository(),
    config: { "bitbucket:apiUrl": `https://owner:${SECRETS.apiToken}@api.bitbucket.org/2.0` },
    names: "bitbucket:apiUrl",
  },
  "config: BITBUCKET_API_URL plain http to a remote host": {
    resources: repository(),
    config: { "bitbucket:apiUrl": null },
    env: { BITBUCKET_API_URL: "http://bitbucket.example.com/2.0" },
    names: "BITBUCKET_API_URL",
  },
  "config: timeoutSeconds 0": { resources: repository(), config: { "bitbucket:timeoutSeconds": "0" }, names: "bitbucket:timeoutSeconds" },
  "config: retries not a number": { resources: repository(), config: { "bitbucket:retries": "many" }, names: "bitbucket:retries" },
  "config: rateLimitWaitSeconds negative": {
    resources: repository(),
    config: { "bitbucket:rateLimitWaitSeconds": "-5" },
    names: "bitbucket:rateLimitWaitSeconds",
  },
  // Credentials
  "credentials: none at all": { resources: repository(), config: noBasic, names: "bitbucket:apiToken" },
  "credentials: email without API token": { resources: repository(), config: { "bitbucket:apiToken": null }, names: "bitbucket:apiToken" },
  "credentials: API token without email": { resources: repository(), config: { "bitbucket:email": null }, names: "bitbucket:email" },
  "credentials: OAuth client id without secret": {
    resources: repository(),
    config: { ...noBasic, "bitbucket:oauthClientId": CREDENTIALS.oauthClient.clientId },
    names: "bitbucket:oauthClientSecret",
  },
  "credentials: API token and access token mixed": {
    resources: repository(),
    config: { "bitbucket:accessToken": { secret: SECRETS.accessToken } },
    names: "bitbucket:accessToken",
  },
  "credentials: email in config, API token only in the environment": {
    resources: repository(),
    config: { "bitbucket:apiToken": null },
    env: { BITBUCKET_API_TOKEN: SECRETS.apiToken },
    names: "BITBUCKET_API_TOKEN",
  },
  "credentials: environment email without API token": {
    resources: repository(),
    config: noBasic,
    env: { BITBUCKET_EMAIL: CREDENTIALS.owner.username },
    names: "BITBUCKET_API_TOKEN",
  },
  "credentials: environment access token and OAuth mixed": {
    resources: repository(),
    config: noBasic,
    env: {
      BITBUCKET_ACCESS_TOKEN: SECRETS.accessToken,
      BITBUCKET_OAUTH_CLIENT_ID: CREDENTIALS.oauthClient.clientId,
      BITBUCKET_OAUTH_CLIENT_SECRET: SECRETS.oauthSecret,
    },
    names: "BITBUCKET_OAUTH_CLIENT_ID",
  },
  "credentials: email that is not an email address": { resources: repository(), config: { "bitbucket:email": "acme-owner" }, names: "bitbucket:email" },
  "credentials: access token with spaces": {
    resources: repository(),
    config: { ...noBasic, "bitbucket:accessToken": { secret: SECRETS.spacedToken } },
    names: "bitbucket:accessToken",
  },
};

/** A stack with its own emulator; runs one case at a time. */
class Lane {
  private constructor(
    readonly stack: PulumiStack,
    readonly emulator: Emulator,
    private readonly salt: string,
    private readonly ciphertexts: Map<string, string>,
  ) {}

  static async open(cliBin: string, nodeModules: string, index: number): Promise<Lane> {
    const emulator = await startEmulator({ port: 0, quiet: true });
    const stack = new PulumiStack({ cliBin, nodeModules, stackName: `lane${index}` }, PROGRAM);
    await stack.ok(["stack", "init", stack.stackName]);
    // Encrypt each secret once (stdin, never the command line), then reuse the ciphertexts.
    const values = Object.values(SECRETS);
    for (const [i, value] of values.entries()) await stack.ok(["config", "set", "--secret", `lane:secret${i}`], 0, value);
    const file = fs.readFileSync(stack.configFile, "utf8");
    const salt = /^encryptionsalt: (\S+)$/m.exec(file)![1];
    const ciphertexts = new Map(values.map((value, i) => [value, new RegExp(`lane:secret${i}:\\s+secure: (\\S+)`).exec(file)![1]]));
    return new Lane(stack, emulator, salt, ciphertexts);
  }

  /** Writes the stack's config file: the base config with the case's changes (JSON is YAML). */
  private writeConfig(changes: Record<string, ConfigValue>): void {
    const wanted: Record<string, ConfigValue> = {
      "bitbucket:apiUrl": this.emulator.apiUrl,
      "bitbucket:email": CREDENTIALS.owner.username,
      "bitbucket:apiToken": { secret: SECRETS.apiToken },
      ...changes,
    };
    const config: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(wanted)) {
      if (value === null) continue;
      config[key] = typeof value === "string" ? value : { secure: this.ciphertexts.get(value.secret) };
    }
    fs.writeFileSync(this.stack.configFile, JSON.stringify({ encryptionsalt: this.salt, config }, null, 2));
  }

  async preview(c: Case) {
    this.writeConfig(c.config ?? {});
    await fetch(`${this.emulator.url}/_emulator/requests`, { method: "DELETE" });
    const result = await this.stack.run(["preview"], { env: { BAD_INPUT_CASE: JSON.stringify(c.resources), ...c.env } });
    const counters = (await (await fetch(`${this.emulator.url}/_emulator/counters`)).json()) as { total: number; byRoute: Record<string, number> };
    return { ...result, counters };
  }

  async close(): Promise<void> {
    this.stack.dispose();
    await this.emulator.stop();
  }
}

const LANES = 2;

describe(`bad-input catalogue through the real Pulumi CLI (${Object.keys(CASES).length} cases, runtime: ${process.env.E2E_RUNTIME ?? "default"})`, () => {
  let pool: Promise<Lane[]> | undefined;
  const free: Lane[] = [];
  const waiting: ((lane: Lane) => void)[] = [];
  const started = Date.now();
  let requests = 0;
  const lanes = () => {
    if (!pool) {
      const rt = runtime();
      const cliBin = ensurePulumiCli();
      pool = Promise.all(Array.from({ length: LANES }, (_, i) => Lane.open(cliBin, rt.nodeModules, i)));
      void pool.then((all) => free.push(...all));
    }
    return pool;
  };
  const acquire = async (): Promise<Lane> => {
    await lanes();
    return free.pop() ?? new Promise((resolve) => waiting.push(resolve));
  };
  const release = (lane: Lane) => {
    const next = waiting.shift();
    if (next) next(lane);
    else free.push(lane);
  };

  afterAll(async () => {
    console.log(
      `bad-input catalogue: ${Object.keys(CASES).length} cases, ${LANES} stacks, ${requests} API requests in all, ${Math.round((Date.now() - started) / 1000)} s`,
    );
    if (pool) await Promise.all((await pool).map((lane) => lane.close()));
  });

  test.concurrent.each(Object.entries(CASES))("%s: refused at preview, naming it, with no write", async (_, c) => {
    const lane = await acquire();
    try {
      const result = await lane.preview(c);
      requests += result.counters.total;
      const errors = result.output.split("\n").filter((line) => /error:/.test(line));
      const writes = Object.entries(result.counters.byRoute).filter(([route]) => /^(POST|PUT|DELETE|PATCH) /.test(route));
      expect({ code: result.code === 0 ? 0 : "non-zero", names: errors.some((line) => line.includes(c.names)), writes }).toEqual({
        code: "non-zero",
        names: true,
        writes: [],
      });
      for (const secret of [...Object.values(SECRETS), HOOK_SECRET]) expect(result.output).not.toContain(secret);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- pulumi preview output ---\n${lane.stack.transcript.split("\n$ pulumi ").pop()}`, { cause: err });
    } finally {
      release(lane);
    }
  });
});
