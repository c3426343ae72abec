// Code Insights reports and annotations as the API renders them (the spec's `report` and
// `report_annotation`); fields never set are left out.
import { workspaceOf } from "../../access";
import { api, link, View } from "../../view";
import type { Repository } from "../repositories/model";
import { repoPath } from "../repositories/render";
import type { Annotation, Report } from "./model";

const defined = (fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));

export function reportPath(view: View, repo: Repository, report: Report): string {
  return `${repoPath(workspaceOf(view.state, repo), repo)}/commit/${report.commit}/reports/${encodeURIComponent(report.uuid)}`;
}

export function renderReport(view: View, repo: Repository, r: Report): Record<string, unknown> {
  return defined({
    type: "report",
    uuid: r.uuid,
    commit_hash: r.commit,
    external_id: r.external_id || undefined,
    title: r.title,
    details: r.details,
    reporter: r.reporter,
    link: r.link,
    logo_url: r.logo_url,
    remote_link_enabled: r.remote_link_enabled,
    report_type: r.report_type,
    result: r.result,
    data: r.data.map((d) => defined({ ...d })),
    created_on: r.created_on,
    updated_on: r.updated_on,
    links: { self: link(api(view, reportPath(view, repo, r))) },
  });
}

export function renderAnnotation(view: View, repo: Repository, report: Report, a: Annotation): Record<string, unknown> {
  return defined({
    type: "report_annotation",
    uuid: a.uuid,
    external_id: a.external_id || undefined,
    annotation_type: a.annotation_type,
    path: a.path,
    line: a.line,
    summary: a.summary,
    details: a.details,
    result: a.result,
    severity: a.severity,
    link: a.link,
    created_on: a.created_on,
    updated_on: a.updated_on,
    links: { self: link(api(view, `${reportPath(view, repo, report)}/annotations/${encodeURIComponent(a.uuid)}`)) },
  });
}
