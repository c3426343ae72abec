// What check refuses, for every resource, before any request: unknown arguments (with the likely
// intended one), references that could change the endpoint, public + no_public_forks, internal
// webhook addresses however written, and settings problems (configure runs before check).
import { CREDENTIALS, REPOSITORIES, USERS } from "../../emulator";
import { ResourceKind } from "../../provider/registry";
import { configure } from "../../provider/runtime";
import { isInternalHost } from "../../rules/internal-address";
import { SIGNER_KEY } from "../support/gpg-keys";
import { publicKey, sshKeyPair } from "../support/ssh-keys";
import { clearCounters, counters, Emulator, provider, startWithProvider, useOwner } from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());
afterEach(() => useOwner(emu));

const ws = "acme";
const repo = REPOSITORIES.platformApi.slug;
const VALID: Record<ResourceKind, Record<string, unknown>> = {
  Repository: { workspace: ws, name: "checked" },
  Fork: { workspace: ws, repository: repo, name: "checked-fork" },
  Webhook: { workspace: ws, repository: repo, url: "https://ci.example.com/hook", events: ["repo:push"] },
  GroupPermission: { workspace: ws, repository: repo, groupSlug: "developers", permission: "read" },
  UserPermission: { workspace: ws, repository: repo, user: USERS.alice.account_id, permission: "read" },
  OverrideSettings: { workspace: ws, repository: repo },
  RepositoryAccess: { workspace: ws, repository: repo, groups: { developers: "read" } },
  ProjectAccess: { workspace: ws, project: "PLAT", groups: { developers: "read" } },
  RepositoryWebhooks: { workspace: ws, repository: repo, webhooks: { ci: { url: "https://ci.example.com/hook", events: ["repo:push"] } } },
  Project: { workspace: ws, key: "CHECKED", name: "Checked" },
  DeployKey: { workspace: ws, repository: repo, key: publicKey("checked", "ci@build"), label: "CI" },
  ProjectDeployKey: { workspace: ws, project: "PLAT", key: publicKey("checked"), label: "CI" },
  BranchRestriction: { workspace: ws, repository: repo, kind: "push", pattern: "main", users: [USERS.alice.account_id], groups: ["developers"] },
  ProjectGroupPermission: { workspace: ws, project: "PLAT", groupSlug: "developers", permission: "create-repo" },
  ProjectUserPermission: { workspace: ws, project: "PLAT", user: USERS.alice.account_id, permission: "read" },
  DefaultReviewers: { workspace: ws, repository: repo, users: [USERS.alice.account_id, USERS.bob.account_id] },
  CommitFile: { workspace: ws, repository: repo, branch: "main", path: "CODEOWNERS", content: "* @acme/developers\n" },
  SshKey: { user: USERS.alice.account_id, key: publicKey("checked-user"), label: "laptop" },
  GpgKey: { user: USERS.alice.account_id, key: SIGNER_KEY, name: "signing" },
  BranchingModel: { workspace: ws, repository: repo, developmentBranch: "develop", branchTypes: { feature: "feature/" } },
  ProjectBranchingModel: { workspace: ws, project: "PLAT", productionBranch: "main", defaultBranchDeletion: true },
  ProjectDefaultReviewers: { workspace: ws, project: "PLAT", users: [USERS.alice.account_id] },
  RepositoryBranchRestrictions: {
    workspace: ws,
    repository: repo,
    restrictions: [
      { kind: "force", pattern: "main" },
      { kind: "push", pattern: "main", users: [USERS.alice.account_id], groups: ["developers"] },
    ],
  },
  PipelineSchedule: { workspace: ws, repository: repo, branch: "main", cronPattern: "0 0 2 * * ? *" },
  PipelineKnownHost: { workspace: ws, repository: repo, hostname: "git.example.com", key: publicKey("host") },
  PipelineSshKeyPair: { workspace: ws, repository: repo, privateKey: sshKeyPair().openSsh },
  WorkspaceWebhook: { workspace: ws, url: "https://ci.example.com/hook", events: ["repo:push"] },
  WorkspaceWebhooks: { workspace: ws, webhooks: { ci: { url: "https://ci.example.com/hook", events: ["repo:push"] } } },
  PipelinesConfig: { workspace: ws, repository: repo, enabled: true },
  RepositoryVariable: { workspace: ws, repository: repo, key: "DEPLOY_ENV", value: "prod" },
  WorkspaceVariable: { workspace: ws, key: "_SHARED", value: "x", secured: true },
  DeploymentEnvironment: { workspace: ws, repository: repo, name: "Production", environmentType: "Production", rank: 0, adminOnly: true },
  DeploymentVariable: { workspace: ws, repository: repo, environment: "{0f8c2c1e-4b6e-4c2a-9d3e-2a1b3c4d5e6f}", key: "DB_PASSWORD", value: "x", secured: true },
};
const KINDS = Object.keys(VALID) as ResourceKind[];
const check = (kind: ResourceKind, patch: Record<string, unknown>) => provider(kind).check({}, { ...VALID[kind], ...patch });

