// `drift --code-insights`: the findings as a Bitbucket Code Insights report on the commit being built,
// one annotation per finding at the program line that declared its resource. The report's id is
// stable per stack, and each run deletes the report before writing it again, so a run leaves exactly
// its own findings (no annotation of an earlier run) on the commit.
import { createHash } from "crypto";
import type { AnnotationBody, Api, ReportBody } from "../client/api";
import { ifFound } from "../client";
import { Repository, Workspace } from "../identifiers";
import { driftFindings, Finding, SourceLine } from "./findings";
import { DriftReport, FailedCheck, hasDrift } from "./report";

/** Where the report goes: a commit of a repository (the one holding the program, in CI). */
export interface InsightsTarget {
  workspace: string;
  repository: string;
  commit: string;
}

/** Code Insights' limits: annotations per report, per request; data fields per report. */
export const MAX_ANNOTATIONS = 1000;
export const ANNOTATIONS_PER_REQUEST = 100;
const REPORTER = "pulumi-bitbucket-cloud drift";

/**
 * `--repository WORKSPACE/SLUG` and `--commit SHA`, else Bitbucket Pipelines' BITBUCKET_WORKSPACE,
 * BITBUCKET_REPO_SLUG and BITBUCKET_COMMIT. Throws naming what is missing or malformed.
 */
export function insightsTarget(flags: { repository?: string; commit?: string }, env: NodeJS.ProcessEnv): InsightsTarget {
  const problems: string[] = [];
  let workspace = env.BITBUCKET_WORKSPACE;
  let repository = env.BITBUCKET_REPO_SLUG;
  if (flags.repository !== undefined) {
    const parts = flags.repository.split("/");
    if (parts.length !== 2) problems.push(`--repository ${flags.repository}: give WORKSPACE/SLUG`);
    [workspace, repository] = parts;
  }
  const commit = flags.commit ?? env.BITBUCKET_COMMIT;
  if (!workspace || !repository)
    problems.push("the repository the commit is in: --repository WORKSPACE/SLUG (in Bitbucket Pipelines: BITBUCKET_WORKSPACE and BITBUCKET_REPO_SLUG)");
  else {
    const ws = Workspace.safeParse(workspace);
    const repo = Repository.safeParse(repository);
    if (!ws.success) problems.push(`workspace ${workspace}: ${ws.error.issues[0].message}`);
    else workspace = ws.data;
    if (!repo.success) problems.push(`repository ${repository}: ${repo.error.issues[0].message}`);
    else repository = repo.data;
  }
  if (!commit) problems.push("the commit: --commit SHA (in Bitbucket Pipelines: BITBUCKET_COMMIT)");
  else if (!/^[0-9a-f]{7,40}$/i.test(commit)) problems.push(`--commit ${commit}: must be a commit hash (7 to 40 hexadecimal digits)`);
  if (problems.length) throw new Error(`--code-insights needs ${problems.join("; ")}.`);
  return { workspace: workspace!, repository: repository!, commit: commit!.toLowerCase() };
}

/** One report per stack on a commit: letters, digits and `-` from the stack's name, and a hash of it (names differing only in other characters stay apart). */
export function reportIdFor(stack: string): string {
  const readable = stack
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return `pulumi-drift-${readable}-${createHash("sha256").update(stack).digest("hex").slice(0, 8)}`;
}

/**
 * The report: type SECURITY (what it finds is access, webhooks and repositories changed where no
 * review saw them), FAILED when anything drifted or sits unmanaged.
 */
export function insightsReport(report: DriftReport): ReportBody {
  const { summary } = report;
  const drifted = hasDrift(report);
  return {
    title: `Drift of stack ${report.stack}`,
    details: drifted
      ? `${summary.drifted} of ${summary.resources} resources differ from the ${report.comparedWith}; ${report.unmanaged ? `${summary.unmanaged} unmanaged object(s)` : "unmanaged objects not searched"}.`
      : `All ${summary.resources} resources match the ${report.comparedWith}${report.unmanaged ? "; nothing unmanaged found" : ""}.`,
    report_type: "SECURITY",
    reporter: REPORTER,
    result: drifted ? "FAILED" : "PASSED",
    data: [
      { title: "Resources checked", type: "NUMBER", value: summary.resources },
      { title: "Resources that differ", type: "NUMBER", value: summary.drifted },
      { title: "Unmanaged objects", type: report.unmanaged ? "NUMBER" : "TEXT", value: report.unmanaged ? summary.unmanaged : "not searched" },
      { title: "Compared with", type: "TEXT", value: report.comparedWith },
      { title: "Checked", type: "DATE", value: Date.parse(report.checkedAt) },
    ],
  };
}

/** A check that did not run to the end: FAILED, saying why, with no finding. */
export function failedInsightsReport(check: FailedCheck): ReportBody {
  return {
    title: `Drift${check.stack ? ` of stack ${check.stack}` : ""}`,
    details: `The drift check failed: nothing is known about drift until it runs to the end. ${check.error.split("\n")[0]}`,
    report_type: "SECURITY",
    reporter: REPORTER,
    result: "FAILED",
  };
}

const SEVERITY_TYPE = { HIGH: "BUG", MEDIUM: "BUG", LOW: "CODE_SMELL" } as const;

function annotation(f: Finding, index: number): AnnotationBody {
  return {
    external_id: `drift-${String(index + 1).padStart(4, "0")}`,
    // An object nobody declared (a grant, a hook) is access no review saw.
    annotation_type: f.unmanaged ? "VULNERABILITY" : SEVERITY_TYPE[f.severity],
    result: "FAILED",
    severity: f.severity,
    summary: f.message,
    ...(f.at ? { path: f.at.path, line: f.at.line } : {}),
  };
}

/** One annotation per finding; past the report's limit, the last one says how many more the other reports list. */
export function insightsAnnotations(report: DriftReport, lines: ReadonlyMap<string, SourceLine>): AnnotationBody[] {
  const findings = driftFindings(report, lines);
  if (findings.length <= MAX_ANNOTATIONS) return findings.map(annotation);
  const kept = findings.slice(0, MAX_ANNOTATIONS - 1).map(annotation);
  const more = findings.length - kept.length;
  return [
    ...kept,
    {
      ...annotation(findings[kept.length], kept.length),
      summary: `… and ${more} more finding(s): a report holds at most ${MAX_ANNOTATIONS} annotations; the JUnit, Markdown and JSON reports list them all.`,
      path: undefined,
      line: undefined,
    },
  ];
}

/** Publishing failed: the check ran, but its findings did not reach Bitbucket. */
export class InsightsNotPublished extends Error {}

/** Deletes the stack's report on the commit (if any), writes it again, then its annotations in batches. */
export async function publishInsights(
  api: Api,
  target: InsightsTarget,
  reportId: string,
  body: ReportBody,
  annotations: AnnotationBody[],
  progress: (message: string) => void,
): Promise<void> {
  const { workspace, repository, commit } = target;
  try {
    await ifFound(api.deleteReport(workspace, repository, commit, reportId));
    await api.putReport(workspace, repository, commit, reportId, body);
    for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST)
      await api.putAnnotations(workspace, repository, commit, reportId, annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  } catch (err) {
    throw new InsightsNotPublished(
      `could not publish the Code Insights report ${reportId} on ${workspace}/${repository} commit ${commit}: ${(err as Error).message}`,
    );
  }
  progress(`published Code Insights report ${reportId} (${body.result}, ${annotations.length} annotation(s)) on ${workspace}/${repository} commit ${commit}`);
}
