// Where drift's findings are delivered besides the report files: a Bitbucket Code Insights report on a
// commit (`--code-insights`, against the emulator) and, in GitHub Actions, workflow-command annotations
// and the job summary. The declaring line of each resource comes from the state's sourcePosition.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { CREDENTIALS } from "../../emulator/seed";
import { createClient } from "../../provider/client";
import { resolveSettings } from "../../provider/config";
import { runDrift } from "../../provider/cli/drift";
import { deliverFailedCheck } from "../../provider/drift/deliver";
import { declaringLines, driftFindings, repositoryRoot } from "../../provider/drift/findings";
import { escapeData, escapeProperty, githubAnnotations } from "../../provider/drift/github";
import { insightsAnnotations, insightsTarget, reportIdFor } from "../../provider/drift/insights";
import { buildReport, DriftReport, failedCheck } from "../../provider/drift/report";
import type { ExportedResource } from "../../provider/drift/steps";
import { Client, clearRequests, counters } from "../support/emulator-client";

const FIXTURE = path.join(__dirname, "..", "fixtures", "preview-json", "drift-found.json");
const REPO = "/repositories/acme/platform-api";
const URN = (kind: string, name: string) => `urn:pulumi:e2e::proj::pulumi-nodejs:dynamic/bitbucket:${kind}::${name}`;

/** A report with `n` drifted fields on one resource and one unmanaged webhook whose detail is hostile. */
function reportWith(n: number, hostile = "https://x.example/a,b:c%d\n::add-mask::leak\r"): DriftReport {
  const differences = Array.from({ length: n }, (_, i) => ({ field: `groups.g${i}`, declared: "(absent)", live: '"admin"' }));
  return buildReport(
    "acme/infra/prod",
    [{ urn: URN("RepositoryAccess", "api-access"), name: "api-access", type: "bitbucket:RepositoryAccess", status: "drifted", differences }],
    [{ kind: "webhook", workspace: "acme", repository: "api", id: "{0000}", detail: hostile }],
    new Date("2026-12-04T10:00:00Z"),
  );
}

