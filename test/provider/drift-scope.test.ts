// The drift command's search for unmanaged objects in a shared workspace: scoped by default to the
// projects of the stack's repositories (--scope widens or narrows it), sibling stacks' states not
// reported, an ignore file that leaves objects unmanaged with a reason, and every scope or input that
// cannot be searched refused with exit 2. Against the emulator, from preview JSON written here.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv from "ajv";
import { XMLParser } from "fast-xml-parser";
import { startEmulator } from "../../emulator";
import { CREDENTIALS, PROJECTS, REPOSITORIES } from "../../emulator/seed";
import { runDrift } from "../../provider/cli/drift";
import { asOwner, Emulator } from "./helpers";

const TYPE = "pulumi-nodejs:dynamic/bitbucket:Repository";
const urn = (stack: string, slug: string) => `urn:pulumi:${stack}::infra::${TYPE}::${slug}`;

interface Repo {
  slug: string;
  uuid: string;
  projectKey?: string;
}

describe("the unmanaged search in a shared workspace", () => {
  let emu: Emulator;
  let dir: string;
  /** The stack's repository, alone in project ALPHA; a sibling's repository in project BETA. */
  let alpha: Repo;
  let beta: Repo;

  const newRepository = async (slug: string, projectKey: string): Promise<Repo> => {
    const r = await asOwner(emu, "POST", `/repositories/acme/${slug}`, { scm: "git", is_private: true, project: { key: projectKey } });
    expect(r.status).toBe(200);
    return { slug, uuid: r.body.uuid, projectKey };
  };

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, quiet: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-drift-scope-"));
    for (const key of ["ALPHA", "BETA"]) expect((await asOwner(emu, "POST", "/workspaces/acme/projects", { key, name: key })).status).toBe(201);
    alpha = await newRepository("scope-alpha", "ALPHA");
    beta = await newRepository("scope-beta", "BETA");
  });
  afterAll(async () => {
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const resource = (stack: string, r: Repo) => ({
    urn: urn(stack, r.slug),
    type: TYPE,
    custom: true,
    id: r.uuid,
    inputs: { workspace: "acme", name: r.slug },
    outputs: { workspace: "acme", name: r.slug, uuid: r.uuid, slug: r.slug, ...(r.projectKey && { projectKey: r.projectKey }) },
  });

  /** A clean preview of a stack holding these repositories. */
  function preview(name: string, repos: Repo[]): string {
    const steps = repos.map((r) => ({ op: "refresh", urn: urn("prod", r.slug), oldState: resource("prod", r), newState: resource("prod", r) }));
    const file = path.join(dir, `${name}.preview.json`);
    fs.writeFileSync(file, JSON.stringify({ steps, duration: 1, changeSummary: { same: repos.length } }));
    return file;
  }

  /** A `pulumi stack export` of a sibling stack holding these repositories. */
  function exported(name: string, repos: Repo[]): string {
    const file = path.join(dir, `${name}.state.json`);
    fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { manifest: {}, resources: repos.map((r) => resource("sibling", r)) } }));
    return file;
  }

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  const env = { BITBUCKET_API_URL: "", BITBUCKET_EMAIL: CREDENTIALS.owner.username, BITBUCKET_API_TOKEN: CREDENTIALS.owner.password };
  async function drift(args: Partial<Parameters<typeof runDrift>[0]>) {
    let stdout = "";
    let stderr = "";
    const io = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: { ...env, BITBUCKET_API_URL: emu.apiUrl },
    };
    const code = await runDrift({ cwd: dir, project: [], unmanaged: true, ...args }, io);
    return { code, stdout, stderr };
  }

  test("a stack in sync with only other projects' repositories around it: exit 0 (the seed's PLAT and WEB repositories are not its concern)", async () => {
    const r = await drift({ previewJson: preview("alpha", [alpha]) });
    expect(r.stderr).toContain("drift: listing the repositories of acme in ALPHA");
    expect(r.stdout).toContain("No drift.");
    expect(r.code).toBe(0);
  });

  test("a repository made by hand in the stack's project is reported; one in another project is not", async () => {
    const hand = await newRepository("scope-alpha-by-hand", "ALPHA");
    const other = await newRepository("scope-beta-by-hand", "BETA");
    try {
      const r = await drift({ previewJson: preview("alpha", [alpha]) });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("✗ unmanaged repository acme/scope-alpha-by-hand: project ALPHA, not in the stack");
      expect(r.stdout).not.toContain(other.slug);
      expect(r.stdout).not.toContain(REPOSITORIES.website.slug);
    } finally {
      await asOwner(emu, "DELETE", `/repositories/acme/${hand.slug}`);
      await asOwner(emu, "DELETE", `/repositories/acme/${other.slug}`);
    }
  });

  test("two stacks sharing a project: each given the other's state (--also-state) passes; without it, each reports the other's repository", async () => {
    const shared = await newRepository("scope-alpha-shared", "ALPHA");
    try {
      const alone = await drift({ previewJson: preview("alpha", [alpha]) });
      expect(alone.code).toBe(1);
      expect(alone.stdout).toContain("unmanaged repository acme/scope-alpha-shared");

      const together = await drift({ previewJson: preview("alpha", [alpha]), alsoState: [exported("shared", [shared])] });
      expect(together.stderr).toContain("read 1 resources of a sibling state from");
      expect(together.stdout).toContain("No drift.");
      expect(together.code).toBe(0);
    } finally {
      await asOwner(emu, "DELETE", `/repositories/acme/${shared.slug}`);
    }
  });

  test("--scope workspace searches every project (today's behaviour); --scope stack lists no repository", async () => {
    const wide = await drift({ previewJson: preview("alpha", [alpha]), scope: "workspace" });
    expect(wide.code).toBe(1);
    for (const slug of [REPOSITORIES.website.slug, beta.slug]) expect(wide.stdout).toContain(`unmanaged repository acme/${slug}:`);

    const hand = await newRepository("scope-alpha-by-hand-2", "ALPHA");
    try {
      const narrow = await drift({ previewJson: preview("alpha", [alpha]), scope: "stack" });
      expect(narrow.stderr).not.toContain("listing the repositories");
      // Every collection attached to the stack's repositories (each kind that declares one), and nothing else.
      expect(narrow.stderr).toMatch(/^drift: listing the webhooks, group permissions, user permissions(, [a-z ]+)* of acme\/scope-alpha$/m);
      expect(narrow.code).toBe(0);
    } finally {
      await asOwner(emu, "DELETE", `/repositories/acme/${hand.slug}`);
    }
  });

  test("an ignore file's entry leaves a repository and a hook unmanaged: listed as ignored with its reason, not drift", async () => {
    const hand = await newRepository("scope-alpha-sandbox", "ALPHA");
    const hook = await asOwner(emu, "POST", `/repositories/acme/${alpha.slug}/hooks`, { url: "https://monitor.example.com/in", events: ["repo:push"] });
    const ignore = write(
      "ignore.yaml",
      [
        "repositories:",
        "  - repository: acme/scope-alpha-sandbox*",
        "    reason: A sandbox, deliberately unmanaged",
        "webhooks:",
        "  - url: https://monitor.example.com/**",
        "    reason: The monitoring team's hook",
      ].join("\n"),
    );
    try {
      const files = { junit: path.join(dir, "ignored.xml"), markdown: path.join(dir, "ignored.md"), json: path.join(dir, "ignored.json") };
      const unignored = await drift({ previewJson: preview("alpha", [alpha]) });
      expect(unignored.code).toBe(1);

      const r = await drift({ previewJson: preview("alpha", [alpha]), ignore, ...files });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("- unmanaged repository acme/scope-alpha-sandbox: ignored (repositories[1]): A sandbox, deliberately unmanaged");
      expect(r.stdout).toContain(`- unmanaged webhook ${hook.body.uuid} on acme/scope-alpha: ignored (webhooks[1]): The monitoring team's hook`);
      const json = JSON.parse(fs.readFileSync(files.json, "utf8"));
      expect(json.summary.unmanaged).toBe(0);
      expect(json.ignored.map((o: any) => [o.kind, o.id, o.ignored.reason])).toEqual([
        ["repository", "acme/scope-alpha-sandbox", "A sandbox, deliberately unmanaged"],
        ["webhook", hook.body.uuid, "The monitoring team's hook"],
      ]);
      // The shipped schema describes the ignored objects too, their reason required.
      const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "schemas", "drift-report.v1.json"), "utf8"));
      const validate = new Ajv({ allErrors: true }).compile(schema);
      expect(validate(json) ? [] : validate.errors).toEqual([]);
      delete json.ignored[0].ignored.reason;
      expect(validate(json)).toBe(false);
      const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["testsuite", "testcase"].includes(name) }).parse(
        fs.readFileSync(files.junit, "utf8"),
      );
      const cases = xml.testsuites.testsuite.flatMap((s: any) => s.testcase ?? []);
      expect(cases.filter((c: any) => c.failure)).toEqual([]);
      expect(cases.filter((c: any) => c.skipped !== undefined).map((c: any) => c.name)).toEqual([
        "repository acme/scope-alpha-sandbox",
        `webhook ${hook.body.uuid} on acme/scope-alpha`,
      ]);
      expect(fs.readFileSync(files.markdown, "utf8")).toContain("| repository | `acme/scope-alpha-sandbox` |  | A sandbox, deliberately unmanaged |");
    } finally {
      await asOwner(emu, "DELETE", `/repositories/acme/${hand.slug}`);
      await asOwner(emu, "DELETE", `/repositories/acme/${alpha.slug}/hooks/${encodeURIComponent(hook.body.uuid)}`);
    }
  });

  test.each([
    ["an entry without a reason", "grants:\n  - repository: acme/*\n    group: auditors\n", 'grants[1] (repository "acme/*", group "auditors") has no reason'],
    ["an empty reason", 'repositories:\n  - repository: acme/x\n    reason: "  "\n', 'repositories[1] (repository "acme/x") has no reason'],
    ["a list instead of sections", "[]\n", "expected a mapping of sections"],
    [
      "a field no section has",
      "webhooks:\n  - URL: https://x\n    reason: r\n",
      'webhooks[1]: unknown field "URL" (a webhooks entry has repository, reason, url)',
    ],
    ["an unknown section", "hooks:\n  - url: https://x\n    reason: r\n", 'unknown section "hooks" (the sections are repositories, webhooks, grants)'],
    ["an entry with only a reason", "repositories:\n  - reason: everything\n", "repositories[1] has no pattern"],
    ["text that is not YAML", "repositories: [\n", "not valid YAML or JSON"],
  ])("an ignore file with %s: exit 2 naming the entry, never a report of no drift", async (_what, text, message) => {
    const file = write("bad-ignore.yaml", text);
    const r = await drift({ previewJson: preview("alpha", [alpha]), ignore: file });
    expect(r.stderr).toContain(`drift: error: ignore file ${file}: ${message}`);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain("No drift");
  });

  test("an ignore file or a sibling state that cannot be read, or a sibling stack that does not exist: exit 2", async () => {
    const missing = await drift({ previewJson: preview("alpha", [alpha]), ignore: path.join(dir, "nope.yaml") });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/drift: error: ignore file \S+nope\.yaml cannot be read/);

    const noState = await drift({ previewJson: preview("alpha", [alpha]), alsoState: [path.join(dir, "nope.json")] });
    expect(noState.code).toBe(2);
    expect(noState.stderr).toMatch(/drift: error: the state file \S+nope\.json cannot be read/);

    const notState = await drift({ previewJson: preview("alpha", [alpha]), alsoState: [write("not-state.json", '{"steps": []}')] });
    expect(notState.code).toBe(2);
    expect(notState.stderr).toContain("is not a stack export");

    const noStack = await drift({ previewJson: preview("alpha", [alpha]), alsoStack: ["org/nowhere/nostack"] });
    expect(noStack.code).toBe(2);
    expect(noStack.stderr).toContain("drift: error: the state of stack org/nowhere/nostack cannot be read");
  });

  test("a scope that matches nothing: exit 2 with the way out, never a silent 0", async () => {
    const noProject = await drift({ previewJson: preview("no-project", [{ ...alpha, projectKey: undefined }]) });
    expect(noProject.code).toBe(2);
    expect(noProject.stderr).toContain("the stack's objects in workspace acme are in no project it knows of");
    expect(noProject.stderr).toContain("--scope stack");

    const otherProject = await drift({ previewJson: preview("alpha", [alpha]), project: [PROJECTS.web.key] });
    expect(otherProject.code).toBe(2);
    expect(otherProject.stderr).toContain(`--project ${PROJECTS.web.key}: not a project of the stack's objects (ALPHA)`);

    // A key the workspace does not have is named as such first, in every scope: a typo, not an empty scope.
    for (const scope of ["stack", "projects", "workspace"] as const) {
      const typo = await drift({ previewJson: preview("alpha", [alpha]), scope, project: ["ALPHAA"] });
      expect(typo.code).toBe(2);
      expect(typo.stderr).toContain("drift: error: --project ALPHAA: workspace acme has no project with this key (did you mean ALPHA?)");
    }

    const stackScope = await drift({ previewJson: preview("alpha", [alpha]), scope: "stack", project: [PROJECTS.web.key] });
    expect(stackScope.code).toBe(2);
    expect(stackScope.stderr).toContain(`--project ${PROJECTS.web.key}: none of the stack's repositories is in these projects`);

    const empty = await drift({ previewJson: preview("empty", []) });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("the search for unmanaged objects has nothing to search");
  });
});
