// The drift report and its four renderings: JUnit XML (one test case per finding and per resource in
// sync, drift as failures, known drift skipped), Markdown (a pull-request comment or job summary), JSON
// (schemas/drift-report.v1.json) and a plain-text summary for the terminal. Every finding names the
// Bitbucket object (naming.ts) beside the Pulumi resource, and has an identity a baseline matches.
import junit from "junit-report-builder";
import { describeCost, type RequestCost } from "../client/cost";
import type { Described, ObjectName } from "../resources/discovery";
import { FieldDifference, ManagedResource, Status } from "./compare";
import { describeResources, objectOfDifference, Unnamed } from "./naming";
import { UnmanagedObject } from "./unmanaged";

/** The JSON report's schema: its version, and the file shipped in the package. */
export const SCHEMA_VERSION = 1;
export const SCHEMA_ID = "pulumi-bitbucket-cloud/schemas/drift-report.v1.json";

/** What a finding carries besides what it is about: its identity and whether a baseline knew it. */
interface Finding {
  /** Stable identity: the kind, the Bitbucket object's identity (UUIDs where known) and the field. Never the message. */
  finding: string;
  /** In the baseline given (`--baseline`): known drift, which does not fail the check. */
  known: boolean;
}

export interface ReportedDifference extends FieldDifference, Finding {
  /** The object inside the resource the difference is about (a grant, a hook), when it is not the resource's own. */
  object?: ObjectName;
}

export interface ReportedResource {
  urn: string;
  name: string;
  type: string;
  status: Status;
  /** The Bitbucket object: workspace, repository (slug, UUID), project, and the grant or hook it is. */
  bitbucket: Described;
  differences: ReportedDifference[];
}

export type ReportedUnmanaged = UnmanagedObject & Finding;

export interface DriftReport {
  $schema: string;
  schemaVersion: number;
  stack: string;
  /** What Bitbucket was compared with: the program (a refreshed preview) or the last update (the state). */
  comparedWith: "program" | "last update";
  checkedAt: string;
  /** The baseline file the findings were matched with, if any. */
  baseline: string | null;
  resources: ReportedResource[];
  /** Null when the search for unmanaged objects was not run. */
  unmanaged: ReportedUnmanaged[] | null;
  /** Unmanaged objects an entry of the ignore file names (each with its reason): not drift. */
  ignored: UnmanagedObject[];
  summary: { resources: number; drifted: number; unmanaged: number; findings: number; known: number };
  /** The API requests the check made (its own and its refreshed preview's), and what the rate-limit headers said. */
  requestCost?: RequestCost;
}

const identity = (...parts: (string | undefined)[]) => parts.filter((p) => p !== undefined).join("|");

/** A resource's object: its repository by UUID (else slug), its project, the object in it. */
function objectIdentity(r: { urn: string; bitbucket: Described }, object: ObjectName | undefined): string {
  const { workspace, repository, project } = r.bitbucket;
  if (!workspace) return r.urn;
  const where = repository ? (repository.uuid ?? repository.slug)?.toLowerCase() : project && `project ${project}`;
  return identity(workspace, where, object && `${object.label} ${object.id}`);
}

const unmanagedIdentity = (o: UnmanagedObject) =>
  identity(`unmanaged ${o.kind}`, o.workspace, (o.repositoryUuid ?? o.repository).toLowerCase(), o.kind === "repository" ? undefined : o.id);

export function buildReport(
  stack: string,
  resources: ManagedResource[],
  unmanaged: UnmanagedObject[] | null,
  checkedAt = new Date(),
  comparedWith: DriftReport["comparedWith"] = "program",
): DriftReport {
  const described = describeResources(resources);
  const reported = resources.map((r): ReportedResource => {
    const { urn, name, type, status } = r;
    const bitbucket = described.get(urn) ?? {};
    const differences = r.differences.map((d) => {
      const object = objectOfDifference(r, d);
      return {
        ...d,
        ...(object ? { object } : {}),
        finding: identity(type, objectIdentity({ urn, bitbucket }, object ?? bitbucket.object), d.field),
        known: false,
      };
    });
    return { urn, name, type, status, bitbucket, differences };
  });
  const found = unmanaged?.filter((o) => !o.ignored).map((o) => ({ ...o, finding: unmanagedIdentity(o), known: false })) ?? null;
  return {
    $schema: SCHEMA_ID,
    schemaVersion: SCHEMA_VERSION,
    stack,
    comparedWith,
    checkedAt: checkedAt.toISOString(),
    baseline: null,
    resources: reported,
    unmanaged: found,
    ignored: unmanaged?.filter((o) => o.ignored) ?? [],
    summary: summarize(reported, found),
  };
}

