import { findUser, requirePermission, requireRepository } from "../access";
import { badRequest, Ctx, forbidden, notFound, paginate, Reply } from "../http";
import { renderGroup, renderRepository, renderUser, repoPath } from "../render";
import type { Permission, Repository, User, Workspace } from "../store";
import { bodyObject, Route } from "./route";

const PERMISSIONS: Permission[] = ["read", "write", "admin"];

/** permissions-config needs admin on the repository, and a user: access tokens cannot manage permissions. */
function requireAdmin(ctx: Ctx): { ws: Workspace; repo: Repository } {
  const found = requireRepository(ctx, "read");
  if (ctx.caller!.kind === "accessToken") throw forbidden("Access tokens cannot manage repository permissions");
  requirePermission(ctx, found.repo, "admin");
  return found;
}

function permissionFromBody(ctx: Ctx): Permission {
  const p = bodyObject(ctx).permission;
  if (!PERMISSIONS.includes(p as Permission)) throw badRequest(`permission: must be one of ${PERMISSIONS.join(", ")}`, 'Invalid value for field "permission"');
  return p as Permission;
}

function groupPermission(ctx: Ctx, ws: Workspace, repo: Repository, slug: string) {
  const g = ws.groups.find((x) => x.slug === slug)!;
  return {
    type: "repository_group_permission",
    permission: repo.groupPermissions[slug],
    group: renderGroup(ctx, ws, g),
    repository: renderRepository(ctx, repo, true),
    links: { self: { href: `${ctx.base}/2.0${repoPath(ws, repo)}/permissions-config/groups/${slug}` } },
  };
}

function userPermission(ctx: Ctx, ws: Workspace, repo: Repository, user: User) {
  return {
    type: "repository_user_permission",
    permission: repo.userPermissions[user.uuid],
    user: renderUser(ctx, user),
    repository: renderRepository(ctx, repo, true),
    links: { self: { href: `${ctx.base}/2.0${repoPath(ws, repo)}/permissions-config/users/${user.account_id}` } },
  };
}

function requireGroup(ctx: Ctx, ws: Workspace): string {
  const slug = ctx.params.group_slug;
  if (!ws.groups.some((g) => g.slug === slug)) throw notFound(`Group ${slug} not found in workspace ${ws.slug}`);
  return slug;
}

function userOrNull(ctx: Ctx): User | undefined {
  return findUser(ctx.state, ctx.params.selected_user_id);
}

export const permissionRoutes: Route[] = [
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/permissions-config/groups",
    handler: (ctx) => {
      const { ws, repo } = requireAdmin(ctx);
      return paginate(
        ctx,
        Object.keys(repo.groupPermissions).map((slug) => groupPermission(ctx, ws, repo, slug)),
        { query: false },
      );
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/permissions-config/groups/{group_slug}",
    handler: (ctx) => {
      const { ws, repo } = requireAdmin(ctx);
      const slug = requireGroup(ctx, ws);
      if (!repo.groupPermissions[slug]) throw notFound(`Group ${slug} has no explicit permission on this repository`);
      return { status: 200, body: groupPermission(ctx, ws, repo, slug) };
    },
  },
  {
    method: "PUT",
    template: "/repositories/{workspace}/{repo_slug}/permissions-config/groups/{group_slug}",
    handler: (ctx) => {
      const { ws, repo } = requireAdmin(ctx);
      const slug = requireGroup(ctx, ws);
      repo.groupPermissions[slug] = permissionFromBody(ctx);
      return { status: 200, body: groupPermission(ctx, ws, repo, slug) };
    },
  },
  {
    method: "DELETE",
    template: "/repositories/{workspace}/{repo_slug}/permissions-config/groups/{group_slug}",
    handler: (ctx) => {
      const { ws, repo } = requireAdmin(ctx);
      const slug = requireGroup(ctx, ws);
      if (!repo.groupPermissions[slug]) throw notFound(`Group ${slug} has no explicit permission on this repository`);
      delete repo.groupPermissions[slug];
      return { status: 204 };
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/permissions-config/users",
    handler: (ctx) => {
      const { ws, repo } = requireAdmin(ctx);
      const users = ctx.state.users.filter((u) => repo.userPermissions[u.uuid]);
      return paginate(
        ctx,
        users.map((u) => userPermission(ctx, ws, repo, u)),
        { query: false },
      );
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/permissions-config/users/{selected_user_id}",
    handler: (ctx) => {
      const { ws, repo } = requireAdmin(ctx);
      const user = userOrNull(ctx);
      if (!user || !repo.userPermissions[user.uuid]) throw notFound(`User ${ctx.params.selected_user_id} has no explicit permission on this repository`);
      return { status: 200, body: userPermission(ctx, ws, repo, user) };
    },
  },
  {
    method: "PUT",
    template: "/repositories/{workspace}/{repo_slug}/permissions-config/users/{selected_user_id}",
    handler: (ctx) => {
      const { ws, repo } = requireAdmin(ctx);
      const permission = permissionFromBody(ctx);
      const user = userOrNull(ctx);
      const id = ctx.params.selected_user_id;
      if (!user) throw badRequest(`${id} is not a valid user`, "The selected user is not a valid user to update");
      if (user.uuid === ws.ownerUuid)
        throw badRequest(
          `${user.display_name} owns workspace ${ws.slug}; the owner's permission cannot be changed`,
          "The selected user is not a valid user to update",
        );
      if (!ws.memberUuids.includes(user.uuid))
        throw badRequest(`${user.display_name} is not a member of workspace ${ws.slug}`, "The selected user is not a valid user to update");
      repo.userPermissions[user.uuid] = permission;
      return { status: 200, body: userPermission(ctx, ws, repo, user) };
    },
  },
  {
    method: "DELETE",
    template: "/repositories/{workspace}/{repo_slug}/permissions-config/users/{selected_user_id}",
    handler: (ctx) => {
      const { repo } = requireAdmin(ctx);
      const user = userOrNull(ctx);
      if (!user || !repo.userPermissions[user.uuid]) throw notFound(`User ${ctx.params.selected_user_id} has no explicit permission on this repository`);
      delete repo.userPermissions[user.uuid];
      return { status: 204 };
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/override-settings",
    handler: (ctx): Reply => {
      const { repo } = requireRepository(ctx, "admin");
      return { status: 200, body: { type: "repository_inheritance_state", override_settings: { ...repo.overrideSettings } } };
    },
  },
  {
    method: "PUT",
    template: "/repositories/{workspace}/{repo_slug}/override-settings",
    handler: (ctx): Reply => {
      const { repo } = requireRepository(ctx, "admin");
      const body = bodyObject(ctx);
      // The spec gives no body schema; the service takes the shape GET returns.
      const settings = (body.override_settings ?? body) as Record<string, unknown>;
      if (typeof settings !== "object" || settings === null) throw badRequest("override_settings: must be an object");
      const next = { ...repo.overrideSettings };
      for (const [k, v] of Object.entries(settings)) {
        if (k === "type") continue;
        if (!(k in next)) throw badRequest(`override_settings.${k}: unknown setting`, "Known settings: default_merge_strategy, branching_model");
        if (typeof v !== "boolean") throw badRequest(`override_settings.${k}: must be a boolean`);
        next[k as keyof typeof next] = v;
      }
      repo.overrideSettings = next;
      return { status: 204 };
    },
  },
];
