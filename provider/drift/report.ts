// The drift report and its four renderings: JUnit XML (one test case per managed resource and per
// unmanaged object, drift as failures), Markdown (a pull-request comment or job summary), JSON and a
// plain-text summary for the terminal.
import junit from "junit-report-builder";
import { FieldDifference, ManagedResource, Status } from "./compare";
import { UnmanagedObject } from "./unmanaged";

export interface ReportedResource {
  urn: string;
  name: string;
  type: string;
  status: Status;
  differences: FieldDifference[];
}

export interface DriftReport {
  stack: string;
  /** What Bitbucket was compared with: the program (a refreshed preview) or the last update (the state). */
  comparedWith: "program" | "last update";
  checkedAt: string;
  resources: ReportedResource[];
  /** Null when the search for unmanaged objects was not run. */
  unmanaged: UnmanagedObject[] | null;
  /** Unmanaged objects an entry of the ignore file names (each with its reason): not drift. */
  ignored: UnmanagedObject[];
  summary: { resources: number; drifted: number; unmanaged: number };
}

export function buildReport(
  stack: string,
  resources: ManagedResource[],
  unmanaged: UnmanagedObject[] | null,
  checkedAt = new Date(),
  comparedWith: DriftReport["comparedWith"] = "program",
): DriftReport {
  const reported = resources.map(({ urn, name, type, status, differences }) => ({ urn, name, type, status, differences }));
  return {
    stack,
    comparedWith,
    checkedAt: checkedAt.toISOString(),
    resources: reported,
    unmanaged: unmanaged && unmanaged.filter((o) => !o.ignored),
    ignored: unmanaged?.filter((o) => o.ignored) ?? [],
    summary: {
      resources: reported.length,
      drifted: reported.filter((r) => r.status !== "in sync").length,
      unmanaged: unmanaged?.filter((o) => !o.ignored).length ?? 0,
    },
  };
}

export function hasDrift(report: DriftReport): boolean {
  return report.summary.drifted > 0 || report.summary.unmanaged > 0;
}

const differenceText = (d: FieldDifference) => `${d.field} (declared ${d.declared}, live ${d.live})`;

function resourceFailure(r: ReportedResource): string {
  if (r.status !== "drifted") return `${r.status} (declared: ${r.differences[0]?.declared}, live: ${r.differences[0]?.live})`;
  return `${r.differences.length} field(s) differ: ${r.differences.map(differenceText).join("; ")}`;
}

const unmanagedName = (o: UnmanagedObject) => (o.kind === "repository" ? `repository ${o.id}` : `${o.kind} ${o.id} on ${o.workspace}/${o.repository}`);
const unmanagedFailure = (o: UnmanagedObject) => `not declared by any resource of the stack: ${o.detail}`;
const ignoredText = (o: UnmanagedObject) => `ignored (${o.ignored?.entry}): ${o.ignored?.reason}`;

export function toJUnit(report: DriftReport): string {
  const builder = junit.newBuilder();
  const managed = builder.testSuite().name(`drift: stack ${report.stack}: managed resources`);
  for (const r of report.resources) {
    const testCase = managed.testCase().className(r.type).name(r.name);
    if (r.status !== "in sync") testCase.failure(resourceFailure(r), "drift");
  }
  if (report.unmanaged) {
    const unmanaged = builder.testSuite().name(`drift: stack ${report.stack}: unmanaged objects`);
    for (const o of report.unmanaged) unmanaged.testCase().className(`unmanaged ${o.kind}`).name(unmanagedName(o)).failure(unmanagedFailure(o), "unmanaged");
    for (const o of report.ignored) unmanaged.testCase().className(`unmanaged ${o.kind}`).name(unmanagedName(o)).skipped().standardOutput(ignoredText(o));
  }
  return builder.build();
}

/** A table cell: pipes and line breaks would break the table; code spans keep values literal. */
const cell = (value: string) => value.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const code = (value: string) => (value.includes("`") ? `\`\` ${cell(value)} \`\`` : `\`${cell(value)}\``);

export function toMarkdown(report: DriftReport, title = `Drift check of stack \`${report.stack}\``): string {
  const { summary } = report;
  const lines = [`### ${title}`, ""];
  lines.push(
    hasDrift(report)
      ? `**Drift found**: ${summary.drifted} of ${summary.resources} resources differ from the ${report.comparedWith}; ${summary.unmanaged} unmanaged object(s).`
      : `**No drift**: all ${summary.resources} resources match the ${report.comparedWith}${report.unmanaged ? " and nothing unmanaged was found" : ""}.`,
  );
  const drifted = report.resources.filter((r) => r.status !== "in sync");
  if (drifted.length) {
    lines.push("", "| Resource | Status | Field | Declared | Live |", "| --- | --- | --- | --- | --- |");
    for (const r of drifted)
      for (const d of r.differences) lines.push(`| ${code(`${r.type} ${r.name}`)} | ${r.status} | ${code(d.field)} | ${code(d.declared)} | ${code(d.live)} |`);
  }
  if (report.unmanaged?.length) {
    lines.push("", "Not managed by the stack:", "", "| Kind | Object | Repository | Detail |", "| --- | --- | --- | --- |");
    for (const o of report.unmanaged) {
      const repository = o.kind === "repository" ? "" : code(`${o.workspace}/${o.repository}`);
      lines.push(`| ${o.kind} | ${code(o.id)} | ${repository} | ${cell(o.detail)} |`);
    }
  }
  if (report.ignored.length) {
    lines.push("", "Ignored (the ignore file leaves them unmanaged):", "", "| Kind | Object | Repository | Reason |", "| --- | --- | --- | --- |");
    for (const o of report.ignored) {
      const repository = o.kind === "repository" ? "" : code(`${o.workspace}/${o.repository}`);
      lines.push(`| ${o.kind} | ${code(o.id)} | ${repository} | ${cell(o.ignored?.reason ?? "")} |`);
    }
  }
  if (!report.unmanaged) lines.push("", "_Unmanaged objects were not searched (`--no-unmanaged`)._");
  lines.push("", `<sub>Checked ${report.checkedAt} by \`pulumi-bitbucket-cloud drift\`.</sub>`, "");
  return lines.join("\n");
}

export function toJson(report: DriftReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}

export function toText(report: DriftReport): string {
  const { summary } = report;
  const lines = [
    `Stack ${report.stack}: ${summary.resources} resources, ${summary.drifted} differ from the ${report.comparedWith}` +
      (report.unmanaged ? `; ${summary.unmanaged} unmanaged object(s).` : "; unmanaged objects not searched."),
  ];
  for (const r of report.resources.filter((x) => x.status !== "in sync")) {
    lines.push(`  ✗ ${r.type} ${r.name}: ${r.status}`);
    for (const d of r.differences) lines.push(`      ${d.field}: declared ${d.declared}, live ${d.live}`);
  }
  for (const o of report.unmanaged ?? []) lines.push(`  ✗ unmanaged ${unmanagedName(o)}: ${o.detail}`);
  for (const o of report.ignored) lines.push(`  - unmanaged ${unmanagedName(o)}: ${ignoredText(o)}`);
  lines.push(hasDrift(report) ? "Drift found." : "No drift.");
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
  return JSON.stringify({ stack: check.stack, checkedAt: check.checkedAt, failed: true, error: check.error }, null, 2) + "\n";
}
