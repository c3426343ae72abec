// Code Insights: reports on a commit and their annotations. The rules: the commit must be one of the
// repository's (a hash or a prefix of at least 7 characters); reading needs read access, writing
// write access; a report or an annotation is addressed by its `{uuid}` or by its `external_id` (PUT
// to an id that matches neither creates it with that external id); enums come from the spec; a report
// holds at most 10 data fields and 1000 annotations, and one bulk POST carries 1 to 100 annotations,
// each with its `external_id` (an annotation with a known one is updated in place).
import { RepoRef, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import { Db, timestamp } from "../../db";
import { badRequest, invalidField, notFound } from "../../errors";
import { newUuid, sameUuid } from "../../ids";
import type { Permission } from "../permissions/model";
import type { Repository } from "../repositories/model";
import { loadSpec } from "../../spec";
import type { Annotation, Report, ReportData } from "./model";

type Body = Record<string, unknown>;

/** Annotations with the report and repository they belong to (what the routes render). */
export interface Annotated {
  repo: Repository;
  report: Report;
  annotations: Annotation[];
}

export const MAX_DATA_FIELDS = 10;
export const MAX_ANNOTATIONS_PER_REPORT = 1000;
export const MAX_ANNOTATIONS_PER_REQUEST = 100;

/** The properties the spec declares for a definition (its own part of `allOf`). */
function properties(definition: string): Record<string, { enum?: string[] }> {
  const def = loadSpec().definitions[definition];
  return (def.allOf ?? [def]).find((p: { properties?: unknown }) => p.properties).properties;
}

const REPORT = properties("report");
const ANNOTATION = properties("report_annotation");
const DATA = properties("report_data");

function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidField(field, "must be a string");
  return value;
}

function requiredString(body: Body, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value === "") throw invalidField(field, "is required");
  return value;
}

function optionalEnum(body: Body, field: string, allowed: readonly string[] | undefined): string | undefined {
  const value = optionalString(body, field);
  if (value !== undefined && !(allowed ?? []).includes(value)) throw invalidField(field, `must be one of ${(allowed ?? []).join(", ")}`);
  return value;
}

function optionalUrl(body: Body, field: string): string | undefined {
  const value = optionalString(body, field);
  if (value === undefined) return undefined;
  try {
    new URL(value);
  } catch {
    throw invalidField(field, `${value} is not a valid URL`);
  }
  return value;
}

function checkData(value: unknown): ReportData[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidField("data", "must be a list");
  if (value.length > MAX_DATA_FIELDS) throw invalidField("data", `at most ${MAX_DATA_FIELDS} data fields`);
  return value.map((item) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) throw invalidField("data", "each data field must be an object");
    const field = item as Body;
    return { title: optionalString(field, "title"), type: optionalEnum(field, "type", DATA.type.enum), value: field.value };
  });
}

function checkLine(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw invalidField("line", "must be an integer of at least 1");
  return value;
}

/** `{uuid}` (braces optional) or an external id. */
function matches(id: string, item: { uuid: string; external_id: string }): boolean {
  return sameUuid(id, item.uuid) || item.external_id === id;
}

export class Reports {
  constructor(private readonly db: Db) {}

  /** The repository and the full hash of the addressed commit, after the one lookup and the permission check. */
  private commit(caller: Caller, ref: RepoRef, commit: string, needed: Permission): { repo: Repository; hash: string } {
    const { repo } = requireRepository(this.db, caller, ref, needed);
    const prefix = commit.toLowerCase();
    const found = /^[0-9a-f]{7,40}$/.test(prefix) ? repo.commits.find((c) => c.hash.startsWith(prefix)) : undefined;
    if (!found) throw notFound(`Commit ${commit} not found`);
    return { repo, hash: found.hash };
  }

  private find(caller: Caller, ref: RepoRef, commit: string, reportId: string, needed: Permission): { repo: Repository; report: Report } {
    const { repo, hash } = this.commit(caller, ref, commit, needed);
    const report = (repo.reports ?? []).find((r) => r.commit === hash && matches(reportId, r));
    if (!report) throw notFound(`Report ${reportId} not found`);
    return { repo, report };
  }

  list(caller: Caller, ref: RepoRef, commit: string): { repo: Repository; reports: Report[] } {
    const { repo, hash } = this.commit(caller, ref, commit, "read");
    return { repo, reports: (repo.reports ?? []).filter((r) => r.commit === hash) };
  }

  get(caller: Caller, ref: RepoRef, commit: string, reportId: string): { repo: Repository; report: Report } {
    return this.find(caller, ref, commit, reportId, "read");
  }

