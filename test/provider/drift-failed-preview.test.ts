// drift --preview-json on previews that failed, did not finish or left resources out: each is a
// failed check (exit 2, the reason, reports that say so), never "No drift". The fixtures are what the
// Pulumi CLI (v3.274.1) printed for a stack of examples/gitops-access against the emulator; see
// test/fixtures/preview-json/README.md for how each was made.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { XMLParser } from "fast-xml-parser";
import { runDrift } from "../../provider/cli/drift";
import { previewFromEvents, requireCounted } from "../../provider/drift/preview";
import { uncoveredResources } from "../../provider/drift/state";
import type { ExportedResource } from "../../provider/drift/steps";

const FIXTURES = path.join(__dirname, "..", "fixtures", "preview-json");

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-drift-failed-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** runDrift on a copy of the fixture in a directory without a Pulumi project, every report asked for. */
async function driftOn(fixture: string) {
  const run = fs.mkdtempSync(path.join(dir, "run-"));
  const previewJson = path.join(run, "preview.json");
  fs.copyFileSync(path.join(FIXTURES, fixture), previewJson);
  const reports = { junit: path.join(run, "drift.xml"), markdown: path.join(run, "drift.md"), json: path.join(run, "drift.json") };
  // Reports of an earlier, clean run: a failed check must not leave them standing.
  fs.writeFileSync(reports.junit, '<testsuites><testsuite name="drift: stack e2e: managed resources" tests="3" failures="0"/></testsuites>');
  fs.writeFileSync(reports.markdown, "**No drift**: all 3 resources match the program.");
  fs.writeFileSync(reports.json, JSON.stringify({ stack: "e2e", summary: { resources: 3, drifted: 0, unmanaged: 0 } }));
  let stdout = "";
  let stderr = "";
  const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} };
  const code = await runDrift({ cwd: run, previewJson, project: [], unmanaged: false, ...reports }, io);
  return { code, stdout, stderr, reports };
}

describe("drift --preview-json refuses a preview it cannot trust", () => {
  test.each([
    [
      "provider-401.json",
      "the provider's reads were refused (401)",
      /the preview reported 4 error\(s\):\n {2}- error: Preview failed: Bitbucket API GET .* failed with 401: Invalid credentials/,
    ],
    [
      "provider-500.json",
      "one resource's read failed with 500 while the others refreshed",
      /the preview reported 2 error\(s\):\n {2}- error: Preview failed: Bitbucket API GET .*\/hooks\?pagelen=100 failed with 500/,
    ],
    [
      "program-threw.json",
      "the program threw",
      /the preview reported 1 error\(s\):\n {2}- error: Running program '.*index\.ts' failed with an unhandled exception:\n {4}Error: ENOENT: no such file or directory/,
    ],
    ["cancelled.json", "the preview stopped before its summary", /the preview did not finish: its JSON has no `duration` and `changeSummary`/],
    ["truncated.json", "the JSON was cut off", /the preview JSON is not complete JSON/],
    ["killed.json", "the CLI was killed and printed nothing", /the preview JSON is empty/],
    ["targeted.json", "the preview was limited with --target", /the preview counts 4 resources but has steps for 2: it was limited \(--target, --exclude\)/],
  ])("%s (%s): exit 2 with the reason, and the reports say the check failed", async (fixture, _what, reason) => {
    const r = await driftOn(fixture);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/drift: error: the check cannot be trusted, so nothing is reported: /);
    expect(r.stderr).toMatch(reason);
    // Quoted as plain text: no terminal escapes from the program's error.
    expect(r.stderr).not.toContain("\x1b");
    expect(r.stdout).not.toContain("No drift");

    const markdown = fs.readFileSync(r.reports.markdown, "utf8");
    expect(markdown).toContain("**Drift check failed**");
    expect(markdown).toMatch(reason);
    expect(markdown).not.toContain("No drift");
    const json = JSON.parse(fs.readFileSync(r.reports.json, "utf8"));
    expect(json).toMatchObject({ failed: true, error: expect.stringMatching(reason) });
    expect(json.summary).toBeUndefined();
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(fs.readFileSync(r.reports.junit, "utf8"));
    const error = xml.testsuites.testsuite.testcase.error;
    expect(error.message).toMatch(/^the check cannot be trusted, so nothing is reported: /);
    expect(error["#text"]).toMatch(reason);
  });

  test("a finished preview without errors is still judged: real drift exits 1, none exits 0", async () => {
    const drifted = await driftOn("drift-found.json");
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toContain('description: declared "Watched for drift", live "Edited by hand"');
    const clean = await driftOn("no-drift.json");
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("No drift.");
    expect(fs.readFileSync(clean.reports.markdown, "utf8")).toContain("**No drift**: all 3 resources match the program.");
  });
});

describe("the engine events of a preview run here", () => {
  const urn = "urn:pulumi:e2e::acme::pulumi-nodejs:dynamic/bitbucket:Repository::repo";
  const meta = (op: string) => ({ op, urn, type: "x", provider: "", old: undefined, new: undefined });
  const summary = { sequence: 9, timestamp: 0, summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: { same: 1 }, policyPacks: {} } };
  const refreshed = [
    { sequence: 1, timestamp: 0, resourcePreEvent: { metadata: meta("refresh") } },
    { sequence: 2, timestamp: 0, resOutputsEvent: { metadata: meta("refresh") } },
  ];

  test("an error diagnostic makes the preview untrusted, quoting it", () => {
    const failed = {
      sequence: 3,
      timestamp: 0,
      diagnosticEvent: { urn, message: "error: Preview failed: ... failed with 401\n", color: "never", severity: "error" },
    };
    expect(() => previewFromEvents([...refreshed, failed, summary] as never)).toThrow(
      /reported 1 error\(s\):\n {2}- error: Preview failed: \.\.\. failed with 401$/,
    );
  });

  test("events without a summary did not finish; a summary counting more resources than the steps name left some out", () => {
    expect(() => previewFromEvents(refreshed as never)).toThrow(/did not finish: its events have no summary/);
    const preview = previewFromEvents([...refreshed, summary] as never);
    expect(() => requireCounted(preview)).not.toThrow();
    expect(() => requireCounted({ ...preview, counted: 2 })).toThrow(/counts 2 resources but has steps for 1/);
  });
});

describe("coverage of the stack's state", () => {
  test("each resource of this package in the state without a step is named; others, and pending deletions, are not asked for", () => {
    const resource = (type: string, name: string, extra: Partial<ExportedResource> = {}): ExportedResource => ({
      urn: `urn:pulumi:e2e::acme::${type}::${name}`,
      type,
      custom: true,
      id: `id-${name}`,
      ...extra,
    });
    const repo = resource("pulumi-nodejs:dynamic/bitbucket:Repository", "repo");
    const access = resource("pulumi-nodejs:dynamic/bitbucket:RepositoryAccess", "repo-access");
    const state = [
      resource("pulumi:pulumi:Stack", "acme-e2e", { custom: false, id: undefined }),
      resource("pulumi:providers:pulumi-nodejs", "default"),
      repo,
      access,
      resource("pulumi-nodejs:dynamic/bitbucket:Webhook", "old-hook", { delete: true }),
      resource("random:index/randomId:RandomId", "suffix"),
    ];
    const steps = [{ op: "refresh", urn: repo.urn, type: repo.type }];
    expect(uncoveredResources(steps, state)).toEqual([access.urn]);
    expect(uncoveredResources([...steps, { op: "update", urn: access.urn, type: access.type }], state)).toEqual([]);
  });
});
