// Explicit group and user permissions (permissions-config). The rules: only a user with admin rights may
// manage them (a workspace or repository access token answers 403); the value is read, write or admin;
// the group must exist in the workspace (404); the user must be a workspace member who is not its owner
// (400, as the spec documents for "not a valid user to update").
import type { Caller } from "../auth";
import { badRequest, forbidden, invalidField, notFound } from "../errors";
import type { Group, Permission, Repository, User, Workspace } from "../store";
import { findUser, RepoRef, requirePermission, requireRepository } from "./access";
import type { Db } from "./db";

type Body = Record<string, unknown>;

const PERMISSIONS: Permission[] = ["read", "write", "admin"];

/** What holds grants, and where: the repository and its workspace. */
export interface GrantScope {
  ws: Workspace;
  repo: Repository;
}

export interface GroupGrant extends GrantScope {
  group: Group;
  permission: Permission;
}

export interface UserGrant extends GrantScope {
  user: User;
  permission: Permission;
}

function permissionFromBody(body: Body): Permission {
  const p = body.permission;
  if (!PERMISSIONS.includes(p as Permission)) throw invalidField("permission", `must be one of ${PERMISSIONS.join(", ")}`);
  return p as Permission;
}

export class Permissions {
  constructor(private readonly db: Db) {}

  /** permissions-config needs admin on the repository, and a user: access tokens cannot manage permissions. */
  private scope(caller: Caller, ref: RepoRef): GrantScope {
    const found = requireRepository(this.db, caller, ref, "read");
    if (caller.kind === "accessToken") throw forbidden("Access tokens cannot manage repository permissions");
    requirePermission(this.db, caller, found.repo, "admin");
    return found;
  }

  private group(scope: GrantScope, slug: string): Group {
    const group = scope.ws.groups.find((g) => g.slug === slug);
    if (!group) throw notFound(`Group ${slug} not found in workspace ${scope.ws.slug}`);
    return group;
  }

  private grantedGroup(scope: GrantScope, slug: string): GroupGrant {
    const group = this.group(scope, slug);
    const permission = scope.repo.groupPermissions[slug];
    if (!permission) throw notFound(`Group ${slug} has no explicit permission on this repository`);
    return { ...scope, group, permission };
  }

  private grantedUser(scope: GrantScope, id: string): UserGrant {
    const user = findUser(this.db.state, id);
    const permission = user && scope.repo.userPermissions[user.uuid];
    if (!user || !permission) throw notFound(`User ${id} has no explicit permission on this repository`);
    return { ...scope, user, permission };
  }

  listGroups(caller: Caller, ref: RepoRef): GroupGrant[] {
    const scope = this.scope(caller, ref);
    return Object.keys(scope.repo.groupPermissions).map((slug) => this.grantedGroup(scope, slug));
  }

  getGroup(caller: Caller, ref: RepoRef, slug: string): GroupGrant {
    return this.grantedGroup(this.scope(caller, ref), slug);
  }

  setGroup(caller: Caller, ref: RepoRef, slug: string, body: Body): GroupGrant {
    const scope = this.scope(caller, ref);
    const group = this.group(scope, slug);
    const permission = permissionFromBody(body);
    scope.repo.groupPermissions[slug] = permission;
    return { ...scope, group, permission };
  }

  deleteGroup(caller: Caller, ref: RepoRef, slug: string): void {
    const grant = this.grantedGroup(this.scope(caller, ref), slug);
    delete grant.repo.groupPermissions[slug];
  }

  listUsers(caller: Caller, ref: RepoRef): UserGrant[] {
    const scope = this.scope(caller, ref);
    return this.db.state.users.filter((u) => scope.repo.userPermissions[u.uuid]).map((u) => this.grantedUser(scope, u.account_id));
  }

  getUser(caller: Caller, ref: RepoRef, id: string): UserGrant {
    return this.grantedUser(this.scope(caller, ref), id);
  }

  setUser(caller: Caller, ref: RepoRef, id: string, body: Body): UserGrant {
    const scope = this.scope(caller, ref);
    const permission = permissionFromBody(body);
    const user = findUser(this.db.state, id);
    const invalid = "The selected user is not a valid user to update";
    if (!user) throw badRequest(`${id} is not a valid user`, invalid);
    if (user.uuid === scope.ws.ownerUuid)
      throw badRequest(`${user.display_name} owns workspace ${scope.ws.slug}; the owner's permission cannot be changed`, invalid);
    if (!scope.ws.memberUuids.includes(user.uuid)) throw badRequest(`${user.display_name} is not a member of workspace ${scope.ws.slug}`, invalid);
    scope.repo.userPermissions[user.uuid] = permission;
    return { ...scope, user, permission };
  }

  deleteUser(caller: Caller, ref: RepoRef, id: string): void {
    const grant = this.grantedUser(this.scope(caller, ref), id);
    delete grant.repo.userPermissions[grant.user.uuid];
  }
}
