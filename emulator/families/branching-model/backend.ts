// Branching models of a repository (repository admins) and of a project (project admins). The rules,
// from the spec's PUT descriptions: only the properties passed change; `use_mainbranch: true` goes with
// no name, `false` with a non-empty one; on a repository a branch named must exist (a project's may
// name any branch); each branch type is named by a known `kind`; an enabled type needs a valid git
// prefix that is not the beginning of another enabled type's prefix (a disabled type may keep an
// invalid one); `default_branch_deletion` is taken as "true"/"false" (or a boolean), other values are
// ignored. A repository inherits its project's model unless its override settings say otherwise.
import { RepoRef, requireProject, requireProjectAdmin, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import type { Db } from "../../db";
import { invalidField } from "../../errors";
import { BRANCH_KINDS, BranchKind, branchNameProblem, overlappingPrefixes, prefixProblem } from "../../../rules/branching-model";
import type { Project } from "../projects/model";
import type { Repository } from "../repositories/model";
import type { Workspace } from "../workspaces/model";
import { BranchingModelSettings, BranchTarget, defaultBranchingModel } from "./model";

type Body = Record<string, unknown>;

/** Where a branching model lives: a repository or a project, created with Bitbucket's defaults. */
type Holder = { branchingModel?: BranchingModelSettings };

const settingsOf = (holder: Holder): BranchingModelSettings => structuredClone(holder.branchingModel ?? defaultBranchingModel());

function asObject(field: string, value: unknown): Body {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidField(field, "must be an object");
  return value as Body;
}

function asBoolean(field: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") throw invalidField(field, "must be a boolean");
  return value as boolean | undefined;
}

/** A development or production setting with the request's properties applied. */
function updatedTarget<T extends BranchTarget>(field: string, current: T, value: unknown, branchExists: (name: string) => boolean): T {
  const body = asObject(field, value);
  const next = { ...current };
  const useMainbranch = asBoolean(`${field}.use_mainbranch`, body.use_mainbranch);
  if (useMainbranch !== undefined) next.use_mainbranch = useMainbranch;
  if ("enabled" in next) (next as { enabled: boolean }).enabled = asBoolean(`${field}.enabled`, body.enabled) ?? (next as { enabled: boolean }).enabled;
  const name = body.name;
  if (name !== undefined && name !== null && typeof name !== "string") throw invalidField(`${field}.name`, "must be a string or null");
  if (next.use_mainbranch) {
    if (typeof name === "string" && name !== "") throw invalidField(`${field}.name`, "must be null when use_mainbranch is true");
    next.name = null;
    return next;
  }
  if (typeof name === "string") next.name = name;
  if (!next.name) throw invalidField(`${field}.name`, "must name a branch when use_mainbranch is false");
  const problem = branchNameProblem(next.name);
  if (problem) throw invalidField(`${field}.name`, problem);
  const enabled = !("enabled" in next) || (next as { enabled: boolean }).enabled;
  if (enabled && typeof name === "string" && !branchExists(name)) throw invalidField(`${field}.name`, `branch ${name} does not exist`);
  return next;
}

/** The settings with a PUT body applied, or a 400 naming the field; nothing is stored on a refusal. */
export function updatedSettings(current: BranchingModelSettings, body: Body, branchExists: (name: string) => boolean): BranchingModelSettings {
  const next = structuredClone(current);
  if (body.development !== undefined) next.development = updatedTarget("development", next.development, body.development, branchExists);
  if (body.production !== undefined) next.production = updatedTarget("production", next.production, body.production, branchExists);
  if (body.branch_types !== undefined) {
    if (!Array.isArray(body.branch_types)) throw invalidField("branch_types", "must be a list");
    const seen = new Set<string>();
    for (const [i, item] of body.branch_types.entries()) {
      const type = asObject(`branch_types[${i}]`, item);
      if (!BRANCH_KINDS.includes(type.kind as BranchKind))
        throw invalidField(`branch_types[${i}].kind`, `unknown kind ${JSON.stringify(type.kind)} (known: ${BRANCH_KINDS.join(", ")})`);
      if (seen.has(type.kind as string)) throw invalidField(`branch_types[${i}].kind`, `${type.kind} is listed twice`);
      seen.add(type.kind as string);
      if (type.prefix !== undefined && type.prefix !== null && typeof type.prefix !== "string")
        throw invalidField(`branch_types[${i}].prefix`, "must be a string");
      const stored = next.branch_types.find((t) => t.kind === type.kind)!;
      if (typeof type.prefix === "string" || type.prefix === null) stored.prefix = type.prefix ?? "";
      stored.enabled = asBoolean(`branch_types[${i}].enabled`, type.enabled) ?? stored.enabled;
    }
  }
  const enabled = next.branch_types.filter((t) => t.enabled);
  for (const type of enabled) {
    const problem = prefixProblem(type.prefix);
    if (problem) throw invalidField("branch_types", `the prefix of the enabled ${type.kind} type ${problem}`);
  }
  const overlap = overlappingPrefixes(enabled);
  if (overlap) throw invalidField("branch_types", `the prefix of the enabled ${overlap[0]} type begins the prefix of the enabled ${overlap[1]} type`);
  const deletion = body.default_branch_deletion;
  if (deletion === true || deletion === "true") next.default_branch_deletion = true;
  if (deletion === false || deletion === "false") next.default_branch_deletion = false;
  return next;
}

export class BranchingModels {
  constructor(private readonly db: Db) {}

  private project(caller: Caller, workspace: string, key: string, admin: boolean): { ws: Workspace; project: Project } {
    return admin ? requireProjectAdmin(this.db, caller, workspace, key) : requireProject(this.db, caller, workspace, key);
  }

  settingsOfRepository(caller: Caller, ref: RepoRef): { repo: Repository; settings: BranchingModelSettings } {
    const { repo } = requireRepository(this.db, caller, ref, "admin");
    return { repo, settings: settingsOf(repo) };
  }

  updateRepository(caller: Caller, ref: RepoRef, body: Body): { repo: Repository; settings: BranchingModelSettings } {
    const { repo } = requireRepository(this.db, caller, ref, "admin");
    repo.branchingModel = updatedSettings(settingsOf(repo), body, (name) => repo.branches.some((b) => b.name === name));
    return { repo, settings: settingsOf(repo) };
  }

  /** The model in force on a repository: its own when it overrides its project's, else the project's. */
  effectiveOfRepository(caller: Caller, ref: RepoRef): { repo: Repository; settings: BranchingModelSettings } {
    const { ws, repo } = requireRepository(this.db, caller, ref, "read");
    const project = ws.projects.find((p) => p.key === repo.projectKey);
    const holder: Holder = repo.overrideSettings.branching_model || !project ? repo : project;
    return { repo, settings: settingsOf(holder) };
  }

  settingsOfProject(caller: Caller, workspace: string, key: string): { ws: Workspace; project: Project; settings: BranchingModelSettings } {
    const found = this.project(caller, workspace, key, true);
    return { ...found, settings: settingsOf(found.project) };
  }

  updateProject(caller: Caller, workspace: string, key: string, body: Body): { ws: Workspace; project: Project; settings: BranchingModelSettings } {
    const found = this.project(caller, workspace, key, true);
    // A project has no branches: any valid name is taken (a repository inheriting it falls back to its main branch).
    found.project.branchingModel = updatedSettings(settingsOf(found.project), body, () => true);
    return { ...found, settings: settingsOf(found.project) };
  }

  ofProject(caller: Caller, workspace: string, key: string): { ws: Workspace; project: Project; settings: BranchingModelSettings } {
    const found = this.project(caller, workspace, key, false);
    return { ...found, settings: settingsOf(found.project) };
  }
}
