// Explicit group and user permissions (permissions-config) on a repository or a project. The rules: only a
// user with admin rights there may manage them (a workspace or repository access token answers 403); the
// value is read, write or admin (and create-repo on a project); the group must exist in the workspace
// (404); the user must be a workspace member who is not its owner (400, as the spec documents for "not a
// valid user to update").
import { findUser, isProjectAdmin, RepoRef, requirePermission, requireProject, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import type { Db } from "../../db";
import { badRequest, forbidden, invalidField, notFound } from "../../errors";
import { ownValue, setOwn } from "../../records";
import type { Project } from "../projects/model";
import type { Repository } from "../repositories/model";
import type { Group, User, Workspace } from "../workspaces/model";
import type { ProjectPermission } from "./model";

type Body = Record<string, unknown>;

/** Where the grants are, as the URL addresses it. */
export type GrantTarget = { repository: RepoRef } | { project: { workspace: string; key: string } };

type Grants = { groupPermissions: Record<string, ProjectPermission>; userPermissions: Record<string, ProjectPermission> };

/** What holds the grants, found and checked. */
export type GrantScope = { ws: Workspace; grants: Grants } & ({ kind: "repository"; repo: Repository } | { kind: "project"; project: Project });

export type GroupGrant = GrantScope & { group: Group; permission: ProjectPermission };
export type UserGrant = GrantScope & { user: User; permission: ProjectPermission };

const REPOSITORY_PERMISSIONS: ProjectPermission[] = ["read", "write", "admin"];
const PROJECT_PERMISSIONS: ProjectPermission[] = ["read", "write", "create-repo", "admin"];

export class Permissions {
  constructor(private readonly db: Db) {}

  /** permissions-config needs admin rights, and a user: access tokens cannot manage permissions. */
  private scope(caller: Caller, target: GrantTarget): GrantScope {
    if ("repository" in target) {
      const { ws, repo } = requireRepository(this.db, caller, target.repository, "read");
      if (caller.kind === "accessToken") throw forbidden("Access tokens cannot manage repository permissions");
      requirePermission(this.db, caller, repo, "admin");
      return { kind: "repository", ws, repo, grants: repo };
    }
    const { ws, project } = requireProject(this.db, caller, target.project.workspace, target.project.key);
    if (caller.kind === "accessToken") throw forbidden("Access tokens cannot manage project permissions");
    if (!isProjectAdmin(caller, ws, project)) throw forbidden(`You are not an admin of project ${project.key}`);
    return { kind: "project", ws, project, grants: project };
  }

  private permissionFromBody(scope: GrantScope, body: Body): ProjectPermission {
    const allowed = scope.kind === "project" ? PROJECT_PERMISSIONS : REPOSITORY_PERMISSIONS;
    const p = body.permission;
    if (!allowed.includes(p as ProjectPermission)) throw invalidField("permission", `must be one of ${allowed.join(", ")}`);
    return p as ProjectPermission;
  }

  private group(scope: GrantScope, slug: string): Group {
    const group = scope.ws.groups.find((g) => g.slug === slug);
    if (!group) throw notFound(`Group ${slug} not found in workspace ${scope.ws.slug}`);
    return group;
  }

  private grantedGroup(scope: GrantScope, slug: string): GroupGrant {
    const group = this.group(scope, slug);
    const permission = ownValue(scope.grants.groupPermissions, slug);
    if (!permission) throw notFound(`Group ${slug} has no explicit permission on this ${scope.kind}`);
    return { ...scope, group, permission };
  }

  private grantedUser(scope: GrantScope, id: string): UserGrant {
    const user = findUser(this.db.state, id);
    const permission = user && ownValue(scope.grants.userPermissions, user.uuid);
    if (!user || !permission) throw notFound(`User ${id} has no explicit permission on this ${scope.kind}`);
    return { ...scope, user, permission };
  }

  listGroups(caller: Caller, target: GrantTarget): GroupGrant[] {
    const scope = this.scope(caller, target);
    return Object.keys(scope.grants.groupPermissions).map((slug) => this.grantedGroup(scope, slug));
  }

  getGroup(caller: Caller, target: GrantTarget, slug: string): GroupGrant {
    return this.grantedGroup(this.scope(caller, target), slug);
  }

  setGroup(caller: Caller, target: GrantTarget, slug: string, body: Body): GroupGrant {
    const scope = this.scope(caller, target);
    const group = this.group(scope, slug);
    const permission = this.permissionFromBody(scope, body);
    setOwn(scope.grants.groupPermissions, slug, permission);
    return { ...scope, group, permission };
  }

  deleteGroup(caller: Caller, target: GrantTarget, slug: string): void {
    const grant = this.grantedGroup(this.scope(caller, target), slug);
    delete grant.grants.groupPermissions[slug];
  }

  listUsers(caller: Caller, target: GrantTarget): UserGrant[] {
    const scope = this.scope(caller, target);
    return this.db.state.users.filter((u) => ownValue(scope.grants.userPermissions, u.uuid)).map((u) => this.grantedUser(scope, u.account_id));
  }

  getUser(caller: Caller, target: GrantTarget, id: string): UserGrant {
    return this.grantedUser(this.scope(caller, target), id);
  }

  setUser(caller: Caller, target: GrantTarget, id: string, body: Body): UserGrant {
    const scope = this.scope(caller, target);
    const permission = this.permissionFromBody(scope, body);
    const user = findUser(this.db.state, id);
    const invalid = "The selected user is not a valid user to update";
    if (!user) throw badRequest(`${id} is not a valid user`, invalid);
    if (user.uuid === scope.ws.ownerUuid)
      throw badRequest(`${user.display_name} owns workspace ${scope.ws.slug}; the owner's permission cannot be changed`, invalid);
    if (!scope.ws.memberUuids.includes(user.uuid)) throw badRequest(`${user.display_name} is not a member of workspace ${scope.ws.slug}`, invalid);
    setOwn(scope.grants.userPermissions, user.uuid, permission);
    return { ...scope, user, permission };
  }

  deleteUser(caller: Caller, target: GrantTarget, id: string): void {
    const grant = this.grantedUser(this.scope(caller, target), id);
    delete grant.grants.userPermissions[grant.user.uuid];
  }
}
