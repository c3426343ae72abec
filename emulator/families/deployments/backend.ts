// Deployment environments of a repository and their variables. The rules: a name (unique in the
// repository, whatever its case: 409 otherwise) and a type among Test, Staging, Production; a rank,
// a whole number; the admin-only restriction a boolean. An environment's type cannot change. Reading
// needs read access; every change (and the variables, also read) needs admin rights.
import { RepoRef, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import type { Db } from "../../db";
import { ApiError, invalidField, notFound } from "../../errors";
import { newUuid } from "../../ids";
import type { Repository } from "../repositories/model";
import type { PipelineVariable } from "../variables/model";
import { addVariable, removeVariable, updateVariable } from "../variables/rules";
import { Environment, ENVIRONMENT_TYPES, EnvironmentType } from "./model";

type Body = Record<string, unknown>;

function checkName(value: unknown): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > 255)
    throw invalidField("name", "must be a non-empty string of at most 255 characters");
  return value;
}

function checkType(value: unknown): EnvironmentType {
  const name = value && typeof value === "object" ? (value as Body).name : undefined;
  if (!ENVIRONMENT_TYPES.includes(name as EnvironmentType)) throw invalidField("environment_type", `name must be one of ${ENVIRONMENT_TYPES.join(", ")}`);
  return name as EnvironmentType;
}

function checkRank(value: unknown, current: number): number {
  if (value === undefined || value === null) return current;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw invalidField("rank", "must be a whole number, 0 or more");
  return value;
}

function checkAdminOnly(value: unknown, current: boolean): boolean {
  if (value === undefined || value === null) return current;
  const adminOnly = typeof value === "object" ? (value as Body).admin_only : undefined;
  if (adminOnly === undefined) return current;
  if (typeof adminOnly !== "boolean") throw invalidField("restrictions.admin_only", "must be a boolean");
  return adminOnly;
}

export class Deployments {
  constructor(private readonly db: Db) {}

  private repository(caller: Caller, ref: RepoRef, needed: "read" | "admin"): Repository {
    return requireRepository(this.db, caller, ref, needed).repo;
  }

  private find(repo: Repository, uuid: string): Environment {
    const found = (repo.environments ?? []).find((e) => e.uuid.toLowerCase() === uuid.toLowerCase());
    if (!found) throw notFound(`Environment ${uuid} not found`);
    return found;
  }

  private checkNameFree(repo: Repository, name: string, except?: Environment): void {
    if ((repo.environments ?? []).some((e) => e !== except && e.name.toLowerCase() === name.toLowerCase()))
      throw new ApiError(409, `An environment with the name ${name} already exists.`);
  }

  list(caller: Caller, ref: RepoRef): { repo: Repository; environments: Environment[] } {
    const repo = this.repository(caller, ref, "read");
    return { repo, environments: repo.environments ?? [] };
  }

  get(caller: Caller, ref: RepoRef, uuid: string): { repo: Repository; environment: Environment } {
    const repo = this.repository(caller, ref, "read");
    return { repo, environment: this.find(repo, uuid) };
  }

  create(caller: Caller, ref: RepoRef, body: Body): { repo: Repository; environment: Environment } {
    const repo = this.repository(caller, ref, "admin");
    const name = checkName(body.name);
    const environmentType = checkType(body.environment_type);
    const ofType = (repo.environments ?? []).filter((e) => e.environmentType === environmentType);
    const rank = checkRank(body.rank, ofType.length);
    const adminOnly = checkAdminOnly(body.restrictions, false);
    this.checkNameFree(repo, name);
    const environment: Environment = { uuid: newUuid(), name, environmentType, rank, adminOnly };
    repo.environments = [...(repo.environments ?? []), environment];
    return { repo, environment };
  }

  /** `POST …/changes`: the name, the rank and the admin-only restriction; the type cannot change. */
  change(caller: Caller, ref: RepoRef, uuid: string, body: Body): void {
    const repo = this.repository(caller, ref, "admin");
    const environment = this.find(repo, uuid);
    const name = "name" in body ? checkName(body.name) : environment.name;
    if ("environment_type" in body && checkType(body.environment_type) !== environment.environmentType)
      throw invalidField("environment_type", "an environment's type cannot change");
    const rank = checkRank(body.rank, environment.rank);
    const adminOnly = checkAdminOnly(body.restrictions, environment.adminOnly);
    this.checkNameFree(repo, name, environment);
    Object.assign(environment, { name, rank, adminOnly });
  }

  delete(caller: Caller, ref: RepoRef, uuid: string): void {
    const repo = this.repository(caller, ref, "admin");
    const gone = this.find(repo, uuid);
    repo.environments = (repo.environments ?? []).filter((e) => e !== gone);
  }

  private environment(caller: Caller, ref: RepoRef, uuid: string): Environment {
    return this.find(this.repository(caller, ref, "admin"), uuid);
  }

  listVariables(caller: Caller, ref: RepoRef, environmentUuid: string): PipelineVariable[] {
    return this.environment(caller, ref, environmentUuid).pipelineVariables ?? [];
  }

  addVariable(caller: Caller, ref: RepoRef, environmentUuid: string, body: Body): PipelineVariable {
    return addVariable(this.environment(caller, ref, environmentUuid), body);
  }

  updateVariable(caller: Caller, ref: RepoRef, environmentUuid: string, uuid: string, body: Body): PipelineVariable {
    return updateVariable(this.environment(caller, ref, environmentUuid), uuid, body);
  }

  removeVariable(caller: Caller, ref: RepoRef, environmentUuid: string, uuid: string): void {
    removeVariable(this.environment(caller, ref, environmentUuid), uuid);
  }
}
