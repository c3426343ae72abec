// Branch restrictions of a repository. The rules (the spec's POST text): admin only; `kind` from the
// spec's enum; a branch is matched by `glob` with a `pattern` or by `branching_model` with a
// `branch_type`, never both; `value` (an integer) only, and always, for the kinds whose semantics the spec
// gives it; exempted `users` and `groups` only on `push` and `restrict_merges`, which require both lists
// at creation (empty lists deny everybody); users must be members of the workspace, groups must exist in
// it; kind + pattern (glob) or kind + branch type (branching model) is unique in a repository (409).
import { findUser, RepoRef, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import type { Db } from "../../db";
import { ApiError, invalidField, notFound } from "../../errors";
import { loadSpec } from "../../spec";
import type { Repository } from "../repositories/model";
import type { Workspace } from "../workspaces/model";
import type { BranchMatchKind, BranchRestriction } from "./model";

type Body = Record<string, unknown>;

/** The kinds whose `value` the spec describes (a number of approvals, of builds, of commits behind). */
export const VALUE_KINDS = [
  "require_approvals_to_merge",
  "require_default_reviewer_approvals_to_merge",
  "require_passing_builds_to_merge",
  "require_commits_behind",
];
/** The kinds users and groups can be exempted from. */
export const EXEMPTION_KINDS = ["push", "restrict_merges"];

function restrictionEnums(): { kinds: string[]; matchKinds: string[]; branchTypes: string[] } {
  const own = loadSpec().definitions.branchrestriction.allOf.find((p: { properties?: { kind?: unknown } }) => p.properties?.kind).properties;
  return { kinds: own.kind.enum, matchKinds: own.branch_match_kind.enum, branchTypes: own.branch_type.enum };
}

const sameMatch = (a: BranchRestriction, b: BranchRestriction) =>
  a.kind === b.kind &&
  a.branch_match_kind === b.branch_match_kind &&
  (a.branch_match_kind === "glob" ? a.pattern === b.pattern : a.branch_type === b.branch_type);

function checkOne(allowed: readonly string[], field: string, value: unknown): string {
  if (typeof value !== "string" || !allowed.includes(value)) throw invalidField(field, `must be one of ${allowed.join(", ")}`);
  return value;
}

function checkList(field: string, value: unknown): Body[] {
  if (!Array.isArray(value) || value.some((v) => !v || typeof v !== "object")) throw invalidField(field, "must be a list of objects");
  return value as Body[];
}

export class BranchRestrictions {
  private readonly enums = restrictionEnums();

  constructor(private readonly db: Db) {}

  private find(caller: Caller, ref: RepoRef, id: string): { ws: Workspace; repo: Repository; restriction: BranchRestriction } {
    const { ws, repo } = requireRepository(this.db, caller, ref, "admin");
    const restriction = /^\d+$/.test(id) ? (repo.branchRestrictions ?? []).find((r) => r.id === Number(id)) : undefined;
    if (!restriction) throw notFound(`Branch restriction ${id} not found`);
    return { ws, repo, restriction };
  }

  /** Restrictions are numbered across the whole service. */
  private nextId(): number {
    const ids = this.db.state.repositories.flatMap((r) => (r.branchRestrictions ?? []).map((b) => b.id));
    return Math.max(0, ...ids) + 1;
  }

  private users(ws: Workspace, value: unknown): string[] {
    return checkList("users", value).map((account) => {
      const id = typeof account.uuid === "string" ? account.uuid : typeof account.account_id === "string" ? account.account_id : undefined;
      if (id === undefined) throw invalidField("users", "each user needs a uuid or an account_id");
      const user = findUser(this.db.state, id);
      if (!user || !(ws.memberUuids.includes(user.uuid) || ws.ownerUuid === user.uuid))
        throw invalidField("users", `${id} is not a member of workspace ${ws.slug}`);
      return user.uuid;
    });
  }

  private groups(ws: Workspace, value: unknown): string[] {
    return checkList("groups", value).map((group) => {
      const slug = typeof group.slug === "string" ? group.slug : undefined;
      if (slug === undefined || !ws.groups.some((g) => g.slug === slug)) throw invalidField("groups", `${String(slug)} is not a group of workspace ${ws.slug}`);
      return slug;
    });
  }

  /** `base` with what `body` sets, checked as a whole. `creating`: the lists a kind needs must be given. */
  private apply(ws: Workspace, repo: Repository, base: BranchRestriction, body: Body, creating: boolean): BranchRestriction {
    const next = { ...base };
    if ("kind" in body) next.kind = checkOne(this.enums.kinds, "kind", body.kind);
    if ("branch_match_kind" in body) next.branch_match_kind = checkOne(this.enums.matchKinds, "branch_match_kind", body.branch_match_kind) as BranchMatchKind;
    if ("pattern" in body) {
      if (body.pattern !== null && typeof body.pattern !== "string") throw invalidField("pattern", "must be a string");
      next.pattern = body.pattern ?? "";
    }
    if ("branch_type" in body) next.branch_type = body.branch_type === null ? null : checkOne(this.enums.branchTypes, "branch_type", body.branch_type);
    if (next.branch_match_kind === "glob") {
      if (next.pattern === "") throw invalidField("pattern", "is required when branch_match_kind is glob");
      if (next.branch_type !== null) throw invalidField("branch_type", "is only allowed when branch_match_kind is branching_model (glob matches by pattern)");
    } else {
      if (next.branch_type === null) throw invalidField("branch_type", "is required when branch_match_kind is branching_model");
      if (next.pattern !== "") throw invalidField("pattern", "is only allowed when branch_match_kind is glob (branching_model matches by branch_type)");
    }
    if ("value" in body) {
      if (body.value !== null && (!Number.isInteger(body.value) || (body.value as number) < 0)) throw invalidField("value", "must be a non-negative integer");
      next.value = body.value as number | null;
    }
    if (VALUE_KINDS.includes(next.kind) && next.value === null) throw invalidField("value", `is required for ${next.kind}`);
    if (!VALUE_KINDS.includes(next.kind) && next.value !== null) throw invalidField("value", `${next.kind} takes no value`);
    const exempting = EXEMPTION_KINDS.includes(next.kind);
    for (const field of ["users", "groups"] as const) {
      if (exempting && creating && !(field in body)) throw invalidField(field, `is required for ${next.kind} (an empty list denies everybody)`);
      if (field in body) {
        const given = field === "users" ? this.users(ws, body.users) : this.groups(ws, body.groups);
        if (!exempting && given.length > 0) throw invalidField(field, `${next.kind} has no exemptions (only ${EXEMPTION_KINDS.join(" and ")} do)`);
        next[field === "users" ? "userUuids" : "groupSlugs"] = [...new Set(given)];
      }
    }
    if (!exempting) Object.assign(next, { userUuids: [], groupSlugs: [] });
    const taken = (repo.branchRestrictions ?? []).find((r) => r.id !== next.id && sameMatch(r, next));
    if (taken) {
      const match = next.branch_match_kind === "glob" ? `pattern ${next.pattern}` : `branch type ${String(next.branch_type)}`;
      throw new ApiError(409, `A branch restriction of kind ${next.kind} on ${match} already exists (id ${taken.id})`);
    }
    return next;
  }

  list(caller: Caller, ref: RepoRef, filter: { kind?: string; pattern?: string }): { repo: Repository; restrictions: BranchRestriction[] } {
    const { repo } = requireRepository(this.db, caller, ref, "admin");
    const restrictions = (repo.branchRestrictions ?? []).filter(
      (r) => (filter.kind === undefined || r.kind === filter.kind) && (filter.pattern === undefined || r.pattern === filter.pattern),
    );
    return { repo, restrictions };
  }

  get(caller: Caller, ref: RepoRef, id: string): { repo: Repository; restriction: BranchRestriction } {
    return this.find(caller, ref, id);
  }

  create(caller: Caller, ref: RepoRef, body: Body): { repo: Repository; restriction: BranchRestriction } {
    const { ws, repo } = requireRepository(this.db, caller, ref, "admin");
    if (!("kind" in body)) throw invalidField("kind", "is required");
    const blank: BranchRestriction = { id: 0, kind: "", branch_match_kind: "glob", pattern: "", branch_type: null, value: null, userUuids: [], groupSlugs: [] };
    const restriction = { ...this.apply(ws, repo, blank, body, true), id: this.nextId() };
    (repo.branchRestrictions ??= []).push(restriction);
    return { repo, restriction };
  }

  /** "Fields not present in the request body are ignored"; nothing changes when one of them is refused. */
  update(caller: Caller, ref: RepoRef, id: string, body: Body): { repo: Repository; restriction: BranchRestriction } {
    const { ws, repo, restriction } = this.find(caller, ref, id);
    Object.assign(restriction, this.apply(ws, repo, restriction, body, false));
    return { repo, restriction };
  }

  delete(caller: Caller, ref: RepoRef, id: string): void {
    const { repo, restriction } = this.find(caller, ref, id);
    repo.branchRestrictions = (repo.branchRestrictions ?? []).filter((r) => r !== restriction);
  }
}