test.each(KINDS)("%s: the valid arguments pass, with no request", async (kind) => {
  await clearCounters(emu);
  expect((await check(kind, {})).failures).toBeUndefined();
  expect((await counters(emu)).total).toBe(0);
});

test.each(KINDS)("%s: an unknown argument is a failure naming it and the likely intended one", async (kind) => {
  // A user's key has no workspace.
  const typo = kind === "Repository" || kind === "Fork" ? "isPrivat" : kind === "SshKey" ? "lable" : kind === "GpgKey" ? "nmae" : "workspac";
  const r = await check(kind, { [typo]: true });
  expect(r.failures).toEqual([
    {
      property: typo,
      reason: expect.stringMatching(
        new RegExp(`^${typo} is not an argument of this resource\\. Did you mean (isPrivate|workspace|label|name)\\? Its arguments are: `),
      ),
    },
  ]);
});

test("an unknown argument far from every known one gets no guess", async () => {
  const r = await check("OverrideSettings", { colour: "blue" });
  expect(r.failures?.[0].reason).toMatch(
    /^colour is not an argument of this resource\. Its arguments are: workspace, repository, defaultMergeStrategy, branchingModel\.$/,
  );
});

const REFS: [ResourceKind, string][] = [
  ["Repository", "workspace"],
  ["Repository", "slug"],
  ["Fork", "repository"],
  ["Fork", "targetWorkspace"],
  ["Webhook", "repository"],
  ["GroupPermission", "repository"],
  ["GroupPermission", "groupSlug"],
  ["UserPermission", "repository"],
  ["UserPermission", "user"],
  ["OverrideSettings", "repository"],
  ["RepositoryAccess", "repository"],
  ["RepositoryWebhooks", "repository"],
  ["Project", "workspace"],
  ["Project", "key"],
  ["DeployKey", "workspace"],
  ["DeployKey", "repository"],
  ["ProjectDeployKey", "workspace"],
  ["ProjectDeployKey", "project"],
  ["BranchRestriction", "workspace"],
  ["BranchRestriction", "repository"],
  ["ProjectGroupPermission", "project"],
  ["ProjectGroupPermission", "groupSlug"],
  ["ProjectUserPermission", "project"],
  ["ProjectUserPermission", "user"],
  ["DefaultReviewers", "workspace"],
  ["DefaultReviewers", "repository"],
  ["BranchingModel", "workspace"],
  ["BranchingModel", "repository"],
  ["ProjectBranchingModel", "workspace"],
  ["ProjectBranchingModel", "project"],
  ["ProjectDefaultReviewers", "workspace"],
  ["ProjectDefaultReviewers", "project"],
  ["RepositoryBranchRestrictions", "workspace"],
  ["RepositoryBranchRestrictions", "repository"],
  ["PipelineSchedule", "workspace"],
  ["PipelineSchedule", "repository"],
  ["PipelineKnownHost", "workspace"],
  ["PipelineKnownHost", "repository"],
  ["PipelineSshKeyPair", "workspace"],
  ["PipelineSshKeyPair", "repository"],
  ["WorkspaceWebhook", "workspace"],
  ["WorkspaceWebhooks", "workspace"],
  ["PipelinesConfig", "repository"],
  ["RepositoryVariable", "workspace"],
  ["RepositoryVariable", "repository"],
  ["WorkspaceVariable", "workspace"],
  ["DeploymentEnvironment", "repository"],
  ["DeploymentVariable", "repository"],
  ["DeploymentVariable", "environment"],
];
test.each(REFS.flatMap(([kind, field]) => [".", "..", "%2e%2e", "a/b"].map((value) => [kind, field, value])))(
  "%s: %s %p is refused",
  async (kind, field, value) => {
    const r = await check(kind as ResourceKind, { [field]: value });
    expect(r.failures?.map((f) => f.property)).toEqual([field]);
  },
);

