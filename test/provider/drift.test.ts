// The drift command's parts: field differences from a refreshed preview's steps, the search for
// unmanaged objects (the provider's client against the emulator), and the command's reports and exit
// codes. The e2e suite (test/e2e/drift.test.ts) runs it on a real stack through the Pulumi CLI.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { XMLParser } from "fast-xml-parser";
import { startEmulator } from "../../emulator";
import { CREDENTIALS, PROJECTS, REPOSITORIES, USERS } from "../../emulator/seed";
import { runDrift } from "../../provider/cli/drift";
import { createClient } from "../../provider/client";
import { assessResources, fieldDifferences, ManagedResource, secretsToCheck } from "../../provider/drift/compare";
import { previewFromEvents, previewFromJson } from "../../provider/drift/preview";
import { SECRET, Step } from "../../provider/drift/steps";
import { findUnmanaged } from "../../provider/drift/unmanaged";
import { asOwner, enc, Emulator, script } from "./helpers";

const urn = (kind: string, name: string) => `urn:pulumi:prod::acme-infra::pulumi-nodejs:dynamic/bitbucket:${kind}::${name}`;
const state = (inputs: Record<string, unknown>, outputs: Record<string, unknown> = inputs, id = "id-1") => ({ id, custom: true, inputs, outputs });
const step = (op: string, kind: string, name: string, old?: ReturnType<typeof state>, next?: ReturnType<typeof state>): Step => ({
  op,
  urn: urn(kind, name),
  type: `pulumi-nodejs:dynamic/bitbucket:${kind}`,
  old,
  new: next,
});