describe("the declaring line of a resource, from the state's sourcePosition", () => {
  const root = path.join(os.tmpdir(), "checkout");
  const resources = [
    { urn: URN("RepositoryAccess", "a"), type: "t", sourcePosition: "project:///index.ts#49,3" },
    { urn: URN("Repository", "b"), type: "t", sourcePosition: "project:///lib/repos.ts#7" },
    { urn: "urn:pulumi:e2e::proj::pulumi:pulumi:Stack::s", type: "t", sourcePosition: "project:///../../node_modules/@pulumi/runtime/stack.ts#37,19" },
    { urn: URN("Webhook", "c"), type: "t" },
  ] as ExportedResource[];

  test("a path relative to the repository's root and the line; a file outside the repository and a resource without a position have none", () => {
    const lines = declaringLines(resources, path.join(root, "infra"), root);
    expect([...lines]).toEqual([
      [URN("RepositoryAccess", "a"), { path: "infra/index.ts", line: 49 }],
      [URN("Repository", "b"), { path: "infra/lib/repos.ts", line: 7 }],
    ]);
  });

  test("the root is BITBUCKET_CLONE_DIR or GITHUB_WORKSPACE, else the nearest directory with .git, else the project", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-root-"));
    try {
      fs.mkdirSync(path.join(dir, "repo", ".git"), { recursive: true });
      fs.mkdirSync(path.join(dir, "repo", "infra", "prod"), { recursive: true });
      expect(repositoryRoot(path.join(dir, "repo", "infra", "prod"), {})).toBe(path.join(dir, "repo"));
      expect(repositoryRoot(path.join(dir, "repo", "infra"), { BITBUCKET_CLONE_DIR: dir })).toBe(dir);
      expect(repositoryRoot(path.join(dir, "repo", "infra"), { GITHUB_WORKSPACE: path.join(dir, "repo", "infra") })).toBe(path.join(dir, "repo", "infra"));
      expect(repositoryRoot(dir, {})).toBe(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Code Insights report and annotations", () => {
  test("the target: Bitbucket Pipelines' variables, flags override them; what is missing or malformed is named", () => {
    const pipelines = { BITBUCKET_WORKSPACE: "acme", BITBUCKET_REPO_SLUG: "Infra", BITBUCKET_COMMIT: "ABCDEF1234567" };
    expect(insightsTarget({}, pipelines)).toEqual({ workspace: "acme", repository: "infra", commit: "abcdef1234567" });
    expect(insightsTarget({ repository: "globex/ops", commit: "1234567" }, pipelines)).toEqual({ workspace: "globex", repository: "ops", commit: "1234567" });
    expect(() => insightsTarget({}, {})).toThrow(
      /--repository WORKSPACE\/SLUG .*BITBUCKET_REPO_SLUG.*--commit SHA \(in Bitbucket Pipelines: BITBUCKET_COMMIT\)/,
    );
    expect(() => insightsTarget({ commit: "main" }, pipelines)).toThrow(/--commit main: must be a commit hash/);
    expect(() => insightsTarget({ repository: "acme/../x" }, pipelines)).toThrow(/--repository acme\/\.\.\/x: give WORKSPACE\/SLUG/);
  });

  test("the report id is stable per stack and differs between stacks whose names differ only in punctuation", () => {
    expect(reportIdFor("acme/infra/prod")).toBe(reportIdFor("acme/infra/prod"));
    expect(reportIdFor("acme/infra/prod")).toMatch(/^pulumi-drift-acme-infra-prod-[0-9a-f]{8}$/);
    expect(reportIdFor("a/b")).not.toBe(reportIdFor("a-b"));
  });

  test("one annotation per finding at its line; past 1000 the last one counts the rest", () => {
    const lines = new Map([[URN("RepositoryAccess", "api-access"), { path: "infra/index.ts", line: 12 }]]);
    const few = insightsAnnotations(reportWith(2), lines);
    expect(few).toHaveLength(3);
    expect(few[0]).toMatchObject({ external_id: "drift-0001", path: "infra/index.ts", line: 12, severity: "MEDIUM", annotation_type: "BUG", result: "FAILED" });
    expect(few[0].summary).toBe('bitbucket:RepositoryAccess api-access: groups.g0 differs (declared (absent), live "admin")');
    // The unmanaged hook: no program line declares it; its detail kept on one line.
    expect(few[2]).toMatchObject({ annotation_type: "VULNERABILITY", severity: "HIGH" });
    expect(few[2].path).toBeUndefined();
    expect(few[2].summary).not.toMatch(/[\r\n]/);
    const many = insightsAnnotations(reportWith(1500), lines);
    expect(many).toHaveLength(1000);
    expect(many[999].summary).toMatch(/^… and 502 more finding\(s\)/);
    expect(new Set(many.map((a) => a.external_id)).size).toBe(1000);
  });
});

describe("GitHub Actions workflow commands", () => {
  test("escaping: %, CR and LF in messages; also : and , in properties", () => {
    expect(escapeData("50% a\r\nb")).toBe("50%25 a%0D%0Ab");
    expect(escapeProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
  });

  test("one ::error line per finding with file and line when known; Bitbucket's data cannot start another command", () => {
    const lines = new Map([[URN("RepositoryAccess", "api-access"), { path: "infra/index,ts", line: 12 }]]);
    const out = githubAnnotations(reportWith(1), lines);
    const commands = out.split("\n").filter(Boolean);
    expect(commands).toHaveLength(2);
    expect(commands[0]).toBe(
      "::error file=infra/index%2Cts,line=12,title=drift%3A bitbucket%3ARepositoryAccess api-access::" +
        'bitbucket:RepositoryAccess api-access: groups.g0 differs (declared (absent), live "admin")',
    );
    expect(commands[1]).toMatch(/^::error title=drift%3A unmanaged webhook::webhook \{0000\} on acme\/api: .*a,b:c%25d ::add-mask::leak$/);
    expect(commands.every((c) => c.startsWith("::error "))).toBe(true);
  });

  test("findings name each differing field, a resource gone, and unmanaged objects", () => {
    const report = buildReport(
      "s",
      [
        { urn: URN("Repository", "gone"), name: "gone", type: "bitbucket:Repository", status: "deleted outside Pulumi", differences: [] },
        { urn: URN("Repository", "ok"), name: "ok", type: "bitbucket:Repository", status: "in sync", differences: [] },
      ],
      null,
    );
    expect(driftFindings(report, new Map()).map((f) => [f.message, f.severity])).toEqual([["bitbucket:Repository gone: deleted outside Pulumi", "HIGH"]]);
  });
});

describe("drift --code-insights and GitHub mode, end to end on the emulator (preview from a JSON file)", () => {
  type Emulator = Awaited<ReturnType<typeof startEmulator>>;
  let emu: Emulator;
  let api: Client;
  let dir: string;
  let commit: string;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, quiet: true });
    api = new Client(emu.apiUrl);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-insights-"));
    commit = (await api.request("GET", `${REPO}/commits`)).body.values[0].hash;
  });
  beforeEach(() => emu.reset());
  afterAll(async () => {
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const credentials = () => ({ BITBUCKET_API_URL: emu.apiUrl, BITBUCKET_EMAIL: CREDENTIALS.owner.username, BITBUCKET_API_TOKEN: CREDENTIALS.owner.password });
  const pipelines = () => ({ ...credentials(), BITBUCKET_WORKSPACE: "acme", BITBUCKET_REPO_SLUG: "platform-api", BITBUCKET_COMMIT: commit });
  async function drift(args: Partial<Parameters<typeof runDrift>[0]>, env: NodeJS.ProcessEnv) {
    let stdout = "";
    let stderr = "";
    const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env };
    const code = await runDrift({ cwd: dir, project: [], unmanaged: false, previewJson: FIXTURE, ...args }, io);
    return { code, stdout, stderr };
  }
  const reportPath = (id = reportIdFor("e2e")) => `${REPO}/commit/${commit}/reports/${id}`;

  test("publishes a FAILED SECURITY report with one annotation per finding on the Pipelines commit; a second run replaces the first's annotations", async () => {
    // An earlier run's report with an annotation this run does not make.
    await api.request("PUT", reportPath(), { body: { title: "old", report_type: "SECURITY", result: "PASSED" } });
    await api.request("POST", `${reportPath()}/annotations`, { body: [{ external_id: "drift-0099", summary: "stale" }] });

    const first = await drift({ codeInsights: true }, pipelines());
    expect(first.stderr).toMatch(/published Code Insights report pulumi-drift-e2e-[0-9a-f]{8} \(FAILED, 1 annotation\(s\)\) on acme\/platform-api commit/);
    expect(first.code).toBe(1);
    const report = (await api.request("GET", reportPath())).body;
    expect(report).toMatchObject({ title: "Drift of stack e2e", report_type: "SECURITY", result: "FAILED", reporter: "pulumi-bitbucket-cloud drift" });
    expect(report.data).toContainEqual({ title: "Resources that differ", type: "NUMBER", value: 1 });
    const annotations = (await api.request("GET", `${reportPath()}/annotations`)).body.values;
    expect(annotations.map((a: { external_id: string }) => a.external_id)).toEqual(["drift-0001"]);
    expect(annotations[0].summary).toMatch(
      /^bitbucket:Repository exp-drift \(repository acme\/exp-drift \{[0-9a-f-]+\} \(project PLAT\)\): description differs \(declared "Watched for drift", live ".*"\)$/,
    );

    await drift({ codeInsights: true }, pipelines());
    expect((await api.request("GET", `${REPO}/commit/${commit}/reports`)).body.values).toHaveLength(1);
    expect((await api.request("GET", `${reportPath()}/annotations`)).body.values).toHaveLength(1);
  });

  test("--repository and --commit override the Pipelines variables", async () => {
    const other = (await api.request("GET", `${REPO}/commits`)).body.values[1].hash;
    const r = await drift({ codeInsights: true, repository: "acme/platform-api", commit: other }, { ...pipelines(), BITBUCKET_REPO_SLUG: "website" });
    expect(r.code).toBe(1);
    expect((await api.request("GET", `${REPO}/commit/${other}/reports/${reportIdFor("e2e")}`)).status).toBe(200);
    expect((await api.request("GET", reportPath())).status).toBe(404);
  });

  test("annotations go in batches of 100", async () => {
    await clearRequests(emu.url);
    const { publishInsights, insightsReport } = await import("../../provider/drift/insights");
    const client = createClient(resolveSettings({}, credentials()));
    const report = reportWith(250);
    const target = { workspace: "acme", repository: "platform-api", commit };
    await publishInsights(client.api, target, "batches", insightsReport(report), insightsAnnotations(report, new Map()), () => undefined);
    const byRoute = (await counters(emu.url)).byRoute;
    expect(byRoute["POST /repositories/{workspace}/{repo_slug}/commit/{commit}/reports/{reportId}/annotations"]).toBe(3);
    expect((await api.request("GET", `${REPO}/commit/${commit}/reports/batches/annotations?pagelen=1`)).body.size).toBe(251);
  });

  test("without the commit: exit 2 before any preview, naming what to give", async () => {
    const r = await drift({ codeInsights: true }, credentials());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--code-insights needs .*BITBUCKET_COMMIT/);
    expect(r.stderr).not.toContain("reading the preview");
  });

  test("a report Bitbucket refuses (unknown commit, no write access): exit 2 with the API's message, and the token is never printed", async () => {
    const unknown = await drift({ codeInsights: true, commit: "0".repeat(40) }, pipelines());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /could not publish the Code Insights report pulumi-drift-e2e-\w+ on acme\/platform-api commit 0{40}: .*404.*Commit 0{40} not found/,
    );
    const mallory = { ...pipelines(), BITBUCKET_EMAIL: CREDENTIALS.mallory.username, BITBUCKET_API_TOKEN: CREDENTIALS.mallory.password };
    const refused = await drift({ codeInsights: true }, mallory);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/could not publish the Code Insights report .*403/);
    for (const out of [unknown, refused])
      for (const secret of [CREDENTIALS.owner.password, CREDENTIALS.mallory.password]) expect(out.stdout + out.stderr).not.toContain(secret);
  });

  test("a check that failed publishes a FAILED report saying why, with no annotation", async () => {
    const client = createClient(resolveSettings({}, credentials()));
    const check = failedCheck("e2e", "the preview reported 1 error(s)");
    let said = "";
    const io = { stdout: { write: () => undefined }, env: {} };
    await deliverFailedCheck(check, { target: { workspace: "acme", repository: "platform-api", commit }, client, io, progress: (m) => (said += m) });
    expect(said).toContain("published Code Insights report");
    const report = (await api.request("GET", reportPath())).body;
    expect(report).toMatchObject({ result: "FAILED" });
    expect(report.details).toContain("the preview reported 1 error(s)");
    expect((await api.request("GET", `${reportPath()}/annotations`)).body.values).toEqual([]);
  });

  test("in GitHub Actions: ::error lines on stdout and the Markdown report appended to the job summary; a failed check says so in both", async () => {
    const summary = path.join(dir, "summary.md");
    fs.writeFileSync(summary, "earlier step\n");
    const github = { ...credentials(), GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary };
    const r = await drift({}, github);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^::error title=drift%3A bitbucket%3ARepository exp-drift::bitbucket:Repository exp-drift \(repository acme\/exp-drift \{[0-9a-f-]+\} \(project PLAT\)\): description differs/m,
    );
    const written = fs.readFileSync(summary, "utf8");
    expect(written.startsWith("earlier step\n### Drift check of stack `e2e`")).toBe(true);
    expect(written).toContain("**Drift found**");

    const truncated = path.join(dir, "truncated.json");
    fs.writeFileSync(truncated, fs.readFileSync(FIXTURE, "utf8").slice(0, 2000));
    const failed = await drift({ previewJson: truncated }, github);
    expect(failed.code).toBe(2);
    expect(failed.stdout).toMatch(/^::error title=drift check failed::the check cannot be trusted, .*the preview JSON is not complete JSON.*$/m);
    expect(fs.readFileSync(summary, "utf8")).toContain("**Drift check failed**");
  });

  test("outside GitHub Actions nothing of this is written", async () => {
    const summary = path.join(dir, "untouched.md");
    const r = await drift({}, { ...credentials(), GITHUB_STEP_SUMMARY: summary });
    expect(r.stdout).not.toContain("::error");
    expect(fs.existsSync(summary)).toBe(false);
  });
});