describe("pipeline variables and environments", () => {
  const VARIABLES = ["RepositoryVariable", "WorkspaceVariable", "DeploymentVariable"] as const;
  test.each(VARIABLES.flatMap((kind) => ["1ST", "WITH-DASH", "WITH SPACE", "", "ÉTÉ"].map((key) => [kind, key])))(
    "%s: the key %p is refused, naming the allowed form",
    async (kind, key) => {
      expect((await check(kind as ResourceKind, { key })).failures).toEqual([
        { property: "key", reason: expect.stringContaining("key must be ASCII letters, digits and underscores, not starting with a digit") },
      ]);
    },
  );

  test.each(VARIABLES)("%s: a refused value is never quoted (it is a secret)", async (kind) => {
    const r = await check(kind, { value: ["s3cr3t-in-a-list"] });
    expect(r.failures?.map((f) => f.property)).toEqual(["value"]);
    expect(JSON.stringify(r.failures)).not.toContain("s3cr3t");
  });

  test("an environment type outside Test, Staging, Production, a negative or fractional rank, an empty name are refused", async () => {
    expect((await check("DeploymentEnvironment", { environmentType: "Dev" })).failures).toEqual([
      { property: "environmentType", reason: 'environmentType must be one of Test, Staging, Production (got "Dev").' },
    ]);
    for (const rank of [-1, 1.5]) expect((await check("DeploymentEnvironment", { rank })).failures?.map((f) => f.property)).toEqual(["rank"]);
    expect((await check("DeploymentEnvironment", { name: " " })).failures?.map((f) => f.property)).toEqual(["name"]);
    expect((await check("DeploymentVariable", { environment: "production" })).failures?.map((f) => f.property)).toEqual(["environment"]);
  });
});

test("a repository name whose slug would be '.' or '..' is refused", async () => {
  for (const name of [".", ".."]) expect((await check("Repository", { name })).failures?.map((f) => f.property)).toEqual(["name"]);
});

test.each(["Repository", "Fork"] as const)("%s: forkPolicy no_public_forks on a public one is refused; on a private one it passes", async (kind) => {
  expect((await check(kind, { isPrivate: false, forkPolicy: "no_public_forks" })).failures).toEqual([
    { property: "forkPolicy", reason: expect.stringMatching(/no_public_forks is only allowed on a private repository \(isPrivate: true\)/) },
  ]);
  expect((await check(kind, { isPrivate: true, forkPolicy: "no_public_forks" })).failures).toBeUndefined();
});

