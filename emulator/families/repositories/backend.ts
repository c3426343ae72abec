// Repositories and forks: create, update (rename re-slugs), delete, list, fork. The rules: slugs are
// unique per workspace, only workspace admins create, a public repository cannot have fork_policy
// no_public_forks, issues and wikis cannot be turned on (sunset), a new fork answers 404 until it is
// ready, timestamps follow every change.
import {
  canCreateRepositoriesIn,
  canSeeWorkspace,
  findRepository,
  findWorkspace,
  isWorkspaceAdmin,
  RepoRef,
  repoAccess,
  requireRepository,
  requireWorkspace,
} from "../../access";
import type { Caller } from "../../auth";
import { Db, timestamp } from "../../db";
import { badRequest, forbidden, invalidField, notFound } from "../../errors";
import { newUuid } from "../../ids";
import { isValidSlug, slugify } from "../../slug";
import type { Workspace } from "../workspaces/model";
import { ForkPolicy, makeRepository, Repository } from "./model";

type Body = Record<string, unknown>;

const FORK_POLICIES: ForkPolicy[] = ["allow_forks", "no_public_forks", "no_forks"];

/**
 * Bitbucket Cloud's issue tracker and wikis were sunset on 2026-08-20 (Atlassian's announcement): their
 * APIs are gone and since April 2026 no repository could turn them on. What the repository fields do
 * since is not documented; the emulator takes the safe reading: `false` is accepted (it changes nothing),
 * `true` is refused naming the field, and every repository reads `false`.
 */
const SUNSET_DATE = "2026-08-20";
const SUNSET = [
  ["has_issues", "Bitbucket Cloud's issue tracker"],
  ["has_wiki", "Bitbucket Cloud's wiki"],
] as const;

function check(cond: boolean, field: string, message: string): void {
  if (!cond) throw invalidField(field, message);
}

/** Validates the writable repository fields of a POST / PUT / fork body and returns them as state fields. */
function repositoryFields(ws: Workspace, body: Body): Partial<Repository> {
  const out: Partial<Repository> = {};
  const str = (k: string, allowNull = false) => {
    if (!(k in body)) return;
    const v = body[k];
    check(typeof v === "string" || (allowNull && v === null), k, allowNull ? "must be a string or null" : "must be a string");
    return v as string;
  };
  const bool = (k: string) => {
    if (!(k in body)) return;
    check(typeof body[k] === "boolean", k, "must be a boolean");
    return body[k] as boolean;
  };
  const name = str("name");
  if (name !== undefined) {
    check(name.trim().length > 0, "name", "must not be empty");
    out.name = name;
  }
  const description = str("description");
  if (description !== undefined) out.description = description;
  const language = str("language");
  if (language !== undefined) out.language = language.toLowerCase();
  const website = str("website", true);
  if (website !== undefined) out.website = website;
  const isPrivate = bool("is_private");
  if (isPrivate !== undefined) out.is_private = isPrivate;
  for (const [k, feature] of SUNSET)
    check(bool(k) !== true, k, `${feature} was sunset on ${SUNSET_DATE}: a repository can no longer have one. Send false or leave ${k} out`);
  if ("fork_policy" in body) {
    check(FORK_POLICIES.includes(body.fork_policy as ForkPolicy), "fork_policy", `must be one of ${FORK_POLICIES.join(", ")}`);
    out.fork_policy = body.fork_policy as ForkPolicy;
  }
  if ("scm" in body) check(body.scm === "git", "scm", "only git is supported");
  if ("mainbranch" in body) {
    const mb = body.mainbranch as { name?: unknown } | null;
    check(!!mb && typeof mb === "object" && typeof mb.name === "string" && mb.name.length > 0, "mainbranch", "must be an object with a name");
    out.mainbranch = mb!.name as string;
  }
  if ("project" in body) {
    const p = body.project as { key?: unknown } | null;
    check(!!p && typeof p === "object" && typeof p.key === "string", "project", "must be an object with a key");
    const project = ws.projects.find((x) => x.key === p!.key);
    if (!project) throw invalidField("project", `no project with key ${String(p!.key)} in workspace ${ws.slug}`);
    out.projectKey = project.key;
  }
  return out;
}

