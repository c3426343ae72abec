// /repositories/{workspace}/{repo_slug}/commit/{commit}/reports[/{reportId}[/annotations[/{annotationId}]]].
import { bodyObject, Ctx, noContent, ok, paginate } from "../../http";
import { repoRef, Route } from "../../route";
import type { Annotated, Reports } from "./backend";
import { renderAnnotation, renderReport } from "./render";

const REPORTS = "/repositories/{workspace}/{repo_slug}/commit/{commit}/reports";
const REPORT = `${REPORTS}/{reportId}`;
const ANNOTATIONS = `${REPORT}/annotations`;
const ANNOTATION = `${ANNOTATIONS}/{annotationId}`;

const at = (ctx: Ctx) => [ctx.caller, repoRef(ctx), ctx.params.commit, ctx.params.reportId] as const;
const annotations = (ctx: Ctx, { repo, report, annotations }: Annotated) => annotations.map((a) => renderAnnotation(ctx, repo, report, a));

export const reportRoutes: Route<Reports>[] = [
  {
    method: "GET",
    template: REPORTS,
    handler: (ctx, reports) => {
      const { repo, reports: listed } = reports.list(ctx.caller, repoRef(ctx), ctx.params.commit);
      return paginate(
        ctx,
        listed.map((r) => renderReport(ctx, repo, r)),
        { query: false },
      );
    },
  },
  {
    method: "GET",
    template: REPORT,
    handler: (ctx, reports) => {
      const { repo, report } = reports.get(...at(ctx));
      return ok(renderReport(ctx, repo, report));
    },
  },
  {
    method: "PUT",
    template: REPORT,
    handler: (ctx, reports) => {
      const { repo, report } = reports.put(...at(ctx), bodyObject(ctx));
      return ok(renderReport(ctx, repo, report));
    },
  },
  {
    method: "DELETE",
    template: REPORT,
    handler: (ctx, reports) => {
      reports.delete(...at(ctx));
      return noContent();
    },
  },
  {
    method: "GET",
    template: ANNOTATIONS,
    handler: (ctx, reports) => {
      const { repo, report } = reports.annotations(...at(ctx));
      return paginate(
        ctx,
        report.annotations.map((a) => renderAnnotation(ctx, repo, report, a)),
        { query: false },
      );
    },
  },
  {
    method: "POST",
    template: ANNOTATIONS,
    // The body is a JSON list, not an object.
    handler: (ctx, reports) => ok(annotations(ctx, reports.bulkPut(...at(ctx), ctx.body))),
  },
  {
    method: "GET",
    template: ANNOTATION,
    handler: (ctx, reports) => ok(annotations(ctx, reports.annotation(...at(ctx), ctx.params.annotationId))[0]),
  },
  {
    method: "PUT",
    template: ANNOTATION,
    handler: (ctx, reports) => ok(annotations(ctx, reports.putAnnotation(...at(ctx), ctx.params.annotationId, bodyObject(ctx)))[0]),
  },
  {
    method: "DELETE",
    template: ANNOTATION,
    handler: (ctx, reports) => {
      reports.deleteAnnotation(...at(ctx), ctx.params.annotationId);
      return noContent();
    },
  },
];
