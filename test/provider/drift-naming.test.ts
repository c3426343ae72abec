// The drift command's findings name the Bitbucket object (repository slug, UUID and project, the
// group's name, the hook's URL without credentials) in JUnit, Markdown, JSON and text; the JSON
// validates against the schema shipped in the package; `--baseline` turns a previous report's
// findings into known drift (exit 0 when nothing is new), and refuses a baseline it cannot use (exit 2).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv from "ajv";
import { XMLParser } from "fast-xml-parser";
import { startEmulator } from "../../emulator";
import { CREDENTIALS, PROJECTS, REPOSITORIES } from "../../emulator/seed";
import { runDrift } from "../../provider/cli/drift";
import { buildReport, toMarkdown } from "../../provider/drift/report";
import { reportedUrl } from "../../provider/resources/webhook";
import { asOwner, clearCounters, Emulator, enc, requests, script } from "./helpers";

const ROOT = path.join(__dirname, "..", "..");
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, "schemas", "drift-report.v1.json"), "utf8"));
const validate = new Ajv({ allErrors: true }).compile(SCHEMA);
const { platformApi } = REPOSITORIES;
const TYPE = (kind: string) => `pulumi-nodejs:dynamic/bitbucket:${kind}`;
const urn = (kind: string, name: string) => `urn:pulumi:prod::acme-infra::${TYPE(kind)}::${name}`;

/** A preview: platform-api (project PLAT) and its RepositoryAccess "alpha-access" holding `liveGroups` where the program declares developers only. */
function preview(liveGroups: Record<string, string>, liveDescription = "Managed"): string {
  const state = (kind: string, name: string, id: string, inputs: Record<string, unknown>, outputs: Record<string, unknown>) => ({
    urn: urn(kind, name),
    type: TYPE(kind),
    custom: true,
    id,
    inputs,
    outputs: { ...inputs, ...outputs },
  });
  const repoInputs = { workspace: "acme", name: platformApi.slug, projectKey: PROJECTS.plat.key };
  const repoOutputs = { uuid: platformApi.uuid, slug: platformApi.slug };
  const repo = state("Repository", platformApi.slug, platformApi.uuid, { ...repoInputs, description: "Managed" }, repoOutputs);
  const liveRepo = state("Repository", platformApi.slug, platformApi.uuid, { ...repoInputs, description: liveDescription }, repoOutputs);
  const accessId = `acme/${platformApi.uuid}`;
  const declared = state(
    "RepositoryAccess",
    "alpha-access",
    accessId,
    { workspace: "acme", repository: platformApi.uuid, groups: { developers: "write" } },
    {},
  );
  const live = state(
    "RepositoryAccess",
    "alpha-access",
    accessId,
    { workspace: "acme", repository: platformApi.uuid, groups: liveGroups },
    { repositoryUuid: platformApi.uuid },
  );
  const steps = [
    { op: "refresh", urn: repo.urn, oldState: repo, newState: liveRepo },
    { op: liveDescription === "Managed" ? "same" : "update", urn: repo.urn, oldState: liveRepo, newState: repo },
    { op: "refresh", urn: declared.urn, oldState: declared, newState: live },
    { op: Object.keys(liveGroups).length > 1 ? "update" : "same", urn: declared.urn, oldState: live, newState: declared },
  ];
  return JSON.stringify({ steps, duration: 1_000_000_000, changeSummary: { same: 1, update: 1 } });
}