function summarize(resources: ReportedResource[], unmanaged: ReportedUnmanaged[] | null): DriftReport["summary"] {
  const findings = [...resources.flatMap((r) => r.differences), ...(unmanaged ?? [])];
  return {
    resources: resources.length,
    drifted: resources.filter((r) => r.status !== "in sync").length,
    unmanaged: unmanaged?.length ?? 0,
    findings: findings.length,
    known: findings.filter((f) => f.known).length,
  };
}

/** Marks the findings whose identities `known` holds (a baseline's), and names the baseline. */
export function markKnown(report: DriftReport, known: ReadonlySet<string>, baseline: string): void {
  for (const f of [...report.resources.flatMap((r) => r.differences), ...(report.unmanaged ?? [])]) f.known = known.has(f.finding);
  report.baseline = baseline;
  report.summary = summarize(report.resources, report.unmanaged);
}

/** The objects of the report a name may be looked up for (naming.ts's lookUpNames fills them in place). */
export function unnamedObjects(report: DriftReport): Unnamed[] {
  return report.resources.flatMap((r) => {
    const objects = r.differences.length > 0 ? r.differences.map((d) => d.object ?? r.bitbucket.object) : [];
    return objects.flatMap((object) => (object && object.name === undefined ? [{ where: r.bitbucket, object }] : []));
  });
}

/** Drift that fails the check: a finding no baseline knew. */
export function hasDrift(report: DriftReport): boolean {
  return report.summary.findings > report.summary.known;
}

const differenceText = (d: FieldDifference) => `${d.field} (declared ${d.declared}, live ${d.live})`;

/** A short value for a test name: a plain JSON string without its quotes. */
const bare = (value: string) => (/^"[\w:.{}-]+"$/.test(value) ? value.slice(1, -1) : value);

const objectText = (o: ObjectName) => `${o.label} ${o.id}${o.name !== undefined && o.name !== o.id ? ` (${o.name})` : ""}`;

/** What a person looks for in Bitbucket: `repository acme/api {uuid} (project PLAT), group contractors (Contractors)`. */
export function bitbucketText(where: Described, object = where.object): string {
  const { workspace, repository, project } = where;
  const parts: string[] = [];
  if (repository) {
    const fullName = repository.slug ? `${workspace}/${repository.slug}` : workspace;
    parts.push(`repository ${[fullName, repository.uuid].filter(Boolean).join(" ")}${project ? ` (project ${project})` : ""}`);
  } else if (project) parts.push(`project ${workspace}/${project}`);
  else if (workspace) parts.push(`workspace ${workspace}`);
  if (object) parts.push(objectText(object));
  return parts.join(", ");
}

/** Where the test tab groups a finding: the repository's full name, else the project or workspace, else the Pulumi type. */
function place(r: ReportedResource): string {
  const { workspace, repository, project } = r.bitbucket;
  if (workspace && repository) return `${workspace}/${repository.slug ?? repository.uuid}`;
  if (workspace) return project ? `${workspace} project ${project}` : workspace;
  return r.type;
}

const shortType = (type: string) => type.replace(/^bitbucket:/, "");

/** One finding in a line: `group contractors (Contractors) admin, not declared`. */
export function findingTitle(r: ReportedResource, d: ReportedDifference): string {
  if (d.field === "(resource)") return r.status;
  const object = d.object ?? r.bitbucket.object;
  const rest = d.object ? d.field.split(".").slice(2).join(".") : d.field;
  const subject = [object && objectText(object), rest].filter(Boolean).join(" ");
  if (d.declared === "(absent)") return `${subject} ${bare(d.live)}, not declared`;
  if (d.live === "(absent)") return `${subject} declared ${bare(d.declared)}, absent in Bitbucket`;
  return `${subject} declared ${d.declared}, live ${d.live}`;
}

const KNOWN = "known drift (in the baseline)";

const unmanagedTitle = (o: UnmanagedObject) => `${o.id}${o.title !== undefined && o.title !== o.id ? ` (${o.title})` : ""}`;
const unmanagedName = (o: UnmanagedObject) => (o.kind === "repository" ? `repository ${o.id}` : `${o.kind} ${o.id} on ${o.workspace}/${o.repository}`);
const unmanagedFailure = (o: UnmanagedObject) =>
  `not declared by any resource of the stack: ${o.detail}${o.repositoryUuid ? ` (repository ${o.workspace}/${o.repository} ${o.repositoryUuid})` : ""}`;
const ignoredText = (o: UnmanagedObject) => `ignored (${o.ignored?.entry}): ${o.ignored?.reason}`;