  /** Creates the report, or replaces the fields of the one with this id (its annotations stay). */
  put(caller: Caller, ref: RepoRef, commit: string, reportId: string, body: Body): { repo: Repository; report: Report } {
    const { repo, hash } = this.commit(caller, ref, commit, "write");
    const fields = {
      title: requiredString(body, "title"),
      details: optionalString(body, "details"),
      reporter: optionalString(body, "reporter"),
      link: optionalUrl(body, "link"),
      logo_url: optionalUrl(body, "logo_url"),
      remote_link_enabled: typeof body.remote_link_enabled === "boolean" ? body.remote_link_enabled : undefined,
      report_type: optionalEnum(body, "report_type", REPORT.report_type.enum),
      result: optionalEnum(body, "result", REPORT.result.enum),
      data: checkData(body.data),
      updated_on: timestamp(this.db.now()),
    };
    const reports = (repo.reports ??= []);
    const existing = reports.find((r) => r.commit === hash && matches(reportId, r));
    if (existing) return { repo, report: Object.assign(existing, fields) };
    const external = /^\{?[0-9a-f-]{36}\}?$/i.test(reportId) ? (optionalString(body, "external_id") ?? "") : reportId;
    const report: Report = { uuid: newUuid(), commit: hash, external_id: external, created_on: fields.updated_on, annotations: [], ...fields };
    reports.push(report);
    return { repo, report };
  }

  delete(caller: Caller, ref: RepoRef, commit: string, reportId: string): void {
    const { repo, report } = this.find(caller, ref, commit, reportId, "write");
    repo.reports = (repo.reports ?? []).filter((r) => r !== report);
  }

  annotations(caller: Caller, ref: RepoRef, commit: string, reportId: string): { repo: Repository; report: Report } {
    return this.find(caller, ref, commit, reportId, "read");
  }

  annotation(caller: Caller, ref: RepoRef, commit: string, reportId: string, annotationId: string): Annotated {
    const { repo, report } = this.find(caller, ref, commit, reportId, "read");
    const found = report.annotations.find((a) => matches(annotationId, a));
    if (!found) throw notFound(`Annotation ${annotationId} not found`);
    return { repo, report, annotations: [found] };
  }

  /** Creates or updates each annotation by its external id; nothing changes when one of them is refused. */
  bulkPut(caller: Caller, ref: RepoRef, commit: string, reportId: string, body: unknown): Annotated {
    const { repo, report } = this.find(caller, ref, commit, reportId, "write");
    if (!Array.isArray(body) || body.length === 0) throw badRequest("The request body must be a non-empty list of annotations");
    if (body.length > MAX_ANNOTATIONS_PER_REQUEST) throw badRequest(`At most ${MAX_ANNOTATIONS_PER_REQUEST} annotations can be sent in one request`);
    const items = body.map((item) => {
      if (typeof item !== "object" || item === null || Array.isArray(item)) throw badRequest("Each annotation must be an object");
      return item as Body;
    });
    const ids = items.map((item) => requiredString(item, "external_id"));
    if (new Set(ids).size !== ids.length) throw invalidField("external_id", "must be unique within the request");
    return {
      repo,
      report,
      annotations: this.write(
        report,
        items.map((item, i) => ({ id: ids[i], body: item })),
      ),
    };
  }

  putAnnotation(caller: Caller, ref: RepoRef, commit: string, reportId: string, annotationId: string, body: Body): Annotated {
    const { repo, report } = this.find(caller, ref, commit, reportId, "write");
    return { repo, report, annotations: this.write(report, [{ id: annotationId, body }]) };
  }

  deleteAnnotation(caller: Caller, ref: RepoRef, commit: string, reportId: string, annotationId: string): void {
    const { report } = this.find(caller, ref, commit, reportId, "write");
    const found = report.annotations.find((a) => matches(annotationId, a));
    if (!found) throw notFound(`Annotation ${annotationId} not found`);
    report.annotations = report.annotations.filter((a) => a !== found);
  }

  /** Checks every annotation first, then the report's limit, then writes them all. */
  private write(report: Report, items: { id: string; body: Body }[]): Annotation[] {
    const now = timestamp(this.db.now());
    const checked = items.map(({ id, body }) => ({
      id,
      fields: {
        annotation_type: optionalEnum(body, "annotation_type", ANNOTATION.annotation_type.enum),
        path: optionalString(body, "path"),
        line: checkLine(body.line),
        summary: requiredString(body, "summary"),
        details: optionalString(body, "details"),
        result: optionalEnum(body, "result", ANNOTATION.result.enum),
        severity: optionalEnum(body, "severity", ANNOTATION.severity.enum),
        link: optionalUrl(body, "link"),
        updated_on: now,
      },
    }));
    const added = checked.filter(({ id }) => !report.annotations.some((a) => matches(id, a))).length;
    if (report.annotations.length + added > MAX_ANNOTATIONS_PER_REPORT)
      throw badRequest(`A report can hold at most ${MAX_ANNOTATIONS_PER_REPORT} annotations; it holds ${report.annotations.length}`);
    return checked.map(({ id, fields }) => {
      const existing = report.annotations.find((a) => matches(id, a));
      if (existing) return Object.assign(existing, fields);
      const external = /^\{?[0-9a-f-]{36}\}?$/i.test(id) ? "" : id;
      const annotation: Annotation = { uuid: newUuid(), external_id: external, created_on: now, ...fields };
      report.annotations.push(annotation);
      return annotation;
    });
  }
}
