// Finding workspaces, repositories and users by slug or `{uuid}`, and what a caller may do with them.
// Every backend operation starts here: one lookup that also checks the caller's rights.
import type { Caller } from "./auth";
import type { Db } from "./db";
import { forbidden, notFound } from "./errors";
import type { Permission, ProjectPermission } from "./families/permissions/model";
import type { Project } from "./families/projects/model";
import type { Repository } from "./families/repositories/model";
import type { User, Workspace } from "./families/workspaces/model";
import { ownValue } from "./records";
import type { State } from "./store";

/** A repository as the URL addresses it: `{workspace}` and `{repo_slug}`, each a slug or a `{uuid}`. */
export interface RepoRef {
  workspace: string;
  repo: string;
}

const RANK: Record<Permission | "none", number> = { none: 0, read: 1, write: 2, admin: 3 };

export function sameId(uuidOrSlug: string, obj: { uuid: string; slug: string }): boolean {
  return uuidOrSlug.startsWith("{") ? uuidOrSlug.toLowerCase() === obj.uuid.toLowerCase() : uuidOrSlug === obj.slug;
}

export function findWorkspace(state: Readonly<State>, id: string): Workspace | undefined {
  return state.workspaces.find((w) => sameId(id, w));
}

/** A user by `account_id` or `{uuid}`. */
export function findUser(state: Readonly<State>, id: string): User | undefined {
  return id.startsWith("{") ? state.users.find((u) => u.uuid.toLowerCase() === id.toLowerCase()) : state.users.find((u) => u.account_id === id);
}

export function workspaceOf(state: Readonly<State>, repo: Repository): Workspace {
  return state.workspaces.find((w) => w.uuid === repo.workspaceUuid)!;
}

export function canSeeWorkspace(caller: Caller, ws: Workspace): boolean {
  if (caller.kind === "anonymous") return !ws.is_private;
  return caller.kind === "accessToken" ? caller.workspaceSlug === ws.slug : ws.memberUuids.includes(caller.user.uuid) || !ws.is_private;
}

export function isWorkspaceAdmin(caller: Caller, ws: Workspace): boolean {
  if (caller.kind === "anonymous") return false;
  return caller.kind === "accessToken" ? caller.workspaceSlug === ws.slug : ws.ownerUuid === caller.user.uuid;
}

const highest = (granted: (Permission | "none")[]) => granted.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), "none");

/** What a project grant gives on the project's repositories: `create-repo` writes. */
const onRepositories = (p: ProjectPermission | undefined): Permission | "none" => (p === "create-repo" ? "write" : (p ?? "none"));

/** A user's grants on a repository or project: their own and those of the groups they are in. */
function grantsOf<P>(ws: Workspace, holder: { userPermissions: Record<string, P>; groupPermissions: Record<string, P> }, uuid: string): (P | undefined)[] {
  return [
    ownValue(holder.userPermissions, uuid),
    ...ws.groups.filter((g) => g.memberUuids.includes(uuid)).map((g) => ownValue(holder.groupPermissions, g.slug)),
  ];
}

export function repoAccess(state: Readonly<State>, caller: Caller, repo: Repository): Permission | "none" {
  const ws = workspaceOf(state, repo);
  if (isWorkspaceAdmin(caller, ws)) return "admin";
  const publicAccess = repo.is_private ? "none" : "read";
  if (caller.kind !== "user") return publicAccess;
  const uuid = caller.user.uuid;
  const granted: (Permission | "none")[] = [publicAccess, ...grantsOf(ws, repo, uuid).map((p) => p ?? "none")];
  // Workspace members see the workspace's repositories; project grants are inherited by its repositories.
  if (ws.memberUuids.includes(uuid)) granted.push("read");
  const project = ws.projects.find((p) => p.key === repo.projectKey);
  if (project) granted.push(...grantsOf(ws, project, uuid).map(onRepositories));
  return highest(granted);
}

/** The owner, the workspace's access token, or a user with an admin grant on the project (own or by group). */
export function isProjectAdmin(caller: Caller, ws: Workspace, project: Project): boolean {
  if (isWorkspaceAdmin(caller, ws)) return true;
  return caller.kind === "user" && grantsOf(ws, project, caller.user.uuid).includes("admin");
}

/** Workspace admins, and users granted create-repo or admin on the project (own or by group). */
export function canCreateRepositoriesIn(caller: Caller, ws: Workspace, project: Project): boolean {
  if (isWorkspaceAdmin(caller, ws)) return true;
  return caller.kind === "user" && grantsOf(ws, project, caller.user.uuid).some((p) => p === "create-repo" || p === "admin");
}

/** Members see every project of the workspace; others only public projects (anonymous callers too). */
export function canSeeProject(caller: Caller, ws: Workspace, project: Project): boolean {
  if (caller.kind === "anonymous") return !project.is_private;
  return canSeeWorkspace(caller, ws) || !project.is_private;
}

/** A project of a workspace by key: 404 when either does not exist, 403 when the caller may not see it. */
export function requireProject(db: Db, caller: Caller, workspace: string, key: string): { ws: Workspace; project: Project } {
  const ws = requireWorkspace(db, workspace);
  const project = ws.projects.find((p) => p.key === key);
  if (!project) throw notFound(`Project ${key} not found in workspace ${ws.slug}`);
  if (!canSeeProject(caller, ws, project)) throw forbidden("You do not have access to this project");
  return { ws, project };
}

/** A project the caller administers (workspace admins, or an admin grant on it, own or by group). */
export function requireProjectAdmin(db: Db, caller: Caller, workspace: string, key: string): { ws: Workspace; project: Project } {
  const found = requireProject(db, caller, workspace, key);
  if (!isProjectAdmin(caller, found.ws, found.project)) throw forbidden(`You are not an admin of project ${key}`);
  return found;
}

export function requireWorkspace(db: Db, id: string): Workspace {
  const ws = findWorkspace(db.state, id);
  if (!ws) throw notFound(`Workspace ${id} not found`);
  return ws;
}

/** A workspace the caller may see; others answer 404 as if they did not exist. */
export function requireVisibleWorkspace(db: Db, caller: Caller, id: string): Workspace {
  const ws = requireWorkspace(db, id);
  if (!canSeeWorkspace(caller, ws)) throw notFound(`Workspace ${id} not found`);
  return ws;
}

/** The repository in `ws` with this slug or `{uuid}`, including a fork that is not ready yet. */
export function findRepository(db: Db, ws: Workspace, id: string): Repository | undefined {
  return db.state.repositories.find((r) => r.workspaceUuid === ws.uuid && sameId(id, r));
}

/** Finds the addressed repository (404 while a new fork is not ready) and checks the caller's permission on it. */
export function requireRepository(db: Db, caller: Caller, ref: RepoRef, needed: Permission = "read"): { ws: Workspace; repo: Repository } {
  const ws = requireWorkspace(db, ref.workspace);
  const repo = findRepository(db, ws, ref.repo);
  if (!repo || repo.readyAt > db.now()) throw notFound(`Repository ${ws.slug}/${ref.repo} not found`);
  requirePermission(db, caller, repo, needed);
  return { ws, repo };
}

export function requirePermission(db: Db, caller: Caller, repo: Repository, needed: Permission): void {
  const access = repoAccess(db.state, caller, repo);
  if (RANK[access] >= RANK[needed]) return;
  // Like the real service: a private repository the caller cannot read answers 403, not 404.
  if (access === "none") throw forbidden("You do not have access to this repository");
  throw forbidden(`Your credentials lack the ${needed} permission this operation requires on this repository`);
}