/** The request cost as JUnit properties: `requests`, `requests.GET`..., `rateLimited`, `rateLimit.limit`, `rateLimit.nearLimit`. */
function costProperties(cost: RequestCost | undefined): [string, string][] {
  if (!cost) return [];
  const rl = cost.rateLimit;
  return [
    ["requests", String(cost.requests)],
    ...Object.entries(cost.byMethod).map(([method, n]): [string, string] => [`requests.${method}`, String(n)]),
    ["rateLimited", String(cost.rateLimited)],
    ...(rl?.limit !== undefined ? [["rateLimit.limit", String(rl.limit)] as [string, string]] : []),
    ...(rl?.nearLimit !== undefined ? [["rateLimit.nearLimit", String(rl.nearLimit)] as [string, string]] : []),
  ];
}

export function toJUnit(report: DriftReport): string {
  const builder = junit.newBuilder();
  const managed = builder.testSuite().name(`drift: stack ${report.stack}: managed resources`);
  for (const [name, value] of costProperties(report.requestCost)) managed.property(name, value);
  for (const r of report.resources) {
    const name = `${shortType(r.type)} ${r.name}`;
    if (r.differences.length === 0) managed.testCase().className(place(r)).name(name);
    for (const d of r.differences) {
      const testCase = managed
        .testCase()
        .className(place(r))
        .name(`${name}: ${findingTitle(r, d)}`);
      const message = `${bitbucketText(r.bitbucket, d.object ?? r.bitbucket.object)}: ${differenceText(d)}`;
      if (d.known) testCase.skipped().standardOutput(`${KNOWN}: ${message}`);
      else testCase.failure(message, "drift");
    }
  }
  if (report.unmanaged) {
    const unmanaged = builder.testSuite().name(`drift: stack ${report.stack}: unmanaged objects`);
    for (const o of report.unmanaged) {
      const testCase = unmanaged
        .testCase()
        .className(`${o.workspace}/${o.repository}`)
        .name(`unmanaged ${o.kind} ${unmanagedTitle(o)}`);
      if (o.known) testCase.skipped().standardOutput(`${KNOWN}: ${unmanagedFailure(o)}`);
      else testCase.failure(unmanagedFailure(o), "unmanaged");
    }
    for (const o of report.ignored) unmanaged.testCase().className(`unmanaged ${o.kind}`).name(unmanagedName(o)).skipped().standardOutput(ignoredText(o));
  }
  return builder.build();
}

/** A table cell: pipes and line breaks would break the table; code spans keep values literal. */
const cell = (value: string) => value.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
/**
 * Text from Bitbucket (names, details) in a table cell, as text: the characters that open a tag, a
 * link, an entity, emphasis, a code span or a cell escaped (the rest mean nothing inside a cell), so a
 * group named `<img src=x onerror=...>` or `[pay](https://...)` shows as written in a pull-request
 * comment or a job summary, never as a tag or a link.
 */