describe("field differences from a refreshed preview", () => {
  test("a field changed outside Pulumi is named with its declared and live values", () => {
    const live = state(
      { workspace: "acme", name: "api", description: "hand edited" },
      { workspace: "acme", name: "api", description: "hand edited", slug: "api" },
    );
    expect(fieldDifferences({ workspace: "acme", name: "api", description: "Managed by Pulumi" }, live)).toEqual([
      { field: "description", declared: '"Managed by Pulumi"', live: '"hand edited"' },
    ]);
  });

  test("maps are compared key by key, so an undeclared grant is named", () => {
    const live = state({ groups: { developers: "write", contractors: "admin" }, users: {} });
    expect(fieldDifferences({ groups: { developers: "write" }, users: { "712020:bob": "read" } }, live)).toEqual([
      { field: "groups.contractors", declared: "(absent)", live: '"admin"' },
      { field: "users.712020:bob", declared: '"read"', live: "(absent)" },
    ]);
  });

  test("an argument read() never reports (creation only) is not compared; a secret that changed is named, masked", () => {
    const live = state({ name: "api", secret: SECRET }, { name: "api", slug: "api", secret: SECRET });
    expect(fieldDifferences({ name: "api", adopt: true }, live)).toEqual([]);
    const steps = [step("update", "Webhook", "hook", live, state({ name: "api", secret: SECRET }))];
    expect(assessResources(steps)[0].differences).toEqual([{ field: "secret", declared: SECRET, live: `${SECRET} (differs)` }]);
  });

  test("a secret the source says differs is named, masked, beside the other differences; one it does not name is not", () => {
    const live = state({ webhooks: { CI: { url: "https://moved.example.com" } }, secrets: SECRET });
    const declared = state({ webhooks: { CI: { url: "https://ci.example.com" } }, secrets: SECRET });
    const url = { field: "webhooks.CI.url", declared: '"https://ci.example.com"', live: '"https://moved.example.com"' };
    const assess = (differingSecrets?: string[]) =>
      assessResources([{ ...step("update", "RepositoryWebhooks", "hooks", live, declared), differingSecrets }])[0].differences;
    expect(assess(["secrets"])).toEqual([url, { field: "secrets", declared: SECRET, live: `${SECRET} (differs)` }]);
    expect(assess([])).toEqual([url]);
    // A preview cannot tell (both sides masked): unless a check says, the secret is listed as not compared, never left out.
    expect(assess(undefined)).toEqual([url, { field: "secrets", declared: SECRET, live: `${SECRET} (not compared)` }]);
    expect(secretsToCheck([step("update", "RepositoryWebhooks", "hooks", live, declared)]).map((s) => s.urn)).toEqual([urn("RepositoryWebhooks", "hooks")]);
    // Nothing else shown differs (only a secret can be what the diff saw), or nothing is secret: nothing to check.
    expect(secretsToCheck([step("update", "RepositoryWebhooks", "hooks", declared, declared)])).toEqual([]);
    expect(secretsToCheck([step("update", "Repository", "repo", state({ name: "a" }), state({ name: "b" }))])).toEqual([]);
  });

  test("lists compare as sets, and secret values are never shown", () => {
    const live = state({ events: ["repo:push", "pullrequest:created"], apiToken: "plain-token-value" });
    expect(fieldDifferences({ events: ["pullrequest:created", "repo:push", "repo:push"], secret: SECRET, apiToken: "other-token-value" }, live)).toEqual([
      { field: "apiToken", declared: SECRET, live: SECRET },
      { field: "secret", declared: SECRET, live: "(absent)" },
    ]);
  });

  test("each resource gets a status; the stack, providers and components are left out", () => {
    const repo = state({ name: "api" });
    const steps: Step[] = [
      { op: "refresh", urn: "urn:pulumi:prod::acme-infra::pulumi:pulumi:Stack::acme-infra-prod", type: "pulumi:pulumi:Stack" },
      { op: "refresh", urn: "urn:pulumi:prod::acme-infra::pulumi:providers:pulumi-nodejs::default", type: "pulumi:providers:pulumi-nodejs" },
      { op: "same", urn: "urn:pulumi:prod::acme-infra::my:Component::team", type: "my:Component", new: { custom: false, inputs: {}, outputs: {} } },
      step("refresh", "Repository", "in-sync", repo, repo),
      step("same", "Repository", "in-sync", repo, repo),
      step("refresh", "Webhook", "gone", state({ url: "https://x" }), undefined),
      step("create", "Webhook", "gone", undefined, state({ url: "https://x" })),
      step("create", "Webhook", "new", undefined, state({ url: "https://y" })),
      step("refresh", "GroupPermission", "dropped", state({ permission: "read" }), state({ permission: "read" })),
      step("delete", "GroupPermission", "dropped", state({ permission: "read" }), undefined),
      step("refresh", "UserPermission", "raised", state({ permission: "write" }), state({ permission: "admin" })),
      step("update", "UserPermission", "raised", state({ permission: "admin" }), state({ permission: "write" })),
    ];
    const summary = assessResources(steps).map((r) => [r.type, r.name, r.status, r.differences.map((d) => d.field)]);
    expect(summary).toEqual([
      ["bitbucket:Repository", "in-sync", "in sync", []],
      ["bitbucket:Webhook", "gone", "deleted outside Pulumi", ["(resource)"]],
      ["bitbucket:Webhook", "new", "not created yet", ["(resource)"]],
      ["bitbucket:GroupPermission", "dropped", "not declared", ["(resource)"]],
      ["bitbucket:UserPermission", "raised", "drifted", ["permission"]],
    ]);
  });

  test("the preview JSON is read as the CLI writes it: refresh steps repeat the stored state, the plan step's old state is the live one", () => {
    const stored = { ...state({ name: "api", description: "Managed" }), urn: urn("Repository", "repo"), type: "pulumi-nodejs:dynamic/bitbucket:Repository" };
    const json = {
      duration: 3507709401,
      changeSummary: { update: 1 },
      steps: [
        { op: "refresh", urn: urn("Repository", "repo"), oldState: stored, newState: stored },
        {
          op: "update",
          urn: urn("Repository", "repo"),
          oldState: { ...stored, inputs: { name: "api", description: "hand edited", __provider: "exports.handler = ..." } },
          newState: { ...stored, inputs: { name: "api", description: "Managed", __provider: "exports.handler = ..." }, outputs: undefined },
        },
      ],
    };
    const [repo] = assessResources(previewFromJson(JSON.stringify(json)).steps);
    expect(repo.differences).toEqual([{ field: "description", declared: '"Managed"', live: '"hand edited"' }]);
    expect(JSON.stringify(repo.live)).not.toContain("__provider");
  });

  test("engine events: a refresh's outputs event says the object is gone; secrets arrive masked", () => {
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "AAA" };
    const meta = (op: string, old?: object, next?: object) => ({ op, urn: urn("Webhook", "hook"), type: "x", provider: "", old, new: next });
    const hook = { type: "x", urn: urn("Webhook", "hook"), id: "{h}", parent: "", provider: "", custom: true, inputs: { secret }, outputs: { secret } };
    const events = [
      { sequence: 1, timestamp: 0, resourcePreEvent: { metadata: meta("refresh", hook, hook) } },
      { sequence: 2, timestamp: 0, resOutputsEvent: { metadata: meta("refresh", hook, undefined) } },
      { sequence: 3, timestamp: 0, resourcePreEvent: { metadata: meta("create", undefined, hook) } },
      { sequence: 4, timestamp: 0, summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: { create: 1 }, policyPacks: {} } },
    ];
    const { steps } = previewFromEvents(events as never);
    expect(steps.map((s) => [s.op, Boolean(s.new)])).toEqual([
      ["refresh", false],
      ["create", true],
    ]);
    expect(steps[1].new?.inputs.secret).toBe(SECRET);
    expect(assessResources(steps)[0].status).toBe("deleted outside Pulumi");
  });

  test("a file that is not a preview's JSON is refused, saying what to give", () => {
    expect(() => previewFromJson("Previewing update (prod)")).toThrow(/pulumi preview --refresh --json/);
    expect(() => previewFromJson('{"steps":"none"}')).toThrow(/not a preview's/);
  });
});