describe("findings name the Bitbucket object; the JSON has a schema; --baseline", () => {
  let emu: Emulator;
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  const reports = { junit: "", markdown: "", json: "" };

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, quiet: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-drift-naming-"));
    Object.assign(reports, { junit: file("drift.xml"), markdown: file("drift.md"), json: file("drift.json") });
    // The hand-added admin grant the preview below reports (the name lookup lists the live grants).
    await asOwner(emu, "PUT", `/repositories/acme/${enc(platformApi.uuid)}/permissions-config/groups/contractors`, { permission: "admin" });
  });
  afterAll(async () => {
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function drift(previewText: string, extra: Partial<Parameters<typeof runDrift>[0]> = {}) {
    fs.writeFileSync(file("preview.json"), previewText);
    let stdout = "";
    let stderr = "";
    const env = { BITBUCKET_API_URL: emu.apiUrl, BITBUCKET_EMAIL: CREDENTIALS.owner.username, BITBUCKET_API_TOKEN: CREDENTIALS.owner.password };
    const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env };
    const code = await runDrift({ cwd: dir, project: [], unmanaged: false, previewJson: file("preview.json"), ...reports, ...extra }, io);
    return { code, stdout, stderr };
  }

  const junitCases = (): any[] =>
    new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["testsuite", "testcase"].includes(name) })
      .parse(fs.readFileSync(reports.junit, "utf8"))
      .testsuites.testsuite.flatMap((suite: any) => suite.testcase ?? []);
  const json = () => JSON.parse(fs.readFileSync(reports.json, "utf8"));
  const GRANT = `RepositoryAccess alpha-access: group contractors (Contractors) admin, not declared`;

  test("a hand-added admin grant names the repository (slug, UUID, project) and the group (slug, name) in JUnit, Markdown, JSON and text", async () => {
    await clearCounters(emu);
    const r = await drift(preview({ developers: "write", contractors: "admin" }));
    expect(r.code).toBe(1);

    const cases = junitCases();
    const grant = cases.find((c) => c.name === GRANT);
    expect(grant).toMatchObject({ classname: "acme/platform-api" });
    expect(grant.failure.message).toBe(
      `repository acme/platform-api ${platformApi.uuid} (project PLAT), group contractors (Contractors): groups.contractors (declared (absent), live "admin")`,
    );
    expect(cases.find((c) => c.name === "Repository platform-api")).toMatchObject({ classname: "acme/platform-api" });

    const markdown = fs.readFileSync(reports.markdown, "utf8");
    expect(markdown).toContain(
      `| \`bitbucket:RepositoryAccess alpha-access\` | drifted | \`groups.contractors\` | \`(absent)\` | \`"admin"\` | repository acme/platform-api ${platformApi.uuid} (project PLAT), group contractors (Contractors) |`,
    );

    const report = json();
    const access = report.resources.find((x: any) => x.name === "alpha-access");
    expect(access.bitbucket).toEqual({ workspace: "acme", repository: { slug: platformApi.slug, uuid: platformApi.uuid }, project: "PLAT" });
    expect(access.differences).toEqual([
      {
        field: "groups.contractors",
        declared: "(absent)",
        live: '"admin"',
        object: { label: "group", collection: "group permission", id: "contractors", name: "Contractors" },
        finding: `bitbucket:RepositoryAccess|acme|${platformApi.uuid}|group contractors|groups.contractors`,
        known: false,
      },
    ]);
    expect(r.stdout).toContain(`bitbucket:RepositoryAccess alpha-access: drifted (repository acme/platform-api ${platformApi.uuid} (project PLAT))`);
    expect(r.stdout).toContain('groups.contractors: declared (absent), live "admin" (group contractors (Contractors))');

    // The group's name, absent from the state, cost one listing of the repository's group grants.
    const lookups = (await requests(emu)).filter((q: any) => q.method === "GET" && q.path.includes("/permissions-config/groups"));
    expect(lookups).toHaveLength(1);
    expect(r.stderr).toContain("drift: looked up names the state lacks: 1 list call(s)");
  });

  test("the reports carry the check's request cost: JSON (valid against the schema), Markdown, JUnit properties and a line on standard error", async () => {
    await clearCounters(emu);
    const r = await drift(preview({ developers: "write", contractors: "admin" }));
    const sent = (await requests(emu)).length;
    expect(sent).toBeGreaterThan(0);
    const report = json();
    expect(validate(report)).toBe(true);
    expect(report.requestCost).toMatchObject({ requests: sent, byMethod: { GET: sent }, rateLimited: 0 });
    expect(report.requestCost.byFamily["GET repositories/permissions-config/groups"]).toBe(1);
    // An API token is told nothing about its budget.
    expect(report.requestCost.rateLimit).toBeUndefined();
    const line = `${sent} API request${sent === 1 ? "" : "s"} (GET ${sent}); Bitbucket sent no rate-limit headers (it sends them to access tokens only)`;
    expect(r.stderr).toContain(`drift: cost: ${line}\n`);
    expect(fs.readFileSync(reports.markdown, "utf8")).toContain(`Cost: ${line}.`);
    const properties = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["testsuite", "property"].includes(name) }).parse(
      fs.readFileSync(reports.junit, "utf8"),
    ).testsuites.testsuite[0].properties.property;
    expect(properties).toEqual([
      { name: "requests", value: String(sent) },
      { name: "requests.GET", value: String(sent) },
      { name: "rateLimited", value: "0" },
    ]);
  });

  test("a failed name lookup leaves the name out; the finding stands and the check still fails", async () => {
    await script(emu, [{ method: "GET", pathPrefix: `/repositories/acme/${enc(platformApi.uuid)}/permissions-config/groups`, status: 403, times: 10 }]);
    try {
      const r = await drift(preview({ developers: "write", contractors: "admin" }));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/drift: could not look up the names of the group permissions of acme\/platform-api .*reported without them/);
      expect(junitCases().map((c) => c.name)).toContain("RepositoryAccess alpha-access: group contractors admin, not declared");
    } finally {
      await script(emu, []);
    }
  });

  test("the JSON reports (drift, no drift, failed check) validate against the shipped schema and say its version", async () => {
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).files).toContain("schemas");
    const written: any[] = [];
    for (const [text, unmanaged, code] of [
      [preview({ developers: "write", contractors: "admin" }), true, 1],
      [preview({ developers: "write" }), false, 0],
      ["not a preview", false, 2],
    ] as const) {
      expect((await drift(text, { unmanaged })).code).toBe(code);
      written.push(json());
    }
    for (const report of written) {
      expect(report).toMatchObject({ $schema: "pulumi-bitbucket-cloud/schemas/drift-report.v1.json", schemaVersion: 1 });
      expect(validate(report) ? [] : validate.errors).toEqual([]);
    }
    const [withUnmanaged] = written;
    expect(withUnmanaged.unmanaged.length).toBeGreaterThan(0);
    // The schema is not a formality: a report without its findings' identities does not validate.
    delete withUnmanaged.unmanaged[0].finding;
    expect(validate(withUnmanaged)).toBe(false);
  });

  test("--baseline: known findings are marked and pass (exit 0); a new one fails (exit 1) and is marked new", async () => {
    const first = await drift(preview({ developers: "write", contractors: "admin" }), { unmanaged: true });
    expect(first.code).toBe(1);
    fs.copyFileSync(reports.json, file("baseline.json"));
    const baseline = file("baseline.json");

    const same = await drift(preview({ developers: "write", contractors: "admin" }), { unmanaged: true, baseline });
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("Only known drift.");
    const known = json();
    expect(known.baseline).toBe(baseline);
    expect(known.summary.known).toBe(known.summary.findings);
    expect(validate(known) ? [] : validate.errors).toEqual([]);
    const grant = junitCases().find((c) => c.name === GRANT);
    expect(grant.failure).toBeUndefined();
    expect(grant.skipped).toBeDefined();
    expect(fs.readFileSync(reports.markdown, "utf8")).toMatch(/\| `groups\.contractors` \|.*\| known \|/);

    // A new hand change (the description): it alone fails; the grant stays known.
    const changed = await drift(preview({ developers: "write", contractors: "admin" }, "hand edited"), { unmanaged: true, baseline });
    expect(changed.code).toBe(1);
    const marked = json().resources.flatMap((x: any) => x.differences.map((d: any) => `${d.field} ${d.known}`));
    expect(marked.sort()).toEqual(["description false", "groups.contractors true"]);
    expect(
      junitCases()
        .filter((c) => c.failure)
        .map((c) => c.name),
    ).toEqual(['Repository platform-api: description declared "Managed", live "hand edited"']);
    expect(fs.readFileSync(reports.markdown, "utf8")).toMatch(/\| `description` \|.*\| \*\*new\*\* \|/);

    // Matched by identity, not by text: the same grant raised to another permission is still the known finding.
    expect((await drift(preview({ developers: "write", contractors: "write" }), { unmanaged: true, baseline })).code).toBe(0);
  });

  test("--baseline that cannot be read, is not a report of this schema, or records a failed check: exit 2 with a message", async () => {
    const cases: [string, string | undefined, RegExp][] = [
      ["missing.json", undefined, /--baseline \S+missing\.json: cannot be read as JSON/],
      ["garbage.json", "{ not json", /--baseline \S+garbage\.json: cannot be read as JSON/],
      ["other.json", JSON.stringify({ stack: "prod", resources: [] }), /--baseline \S+other\.json: not a drift report of schema version 1/],
    ];
    for (const [name, content, message] of cases) {
      if (content !== undefined) fs.writeFileSync(file(name), content);
      const r = await drift(preview({ developers: "write" }), { baseline: file(name) });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).not.toContain("No drift");
    }
    await drift("not a preview");
    fs.copyFileSync(reports.json, file("failed.json"));
    const failed = await drift(preview({ developers: "write" }), { baseline: file("failed.json") });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain("records a check that failed");
  });

  test("a hook's URL is reported with scheme, host and path only: no user part, query or fragment", async () => {
    expect(reportedUrl("https://bot:hunter2@hooks.example.com/in/ci?token=s3cr3t#x")).toBe("https://hooks.example.com/in/ci");
    expect(reportedUrl("not a url")).toBe("(not a URL)");
    await asOwner(emu, "POST", `/repositories/acme/${platformApi.slug}/hooks`, {
      url: "https://collector.example.net/in?token=leaked-token-123",
      events: ["repo:push"],
    });
    const r = await drift(preview({ developers: "write" }), { unmanaged: true });
    expect(r.code).toBe(1);
    const unmanaged = json().unmanaged.find((o: any) => o.kind === "webhook");
    expect(unmanaged).toMatchObject({ title: "https://collector.example.net/in", repositoryUuid: platformApi.uuid });
    for (const name of ["drift.xml", "drift.md", "drift.json"]) expect(fs.readFileSync(file(name), "utf8")).not.toContain("leaked-token-123");
    expect(r.stdout).not.toContain("leaked-token-123");
  });
});

describe("the Markdown report shows Bitbucket's text as text", () => {
  // markdown-it ships no types.
  const MarkdownIt = require("markdown-it");
  const HOSTILE = ['<img src=x onerror="alert(1)">', "[pay here](https://evil.example/)", "**loud** | cell | break", "line\nbreak `code` \\ back"];

  test.each(HOSTILE)("a name or detail %j from Bitbucket renders as written: no tag, no link, no extra cell", (text) => {
    const unmanaged = [
      { kind: "group permission", workspace: "acme", repository: "billing", id: "contractors", detail: text, title: text, repositoryUuid: "{1}" },
    ];
    const markdown = toMarkdown(buildReport("prod", [], unmanaged, new Date(0), "program"));
    const html: string = new MarkdownIt().render(markdown);
    expect(html).not.toMatch(/<img|<a |<strong>loud/);
    const row = html.split("<tr>").find((tr) => tr.includes("<td>group permission</td>"));
    expect(row).toBeDefined();
    // Kind, object, repository, detail, Bitbucket object: five cells, the text whole in the detail.
    const cells = [...(row ?? "").matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]);
    expect(cells).toHaveLength(5);
    const decoded = cells[3]
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
    expect(decoded).toBe(text.replace(/\n/g, " "));
  });
});
