// /repositories/{workspace}/{repo_slug}/permissions-config/groups[/{group_slug}] and …/users[/{selected_user_id}].
import { bodyObject, noContent, ok, paginate } from "../http";
import { renderGroupPermission, renderUserPermission } from "../render";
import { repoRef, Route } from "./route";

const BASE = "/repositories/{workspace}/{repo_slug}/permissions-config";

export const permissionRoutes: Route[] = [
  {
    method: "GET",
    template: `${BASE}/groups`,
    handler: (ctx) =>
      paginate(
        ctx,
        ctx.backend.permissions.listGroups(ctx.caller, repoRef(ctx)).map((g) => renderGroupPermission(ctx, g)),
        { query: false },
      ),
  },
  {
    method: "GET",
    template: `${BASE}/groups/{group_slug}`,
    handler: (ctx) => ok(renderGroupPermission(ctx, ctx.backend.permissions.getGroup(ctx.caller, repoRef(ctx), ctx.params.group_slug))),
  },
  {
    method: "PUT",
    template: `${BASE}/groups/{group_slug}`,
    handler: (ctx) => ok(renderGroupPermission(ctx, ctx.backend.permissions.setGroup(ctx.caller, repoRef(ctx), ctx.params.group_slug, bodyObject(ctx)))),
  },
  {
    method: "DELETE",
    template: `${BASE}/groups/{group_slug}`,
    handler: (ctx) => {
      ctx.backend.permissions.deleteGroup(ctx.caller, repoRef(ctx), ctx.params.group_slug);
      return noContent();
    },
  },
  {
    method: "GET",
    template: `${BASE}/users`,
    handler: (ctx) =>
      paginate(
        ctx,
        ctx.backend.permissions.listUsers(ctx.caller, repoRef(ctx)).map((u) => renderUserPermission(ctx, u)),
        { query: false },
      ),
  },
  {
    method: "GET",
    template: `${BASE}/users/{selected_user_id}`,
    handler: (ctx) => ok(renderUserPermission(ctx, ctx.backend.permissions.getUser(ctx.caller, repoRef(ctx), ctx.params.selected_user_id))),
  },
  {
    method: "PUT",
    template: `${BASE}/users/{selected_user_id}`,
    handler: (ctx) => ok(renderUserPermission(ctx, ctx.backend.permissions.setUser(ctx.caller, repoRef(ctx), ctx.params.selected_user_id, bodyObject(ctx)))),
  },
  {
    method: "DELETE",
    template: `${BASE}/users/{selected_user_id}`,
    handler: (ctx) => {
      ctx.backend.permissions.deleteUser(ctx.caller, repoRef(ctx), ctx.params.selected_user_id);
      return noContent();
    },
  },
];