/** Bitbucket refuses a public repository whose forks would have to be private. */
function checkVisibility(repo: Pick<Repository, "is_private" | "fork_policy">): void {
  if (!repo.is_private && repo.fork_policy === "no_public_forks")
    throw invalidField("fork_policy", "a public repository cannot have fork_policy no_public_forks: make it private, or use allow_forks or no_forks");
}

function oldestProjectKey(ws: Workspace): string {
  return [...ws.projects].sort((a, b) => Date.parse(a.created_on) - Date.parse(b.created_on))[0].key;
}

const slugTakenError = (ws: Workspace, slug: string) => badRequest(`Repository with this Slug and Owner already exists.`, `${ws.slug}/${slug} already exists`);

/** Who a new repository's first commit is by: the user, or the workspace owner for an access token. */
function authorUuid(caller: Caller, ws: Workspace): string {
  return caller.kind === "user" ? caller.user.uuid : ws.ownerUuid;
}

export class Repositories {
  constructor(private readonly db: Db) {}

  private slugTaken(ws: Workspace, slug: string, except?: Repository): boolean {
    return this.db.state.repositories.some((r) => r.workspaceUuid === ws.uuid && r.slug === slug && r !== except);
  }

  /** The repositories of a workspace the caller holds `role` on (member: read, contributor: write, admin/owner: admin). */
  list(caller: Caller, workspace: string, role: string | null): Repository[] {
    const ws = requireWorkspace(this.db, workspace);
    const state = this.db.state;
    if (!isVisible(caller, ws, state.repositories)) throw notFound(`Workspace ${ws.slug} not found`);
    const needed = role === "admin" || role === "owner" ? ["admin"] : role === "contributor" ? ["write", "admin"] : ["read", "write", "admin"];
    const now = this.db.now();
    return state.repositories.filter((r) => r.workspaceUuid === ws.uuid && r.readyAt <= now && needed.includes(repoAccess(state, caller, r)));
  }

  get(caller: Caller, ref: RepoRef): Repository {
    return requireRepository(this.db, caller, ref).repo;
  }

  /** `POST /repositories/{workspace}/{repo_slug}`: the slug comes from the URL. */
  create(caller: Caller, ref: RepoRef, body: Body): Repository {
    const ws = requireWorkspace(this.db, ref.workspace);
    if (ref.repo.startsWith("{")) throw badRequest("A repository is created by slug, not by UUID");
    return this.add(caller, ws, ref.repo, body);
  }

  /** `PUT`: updates the repository, or creates it when the slug is free. A new name re-slugs it. */
  put(caller: Caller, ref: RepoRef, body: Body): { repo: Repository; created: boolean; moved: boolean } {
    const ws = requireWorkspace(this.db, ref.workspace);
    if (!findRepository(this.db, ws, ref.repo)) {
      if (ref.repo.startsWith("{")) throw notFound(`Repository ${ws.slug}/${ref.repo} not found`);
      return { repo: this.add(caller, ws, ref.repo, body), created: true, moved: false };
    }
    const { repo } = requireRepository(this.db, caller, ref, "admin");
    const fields = repositoryFields(ws, body);
    checkVisibility({ ...repo, ...fields });
    let moved = false;
    if (fields.name !== undefined && fields.name !== repo.name) {
      const newSlug = slugify(fields.name);
      if (!newSlug) throw badRequest(`name: "${fields.name}" gives an empty slug`, `Invalid value for field "name"`);
      if (newSlug !== repo.slug && this.slugTaken(ws, newSlug, repo)) throw slugTakenError(ws, newSlug);
      repo.slug = newSlug;
      moved = true;
    }
    Object.assign(repo, fields, { updated_on: timestamp(this.db.now()) });
    return { repo, created: false, moved };
  }

  delete(caller: Caller, ref: RepoRef): void {
    const { repo } = requireRepository(this.db, caller, ref, "admin");
    this.db.state.repositories = this.db.state.repositories.filter((r) => r !== repo);
  }

