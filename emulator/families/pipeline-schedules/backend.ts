// Pipelines schedules of a repository (repository admins). The rules: the target is a branch
// (`ref_type: branch`, a `ref_name`) and a selector of type branches, custom or default; the cron pattern
// follows rules/cron.ts (7 fields, at most hourly); a PUT changes `enabled` only (the spec's PUT body
// has nothing else); an unknown schedule is 404.
import { RepoRef, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import { Db, timestamp } from "../../db";
import { invalidField, notFound } from "../../errors";
import { newUuid, sameUuid } from "../../ids";
import { cronRefusal, normalCron } from "../../../rules/cron";
import type { Repository } from "../repositories/model";
import type { PipelineSchedule, SelectorType } from "./model";

type Body = Record<string, unknown>;

const SELECTOR_TYPES: readonly SelectorType[] = ["branches", "custom", "default"];

function checkTarget(value: unknown): Pick<PipelineSchedule, "refName" | "selector"> {
  if (typeof value !== "object" || value === null) throw invalidField("target", "must be an object with ref_type, ref_name and selector");
  const target = value as Body;
  if (target.ref_type !== "branch") throw invalidField("target.ref_type", "must be branch");
  if (typeof target.ref_name !== "string" || target.ref_name === "") throw invalidField("target.ref_name", "must be a branch name");
  const selector = (target.selector ?? {}) as Body;
  if (typeof selector.type !== "string" || !(SELECTOR_TYPES as readonly string[]).includes(selector.type))
    throw invalidField("target.selector.type", `must be one of ${SELECTOR_TYPES.join(", ")}`);
  if (selector.type !== "default" && (typeof selector.pattern !== "string" || selector.pattern === ""))
    throw invalidField("target.selector.pattern", "must name the pipeline (the branch pattern or the custom pipeline)");
  const pattern = typeof selector.pattern === "string" && selector.type !== "default" ? selector.pattern : undefined;
  return { refName: target.ref_name, selector: { type: selector.type as SelectorType, ...(pattern ? { pattern } : {}) } };
}

function checkCron(value: unknown): string {
  if (typeof value !== "string") throw invalidField("cron_pattern", "must be a string");
  const refused = cronRefusal(value);
  if (refused) throw invalidField("cron_pattern", refused);
  return normalCron(value);
}

function checkEnabled(value: unknown): boolean {
  if (typeof value !== "boolean") throw invalidField("enabled", "must be a boolean");
  return value;
}

export class PipelineSchedules {
  constructor(private readonly db: Db) {}

  private repository(caller: Caller, ref: RepoRef): Repository {
    return requireRepository(this.db, caller, ref, "admin").repo;
  }

  private find(repo: Repository, uuid: string): PipelineSchedule {
    const found = repo.pipelineSchedules?.find((s) => sameUuid(uuid, s.uuid));
    if (!found) throw notFound(`Schedule ${uuid} not found`);
    return found;
  }

  list(caller: Caller, ref: RepoRef): { repo: Repository; schedules: PipelineSchedule[] } {
    const repo = this.repository(caller, ref);
    return { repo, schedules: repo.pipelineSchedules ?? [] };
  }

  get(caller: Caller, ref: RepoRef, uuid: string): { repo: Repository; schedule: PipelineSchedule } {
    const repo = this.repository(caller, ref);
    return { repo, schedule: this.find(repo, uuid) };
  }

  create(caller: Caller, ref: RepoRef, body: Body): { repo: Repository; schedule: PipelineSchedule } {
    const repo = this.repository(caller, ref);
    const now = timestamp(this.db.now());
    const schedule: PipelineSchedule = {
      uuid: newUuid(),
      ...checkTarget(body.target),
      cron_pattern: checkCron(body.cron_pattern),
      enabled: body.enabled === undefined ? true : checkEnabled(body.enabled),
      created_on: now,
      updated_on: now,
    };
    (repo.pipelineSchedules ??= []).push(schedule);
    return { repo, schedule };
  }

  update(caller: Caller, ref: RepoRef, uuid: string, body: Body): { repo: Repository; schedule: PipelineSchedule } {
    const { repo, schedule } = this.get(caller, ref, uuid);
    if ("enabled" in body) {
      schedule.enabled = checkEnabled(body.enabled);
      schedule.updated_on = timestamp(this.db.now());
    }
    return { repo, schedule };
  }

  delete(caller: Caller, ref: RepoRef, uuid: string): void {
    const { repo, schedule } = this.get(caller, ref, uuid);
    repo.pipelineSchedules = repo.pipelineSchedules!.filter((s) => s !== schedule);
  }
}
