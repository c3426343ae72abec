// Finding workspaces and repositories by slug or `{uuid}`, and what a caller may do with them.
import { Ctx, forbidden, notFound } from "./http";
import type { Caller } from "./auth";
import type { Permission, Repository, State, User, Workspace } from "./store";

const RANK: Record<Permission | "none", number> = { none: 0, read: 1, write: 2, admin: 3 };

function sameId(uuidOrSlug: string, obj: { uuid: string; slug: string }): boolean {
  return uuidOrSlug.startsWith("{") ? uuidOrSlug.toLowerCase() === obj.uuid.toLowerCase() : uuidOrSlug === obj.slug;
}

export function findWorkspace(state: State, id: string): Workspace | undefined {
  return state.workspaces.find((w) => sameId(id, w));
}

export function findUser(state: State, id: string): User | undefined {
  return id.startsWith("{") ? state.users.find((u) => u.uuid.toLowerCase() === id.toLowerCase()) : state.users.find((u) => u.account_id === id);
}

export function workspaceOf(state: State, repo: Repository): Workspace {
  return state.workspaces.find((w) => w.uuid === repo.workspaceUuid)!;
}

export function canSeeWorkspace(caller: Caller, ws: Workspace): boolean {
  return caller.kind === "accessToken" ? caller.workspaceSlug === ws.slug : ws.memberUuids.includes(caller.user.uuid) || !ws.is_private;
}

export function isWorkspaceAdmin(caller: Caller, ws: Workspace): boolean {
  return caller.kind === "accessToken" ? caller.workspaceSlug === ws.slug : ws.ownerUuid === caller.user.uuid;
}

export function repoAccess(state: State, caller: Caller, repo: Repository): Permission | "none" {
  const ws = workspaceOf(state, repo);
  if (isWorkspaceAdmin(caller, ws)) return "admin";
  const publicAccess = repo.is_private ? "none" : "read";
  if (caller.kind === "accessToken") return publicAccess;
  const uuid = caller.user.uuid;
  const granted: (Permission | "none")[] = [publicAccess, repo.userPermissions[uuid] ?? "none"];
  // Workspace members see the workspace's repositories; groups and explicit grants can raise that.
  if (ws.memberUuids.includes(uuid)) granted.push("read");
  for (const g of ws.groups) if (g.memberUuids.includes(uuid)) granted.push(repo.groupPermissions[g.slug] ?? "none");
  return granted.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), "none");
}

export function requireWorkspace(ctx: Ctx): Workspace {
  const ws = findWorkspace(ctx.state, ctx.params.workspace);
  if (!ws) throw notFound(`Workspace ${ctx.params.workspace} not found`);
  return ws;
}

/** Finds the addressed repository (404 while a new fork is not ready) and checks the caller's permission on it. */
export function requireRepository(ctx: Ctx, needed: Permission = "read"): { ws: Workspace; repo: Repository } {
  const ws = requireWorkspace(ctx);
  const id = ctx.params.repo_slug;
  const repo = ctx.state.repositories.find((r) => r.workspaceUuid === ws.uuid && sameId(id, r));
  if (!repo || repo.readyAt > ctx.now) throw notFound(`Repository ${ws.slug}/${id} not found`);
  requirePermission(ctx, repo, needed);
  return { ws, repo };
}

export function requirePermission(ctx: Ctx, repo: Repository, needed: Permission): void {
  const access = repoAccess(ctx.state, ctx.caller!, repo);
  if (RANK[access] >= RANK[needed]) return;
  // Like the real service: a private repository the caller cannot read answers 403, not 404.
  if (access === "none") throw forbidden("You do not have access to this repository");
  throw forbidden(`Your credentials lack the ${needed} permission this operation requires on this repository`);
}