  private add(caller: Caller, ws: Workspace, slug: string, body: Body): Repository {
    // The spec answers 400 (not 403) "if the caller lacks the privilege to create repositories under the targeted account".
    const projectKey = isWorkspaceAdmin(caller, ws) ? null : (repositoryFields(ws, body).projectKey ?? oldestProjectKey(ws));
    if (
      projectKey !== null &&
      !canCreateRepositoriesIn(
        caller,
        ws,
        ws.projects.find((p) => p.key === projectKey)!,
      )
    )
      throw badRequest(`You do not have permission to create repositories in ${ws.slug}`);
    if (!isValidSlug(slug)) throw badRequest(`Invalid repository slug: ${slug}`, `A slug may hold lower-case letters, digits, "_", "-" and "." (at most 62)`);
    const fields = repositoryFields(ws, body);
    if (this.slugTaken(ws, slug)) throw slugTakenError(ws, slug);
    const now = timestamp(this.db.now());
    const repo = makeRepository(
      { uuid: newUuid(), workspaceUuid: ws.uuid, slug, name: slug, projectKey: oldestProjectKey(ws), ...fields },
      authorUuid(caller, ws),
      now,
    );
    checkVisibility(repo);
    this.db.state.repositories.push(repo);
    return repo;
  }

  /** The forks of a repository the caller can see (a fork that is not ready yet is left out). */
  forks(caller: Caller, ref: RepoRef): Repository[] {
    const { repo } = requireRepository(this.db, caller, ref, "read");
    const state = this.db.state;
    const now = this.db.now();
    return state.repositories.filter((r) => r.parentUuid === repo.uuid && r.readyAt <= now && repoAccess(state, caller, r) !== "none");
  }

  /** `POST …/forks`: a copy of the parent's history in the target workspace, ready after `forkReadyDelayMs`. */
  fork(caller: Caller, ref: RepoRef, body: Body): Repository {
    const { ws: parentWs, repo: parent } = requireRepository(this.db, caller, ref, "read");
    if (parent.fork_policy === "no_forks") throw badRequest("Forking is disabled for this repository", "fork_policy is no_forks");
    // `parent` and `full_name` cannot be overridden; like the service, the emulator ignores them.
    const target = body.workspace as { slug?: unknown } | undefined;
    const ws = target === undefined ? parentWs : findWorkspace(this.db.state, String(target?.slug ?? ""));
    if (!ws) throw badRequest(`workspace: no workspace ${String(target?.slug)}`, `Invalid value for field "workspace"`);
    if (!isWorkspaceAdmin(caller, ws)) throw forbidden(`You do not have permission to create repositories in ${ws.slug}`);
    const fields = repositoryFields(ws, body);
    const name = fields.name ?? parent.name;
    const slug = slugify(name);
    if (!slug) throw badRequest(`name: "${name}" gives an empty slug`);
    if (this.slugTaken(ws, slug)) throw slugTakenError(ws, slug);
    const isPrivate = fields.is_private ?? parent.is_private;
    if (parent.fork_policy === "no_public_forks" && !isPrivate)
      throw badRequest("is_private: forks of this repository must be private", "The parent's fork_policy is no_public_forks");
    const now = this.db.now();
    const fork: Repository = {
      ...makeRepository({ uuid: newUuid(), workspaceUuid: ws.uuid, slug, name, projectKey: oldestProjectKey(ws) }, authorUuid(caller, ws), timestamp(now)),
      description: parent.description,
      language: parent.language,
      fork_policy: parent.fork_policy,
      mainbranch: parent.mainbranch,
      ...fields,
      name,
      slug,
      is_private: isPrivate,
      parentUuid: parent.uuid,
      // A fork carries its parent's history.
      commits: structuredClone(parent.commits),
      branches: structuredClone(parent.branches),
      tags: structuredClone(parent.tags),
      files: { ...parent.files },
      size: parent.size,
      readyAt: now + this.db.forkReadyDelayMs,
    };
    checkVisibility(fork);
    this.db.state.repositories.push(fork);
    return fork;
  }
}

/** Outsiders see a workspace's list only when it holds a public repository. */
function isVisible(caller: Caller, ws: Workspace, repositories: Repository[]): boolean {
  return canSeeWorkspace(caller, ws) || repositories.some((r) => r.workspaceUuid === ws.uuid && !r.is_private);
}