describe("unmanaged objects around the stack (against the emulator)", () => {
  let emu: Emulator;
  let hookUuid: string;
  const api = () =>
    createClient({ apiUrl: emu.apiUrl, credentials: { kind: "basic", email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password } }).api;
  const { platformApi } = REPOSITORIES;

  /** The stack: platform-api with its developers grant and alice's grant (declared by account id; the seed keys it by uuid). */
  const stack = (extra: ManagedResource[] = []): ManagedResource[] => {
    const resource = (kind: string, outputs: Record<string, unknown>): ManagedResource => ({
      urn: urn(kind, kind.toLowerCase()),
      name: kind.toLowerCase(),
      type: `bitbucket:${kind}`,
      kind,
      status: "in sync",
      differences: [],
      live: { id: "x", custom: true, inputs: {}, outputs },
    });
    return [
      resource("Repository", { workspace: "acme", uuid: platformApi.uuid, slug: platformApi.slug }),
      resource("GroupPermission", { workspace: "acme", repository: platformApi.uuid, groupSlug: "developers" }),
      resource("UserPermission", { workspace: "acme", repository: platformApi.uuid, user: USERS.alice.account_id }),
      ...extra,
    ];
  };

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, quiet: true });
    const hook = await asOwner(emu, "POST", `/repositories/acme/${platformApi.slug}/hooks`, { url: "https://collector.example.net/in", events: ["repo:push"] });
    hookUuid = hook.body.uuid;
  });
  afterAll(() => emu.stop());

  test("repositories in the stack's workspace, and hooks and grants on its repositories that nothing declares, are found", async () => {
    const found = await findUnmanaged(api(), stack(), { scope: "workspace" });
    expect(found.map((o) => [o.kind, o.id, o.detail])).toEqual([
      ["repository", "acme/website", `project ${PROJECTS.web.key}, not in the stack`],
      ["repository", "acme/platform-api-experiments", `project ${PROJECTS.plat.key}, not in the stack`],
      ["webhook", hookUuid, "https://collector.example.net/in on repo:push"],
      ["group permission", "administrators", "admin"],
    ]);
  });

  test("--project limits the repository search to those projects", async () => {
    const found = await findUnmanaged(api(), stack(), { scope: "workspace", projects: [PROJECTS.web.key] });
    expect(found.filter((o) => o.kind === "repository").map((o) => o.id)).toEqual(["acme/website"]);
  });

  test("a declared webhook is not reported, and a repository whose grants one resource owns is left to that resource", async () => {
    const declared = (kind: string, outputs: Record<string, unknown>): ManagedResource => ({
      urn: urn(kind, "x"),
      name: "x",
      type: `bitbucket:${kind}`,
      kind,
      status: "in sync",
      differences: [],
      live: { id: "x", custom: true, inputs: {}, outputs },
    });
    const found = await findUnmanaged(
      api(),
      stack([
        declared("Webhook", { workspace: "acme", repository: platformApi.slug, uuid: hookUuid }),
        declared("RepositoryAccess", { workspace: "acme", repository: platformApi.uuid }),
      ]),
      { scope: "workspace" },
    );
    expect(found.map((o) => o.kind)).toEqual(["repository", "repository"]);
  });
});