describe("webhook URLs to internal addresses, however written", () => {
  test.each([
    "localhost",
    "localhost.",
    "LOCALHOST",
    "ci.localhost",
    "printer.local",
    "db.internal",
    "nas.home.arpa",
    "127.0.0.1",
    "127.1",
    "2130706433",
    "0x7f.0.0.1",
    "0177.0.0.1",
    "127.0.0.1.",
    "0.0.0.0",
    "10.1.2.3",
    "100.64.0.1",
    "169.254.169.254",
    "172.31.255.255",
    "192.168.0.1",
    "198.18.0.1",
    "224.0.0.1",
    "255.255.255.255",
    "[::1]",
    "[0:0:0:0:0:0:0:1]",
    "[::]",
    "[::ffff:127.0.0.1]",
    "[::ffff:10.0.0.1]",
    "[64:ff9b::7f00:1]",
    "[fe80::1]",
    "[fd00::1]",
    "[ff02::1]",
    "ci.example.com@127.0.0.1",
  ])("http://%s/ is refused", async (host) => {
    const url = `http://${host}/hook`;
    expect(isInternalHost(new URL(url).hostname)).toBe(true);
    expect((await check("Webhook", { url })).failures?.map((f) => f.property)).toEqual(["url"]);
  });

  test.each(["ci.example.com", "8.8.8.8", "[2001:4860:4860::8888]", "[::ffff:8.8.8.8]", "localhost.example.com", "127.0.0.1.nip.io"])(
    "http://%s/ passes",
    async (host) => {
      expect(isInternalHost(new URL(`http://${host}/`).hostname)).toBe(false);
    },
  );
});

describe("settings are checked with each resource (configure runs before check)", () => {
  test.each(["GroupPermission", "UserPermission", "ProjectGroupPermission", "ProjectUserPermission"] as const)(
    "%s with an access token (Bearer) is refused, naming the key",
    async (kind) => {
      configure({ "bitbucket:apiUrl": emu.apiUrl, "bitbucket:accessToken": CREDENTIALS.acmeAccessToken.token });
      const r = await check(kind, {});
      expect(r.failures).toEqual([
        {
          property: "",
          reason: expect.stringMatching(new RegExp(`^${kind} cannot be managed with an access token \\(bitbucket:accessToken, sent as Bearer\\)`)),
        },
      ]);
      expect(JSON.stringify(r.failures)).not.toContain(CREDENTIALS.acmeAccessToken.token);
      // Other kinds accept it.
      expect((await check("Webhook", {})).failures).toBeUndefined();
    },
  );

  test.each([
    ["RepositoryAccess", "groups", { workspace: ws, repository: repo }],
    ["ProjectAccess", "users", { workspace: ws, project: "PLAT" }],
  ] as const)(
    "%s with an access token is refused naming %s, with the message of the permission kinds; without grants it is not",
    async (kind, field, where) => {
      const program = { ...where, [field]: { [field === "groups" ? "developers" : USERS.alice.account_id]: "read" } };
      configure({ "bitbucket:apiUrl": emu.apiUrl, "bitbucket:accessToken": CREDENTIALS.acmeAccessToken.token });
      const r = await provider(kind).check({}, program);
      expect(r.failures).toEqual([
        {
          property: field,
          reason: expect.stringMatching(new RegExp(`^${field} cannot be managed with an access token \\(bitbucket:accessToken, sent as Bearer\\)`)),
        },
      ]);
      const permission = await provider("GroupPermission").check({}, VALID.GroupPermission);
      expect(r.failures?.[0].reason.slice(field.length)).toBe(permission.failures?.[0].reason.slice("GroupPermission".length));
      // Without a grant collection nothing goes to permissions-config.
      expect((await provider(kind).check({}, where)).failures).toBeUndefined();
    },
  );

  test.each([
    [
      { "bitbucket:email": "owner@acme.test", "bitbucket:apiToken": "t", "bitbucket:apiUrl": "http://api.bitbucket.org/2.0" },
      /bitbucket:apiUrl .*plain http:\/\//,
    ],
    [{ "bitbucket:email": "owner@acme.test" }, /bitbucket:apiToken is missing/],
    [{}, /No Bitbucket credentials found/],
  ])("bad settings fail every resource's check: %j", async (config, reason) => {
    configure({ "bitbucket:apiUrl": emu.apiUrl, ...config });
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith("BITBUCKET_")) delete process.env[k];
    try {
      for (const kind of KINDS) expect((await check(kind, {})).failures).toEqual([{ property: "", reason: expect.stringMatching(reason) }]);
    } finally {
      process.env = saved;
    }
  });
});
