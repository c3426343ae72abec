// Code Insights: a report on a commit and its annotations. The bulk POST of annotations is keyed by
// each annotation's external id (Bitbucket creates or updates by it), so a repeat does no harm.
import { z } from "zod";
import { EndpointContext, REPOSITORY } from "./context";

export const ReportObject = z.looseObject({
  uuid: z.string(),
  external_id: z.string().nullish(),
  title: z.string().nullish(),
  result: z.string().nullish(),
});
export type ReportObject = z.infer<typeof ReportObject>;

export const AnnotationObject = z.looseObject({
  uuid: z.string(),
  external_id: z.string().nullish(),
  path: z.string().nullish(),
  line: z.number().nullish(),
  summary: z.string().nullish(),
});
export type AnnotationObject = z.infer<typeof AnnotationObject>;

export interface ReportDataField {
  title: string;
  type: "BOOLEAN" | "DATE" | "DURATION" | "LINK" | "NUMBER" | "PERCENTAGE" | "TEXT";
  value: unknown;
}

export interface ReportBody {
  title: string;
  details?: string;
  report_type: "SECURITY" | "COVERAGE" | "TEST" | "BUG";
  reporter?: string;
  result: "PASSED" | "FAILED" | "PENDING";
  /** At most 10. */
  data?: ReportDataField[];
}

export interface AnnotationBody {
  external_id: string;
  annotation_type: "VULNERABILITY" | "CODE_SMELL" | "BUG";
  summary: string;
  details?: string;
  result?: "PASSED" | "FAILED" | "SKIPPED" | "IGNORED";
  severity?: "CRITICAL" | "HIGH" | "MEDIUM" | "LOW";
  /** Relative to the repository's root; without it the annotation shows in the report's overview. */
  path?: string;
  /** From 1. */
  line?: number;
}

const REPORT = `${REPOSITORY}/commit/{commit}/reports/{reportId}`;
const ANNOTATIONS = `${REPORT}/annotations`;

export function reportEndpoints(c: EndpointContext) {
  const report = (workspace: string, repoSlug: string, commit: string, reportId: string) => ({ workspace, repo_slug: repoSlug, commit, reportId });
  return {
    putReport: (workspace: string, repoSlug: string, commit: string, reportId: string, body: ReportBody): Promise<ReportObject> =>
      c.request(ReportObject, { method: "PUT", route: REPORT, params: report(workspace, repoSlug, commit, reportId), body }),
    getReport: (workspace: string, repoSlug: string, commit: string, reportId: string): Promise<ReportObject> =>
      c.get(ReportObject, REPORT, report(workspace, repoSlug, commit, reportId)),
    deleteReport: (workspace: string, repoSlug: string, commit: string, reportId: string): Promise<void> =>
      c.delete(REPORT, report(workspace, repoSlug, commit, reportId)),
    /** Up to 100 annotations per call; a report holds at most 1000. */
    putAnnotations: (workspace: string, repoSlug: string, commit: string, reportId: string, annotations: AnnotationBody[]): Promise<AnnotationObject[]> =>
      c.request(z.array(AnnotationObject), {
        method: "POST",
        route: ANNOTATIONS,
        params: report(workspace, repoSlug, commit, reportId),
        body: annotations,
        idempotent: true,
      }),
    listAnnotations: (workspace: string, repoSlug: string, commit: string, reportId: string): Promise<AnnotationObject[]> =>
      c.list(AnnotationObject, ANNOTATIONS, report(workspace, repoSlug, commit, reportId)),
  };
}