describe("the drift command", () => {
  let emu: Emulator;
  let dir: string;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, quiet: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-drift-"));
  });
  afterAll(async () => {
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ BITBUCKET_API_URL: emu.apiUrl, BITBUCKET_EMAIL: CREDENTIALS.owner.username, BITBUCKET_API_TOKEN: CREDENTIALS.owner.password });
  async function drift(args: Partial<Parameters<typeof runDrift>[0]>, environment: NodeJS.ProcessEnv = env()) {
    let stdout = "";
    let stderr = "";
    const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: environment };
    const code = await runDrift({ cwd: dir, project: [], unmanaged: true, ...args }, io);
    return { code, stdout, stderr };
  }

  /** A preview of a stack managing every acme repository; platform-api's description changed by hand. */
  function writePreview(file: string, liveDescription: string): string {
    const projectKey = (slug: string) => (slug === REPOSITORIES.website.slug ? PROJECTS.web.key : PROJECTS.plat.key);
    const repoState = (slug: string, uuid: string, description: string) => ({
      urn: urn("Repository", slug),
      type: "pulumi-nodejs:dynamic/bitbucket:Repository",
      custom: true,
      id: uuid,
      inputs: { workspace: "acme", name: slug, description },
      outputs: { workspace: "acme", name: slug, description, uuid, slug, projectKey: projectKey(slug) },
    });
    const steps = [REPOSITORIES.platformApi, REPOSITORIES.website, REPOSITORIES.platformApiExperiments].flatMap((r) => {
      const stored = repoState(r.slug, r.uuid, "Managed");
      if (r !== REPOSITORIES.platformApi) return [{ op: "refresh", urn: stored.urn, oldState: stored, newState: stored }];
      const live = repoState(r.slug, r.uuid, liveDescription);
      return [
        { op: "refresh", urn: stored.urn, oldState: stored, newState: stored },
        { op: liveDescription === "Managed" ? "same" : "update", urn: stored.urn, oldState: live, newState: stored },
      ];
    });
    // The summary counts each resource once (in sync: `same`), as the CLI writes it at the end of a preview.
    const changeSummary = liveDescription === "Managed" ? { same: 3 } : { same: 2, update: 1 };
    fs.writeFileSync(path.join(dir, file), JSON.stringify({ steps, duration: 1_500_000_000, changeSummary }));
    return path.join(dir, file);
  }

  test("a preview JSON without the stack's state: a secret other differences hide reads not compared, and stderr says why", async () => {
    const hooks = (url: string) => ({
      urn: urn("RepositoryWebhooks", "hooks"),
      custom: true,
      id: `acme/${REPOSITORIES.platformApi.uuid}`,
      inputs: { workspace: "acme", repository: REPOSITORIES.platformApi.uuid, webhooks: { CI: { url, events: ["repo:push"], active: true } }, secrets: SECRET },
      outputs: {
        workspace: "acme",
        repository: REPOSITORIES.platformApi.uuid,
        webhooks: { CI: { url, events: ["repo:push"], active: true } },
        secrets: SECRET,
      },
    });
    const [stored, live] = [hooks("https://ci.example.com/all"), hooks("https://ci.example.com/moved")];
    const steps = [
      { op: "refresh", urn: stored.urn, oldState: stored, newState: stored },
      { op: "update", urn: stored.urn, oldState: live, newState: stored },
    ];
    fs.writeFileSync(path.join(dir, "hidden-secret.json"), JSON.stringify({ steps, duration: 1, changeSummary: { update: 1 } }));
    const r = await drift({ previewJson: path.join(dir, "hidden-secret.json"), unmanaged: false });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("secrets: declared [secret], live [secret] (not compared)");
    expect(r.stderr).toContain("drift: secrets of 1 drifted resource(s) not compared: the preview masks them, and no stack state is at hand (pass --stack)");
  });

  test("drift: exit 1, and the JUnit, Markdown and JSON reports name the same failures", async () => {
    const files = { junit: path.join(dir, "drift.xml"), markdown: path.join(dir, "drift.md"), json: path.join(dir, "drift.json") };
    const r = await drift({ previewJson: writePreview("drifted.json", "hand edited"), stack: undefined, ...files });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("drift: listing the repositories of acme");
    expect(r.stdout).toContain('description: declared "Managed", live "hand edited"');

    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["testsuite", "testcase"].includes(name) }).parse(
      fs.readFileSync(files.junit, "utf8"),
    );
    const { platformApi } = REPOSITORIES;
    const cases = xml.testsuites.testsuite.flatMap((s: any) => s.testcase ?? []);
    const failures = cases.filter((c: any) => c.failure).map((c: any) => [c.classname, c.name, c.failure.message]);
    expect(failures[0]).toEqual([
      "acme/platform-api",
      'Repository platform-api: description declared "Managed", live "hand edited"',
      `repository acme/platform-api ${platformApi.uuid} (project PLAT): description (declared "Managed", live "hand edited")`,
    ]);
    // The seed's grants on the stack's repositories are declared by no resource of this stack.
    const unmanaged = failures.slice(1).map((f: any) => `${f[0]} ${f[1]}`);
    expect(unmanaged).toEqual([
      "acme/platform-api unmanaged group permission developers (Developers)",
      "acme/platform-api unmanaged group permission administrators (Administrators)",
      `acme/platform-api unmanaged user permission ${USERS.alice.account_id} (${USERS.alice.display_name})`,
      "acme/website unmanaged group permission developers (Developers)",
    ]);
    expect(cases).toHaveLength(3 + unmanaged.length);

    const json = JSON.parse(fs.readFileSync(files.json, "utf8"));
    expect(json.summary).toEqual({ resources: 3, drifted: 1, unmanaged: unmanaged.length, findings: 1 + unmanaged.length, known: 0 });
    expect(json.resources.find((x: any) => x.name === "platform-api").differences).toEqual([
      {
        field: "description",
        declared: '"Managed"',
        live: '"hand edited"',
        finding: `bitbucket:Repository|acme|${platformApi.uuid}|description`,
        known: false,
      },
    ]);
    const markdown = fs.readFileSync(files.markdown, "utf8");
    expect(markdown).toContain('| `bitbucket:Repository platform-api` | drifted | `description` | `"Managed"` | `"hand edited"` |');
    expect(markdown).toContain(`| user permission | \`${USERS.alice.account_id}\` | \`acme/platform-api\` | write (Alice Anders) |`);
  });

  test("no drift: exit 0 and a clean report (in a directory made for it, under the given title)", async () => {
    const markdown = path.join(dir, "reports", "clean.md");
    const r = await drift({ previewJson: writePreview("clean.json", "Managed"), unmanaged: false, markdown, title: "Access changes" });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 resources, 0 differ.*\nNo drift\./);
    expect(fs.readFileSync(markdown, "utf8")).toMatch(/^### Access changes\n\n\*\*No drift\*\*: all 3 resources match the program/);
  });

  test("errors exit 2 with the reason: no such file, no credentials, credentials refused", async () => {
    const missing = await drift({ previewJson: path.join(dir, "nope.json") });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/drift: error: .*nope\.json/);

    const noCredentials = await drift({ previewJson: writePreview("p.json", "Managed") }, {});
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toContain("No Bitbucket credentials found");

    const refused = await drift({ previewJson: writePreview("p.json", "Managed") }, { ...env(), BITBUCKET_API_TOKEN: "revoked-token" });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/failed with 401/);
    expect(refused.stderr + refused.stdout).not.toContain("revoked-token");
  });

  test("a search of unmanaged objects whose listing would not end: exit 2 with the reason, never a report", async () => {
    await script(emu, [{ method: "GET", pathPrefix: "/repositories/acme", nextLink: "repeat", times: 10 }]);
    const r = await drift({ previewJson: writePreview("clean.json", "Managed"), scope: "workspace" });
    await script(emu, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/drift: error: Bitbucket API GET \S+\/repositories\/acme\?pagelen=100: pagination did not end: page \S+ was already read/);
    expect(r.stdout).not.toContain("No drift");
  });

  test("--project with a key the searched workspace does not have: exit 2 naming the key, the workspace and the nearest key, never a clean report", async () => {
    const files = { markdown: path.join(dir, "typo.md"), json: path.join(dir, "typo.json") };
    const r = await drift({ previewJson: writePreview("clean.json", "Managed"), project: [PROJECTS.web.key, "PLATT"], ...files });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`drift: error: --project PLATT: workspace acme has no project with this key (did you mean ${PROJECTS.plat.key}?)`);
    expect(r.stdout).not.toContain("No drift");
    expect(JSON.parse(fs.readFileSync(files.json, "utf8"))).toMatchObject({ failed: true });
    expect(fs.readFileSync(files.markdown, "utf8")).toContain("**Drift check failed**");
  });

  test("--project whose lookup is refused (403): exit 2 with the API's message", async () => {
    await script(emu, [{ method: "GET", pathPrefix: `/workspaces/acme/projects/${PROJECTS.web.key}`, status: 403, times: 10 }]);
    const r = await drift({ previewJson: writePreview("clean.json", "Managed"), project: [PROJECTS.web.key] });
    await script(emu, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`drift: error: Bitbucket API GET \\S+/workspaces/acme/projects/${PROJECTS.web.key} failed with 403`));
    expect(r.stdout).not.toContain("No drift");
  });

  test("a repository renamed in Bitbucket is still matched by its UUID", async () => {
    await asOwner(emu, "PUT", `/repositories/acme/${enc(REPOSITORIES.website.uuid)}`, { name: "website-renamed" });
    const r = await drift({ previewJson: writePreview("renamed.json", "Managed") });
    expect(r.stdout).not.toContain("unmanaged repository");
  });
});