const plain = (value: string) => value.replace(/\r?\n/g, " ").replace(/[\\`*_[\]<>&|~]/g, "\\$&");
const code = (value: string) => (value.includes("`") ? `\`\` ${cell(value)} \`\`` : `\`${cell(value)}\``);
const baselineCell = (report: DriftReport, f: Finding) => (report.baseline === null ? "" : ` ${f.known ? "known" : "**new**"} |`);

export function toMarkdown(report: DriftReport, title = `Drift check of stack \`${report.stack}\``): string {
  const { summary } = report;
  const lines = [`### ${title}`, ""];
  const drifted = summary.drifted > 0 || summary.unmanaged > 0;
  lines.push(
    drifted
      ? `**Drift found**: ${summary.drifted} of ${summary.resources} resources differ from the ${report.comparedWith}; ${summary.unmanaged} unmanaged object(s).`
      : `**No drift**: all ${summary.resources} resources match the ${report.comparedWith}${report.unmanaged ? " and nothing unmanaged was found" : ""}.`,
  );
  if (report.baseline !== null)
    lines.push(
      "",
      `Baseline ${code(report.baseline)}: ${summary.known} of ${summary.findings} finding(s) known, ${summary.findings - summary.known} new` +
        (hasDrift(report) ? "." : ": the check passes."),
    );
  const baselineHead = report.baseline === null ? ["", ""] : [" Baseline |", " --- |"];
  const withDifferences = report.resources.filter((r) => r.differences.length > 0);
  if (withDifferences.length) {
    lines.push(
      "",
      `| Resource | Status | Field | Declared | Live | Bitbucket object |${baselineHead[0]}`,
      `| --- | --- | --- | --- | --- | --- |${baselineHead[1]}`,
    );
    for (const r of withDifferences)
      for (const d of r.differences)
        lines.push(
          `| ${code(`${r.type} ${r.name}`)} | ${r.status} | ${code(d.field)} | ${code(d.declared)} | ${code(d.live)} | ${plain(bitbucketText(r.bitbucket, d.object ?? r.bitbucket.object))} |${baselineCell(report, d)}`,
        );
  }
  if (report.unmanaged?.length) {
    lines.push(
      "",
      "Not managed by the stack:",
      "",
      `| Kind | Object | Repository | Detail | Bitbucket object |${baselineHead[0]}`,
      `| --- | --- | --- | --- | --- |${baselineHead[1]}`,
    );
    for (const o of report.unmanaged) {
      const repository = o.kind === "repository" ? "" : code(`${o.workspace}/${o.repository}`);
      const named = [o.title, o.repositoryUuid && `repository ${o.repositoryUuid}`].filter(Boolean).join(", ");
      lines.push(`| ${o.kind} | ${code(o.id)} | ${repository} | ${plain(o.detail)} | ${plain(named)} |${baselineCell(report, o)}`);
    }
  }
  if (report.ignored.length) {
    lines.push("", "Ignored (the ignore file leaves them unmanaged):", "", "| Kind | Object | Repository | Reason |", "| --- | --- | --- | --- |");
    for (const o of report.ignored) {
      const repository = o.kind === "repository" ? "" : code(`${o.workspace}/${o.repository}`);
      lines.push(`| ${o.kind} | ${code(o.id)} | ${repository} | ${plain(o.ignored?.reason ?? "")} |`);
    }
  }
  if (!report.unmanaged) lines.push("", "_Unmanaged objects were not searched (`--no-unmanaged`)._");
  if (report.requestCost) lines.push("", `Cost: ${plain(describeCost(report.requestCost))}.`);
  lines.push("", `<sub>Checked ${report.checkedAt} by \`pulumi-bitbucket-cloud drift\`.</sub>`, "");
  return lines.join("\n");
}

export function toJson(report: DriftReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}

const mark = (f: Finding) => (f.known ? "~ known:" : "✗");

export function toText(report: DriftReport): string {
  const { summary } = report;
  const lines = [
    `Stack ${report.stack}: ${summary.resources} resources, ${summary.drifted} differ from the ${report.comparedWith}` +
      (report.unmanaged ? `; ${summary.unmanaged} unmanaged object(s).` : "; unmanaged objects not searched."),
  ];
  for (const r of report.resources.filter((x) => x.differences.length > 0)) {
    const where = bitbucketText(r.bitbucket);
    lines.push(`  ${r.differences.every((d) => d.known) ? "~" : "✗"} ${r.type} ${r.name}: ${r.status}${where ? ` (${where})` : ""}`);
    for (const d of r.differences)
      lines.push(`      ${d.known ? "known: " : ""}${d.field}: declared ${d.declared}, live ${d.live}${d.object ? ` (${objectText(d.object)})` : ""}`);
  }
  for (const o of report.unmanaged ?? []) lines.push(`  ${mark(o)} unmanaged ${unmanagedName(o)}: ${o.detail}`);
  for (const o of report.ignored) lines.push(`  - unmanaged ${unmanagedName(o)}: ${ignoredText(o)}`);
  if (report.baseline !== null) lines.push(`Baseline ${report.baseline}: ${summary.known} of ${summary.findings} finding(s) known.`);
  lines.push(hasDrift(report) ? "Drift found." : summary.known > 0 ? "Only known drift." : "No drift.");
  return lines.join("\n") + "\n";
}

/** A check that failed: its reports say so and why, and claim nothing about drift. */
export interface FailedCheck {
  /** Unknown when the check failed before it knew the stack. */
  stack?: string;
  checkedAt: string;
  error: string;
}

export function failedCheck(stack: string | undefined, error: string, checkedAt = new Date()): FailedCheck {
  return { stack, checkedAt: checkedAt.toISOString(), error };
}

export function failedToJUnit(check: FailedCheck): string {
  const builder = junit.newBuilder();
  builder
    .testSuite()
    .name(`drift${check.stack ? `: stack ${check.stack}` : ""}`)
    .testCase()
    .className("drift check")
    .name("the check ran to the end")
    // The first line as the message viewers list, the whole text (often several lines) as the content.
    .error(check.error.split("\n")[0], "check failed", check.error);
  return builder.build();
}

export function failedToMarkdown(check: FailedCheck, title = `Drift check${check.stack ? ` of stack \`${check.stack}\`` : ""}`): string {
  // A fence longer than any run of backticks in the message, so the message cannot end it.
  const fence = "`".repeat(Math.max(3, ...[...check.error.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return [
    `### ${title}`,
    "",
    "**Drift check failed**: nothing is known about drift until it runs to the end.",
    "",
    fence,
    check.error,
    fence,
    "",
    `<sub>Checked ${check.checkedAt} by \`pulumi-bitbucket-cloud drift\`.</sub>`,
    "",
  ].join("\n");
}

export function failedToJson(check: FailedCheck): string {
  const failed = { $schema: SCHEMA_ID, schemaVersion: SCHEMA_VERSION, stack: check.stack, checkedAt: check.checkedAt, failed: true, error: check.error };
  return JSON.stringify(failed, null, 2) + "\n";
}
