// permissions-config of a repository (/repositories/{workspace}/{repo_slug}/…) and of a project
// (/workspaces/{workspace}/projects/{project_key}/…): groups[/{group_slug}] and users[/{selected_user_id}].
import { bodyObject, Ctx, noContent, ok, paginate } from "../../http";
import { repoRef, Route } from "../../route";
import type { GrantTarget, Permissions } from "./backend";
import { renderGroupPermission, renderUserPermission } from "./render";

/** The same eight operations on whatever `target` finds in the URL under `base`. */
function grantRoutes(base: string, target: (ctx: Ctx) => GrantTarget): Route<Permissions>[] {
  return [
    {
      method: "GET",
      template: `${base}/groups`,
      handler: (ctx, permissions) =>
        paginate(
          ctx,
          permissions.listGroups(ctx.caller, target(ctx)).map((g) => renderGroupPermission(ctx, g)),
          { query: false },
        ),
    },
    {
      method: "GET",
      template: `${base}/groups/{group_slug}`,
      handler: (ctx, permissions) => ok(renderGroupPermission(ctx, permissions.getGroup(ctx.caller, target(ctx), ctx.params.group_slug))),
    },
    {
      method: "PUT",
      template: `${base}/groups/{group_slug}`,
      handler: (ctx, permissions) => ok(renderGroupPermission(ctx, permissions.setGroup(ctx.caller, target(ctx), ctx.params.group_slug, bodyObject(ctx)))),
    },
    {
      method: "DELETE",
      template: `${base}/groups/{group_slug}`,
      handler: (ctx, permissions) => {
        permissions.deleteGroup(ctx.caller, target(ctx), ctx.params.group_slug);
        return noContent();
      },
    },
    {
      method: "GET",
      template: `${base}/users`,
      handler: (ctx, permissions) =>
        paginate(
          ctx,
          permissions.listUsers(ctx.caller, target(ctx)).map((u) => renderUserPermission(ctx, u)),
          { query: false },
        ),
    },
    {
      method: "GET",
      template: `${base}/users/{selected_user_id}`,
      handler: (ctx, permissions) => ok(renderUserPermission(ctx, permissions.getUser(ctx.caller, target(ctx), ctx.params.selected_user_id))),
    },
    {
      method: "PUT",
      template: `${base}/users/{selected_user_id}`,
      handler: (ctx, permissions) => ok(renderUserPermission(ctx, permissions.setUser(ctx.caller, target(ctx), ctx.params.selected_user_id, bodyObject(ctx)))),
    },
    {
      method: "DELETE",
      template: `${base}/users/{selected_user_id}`,
      handler: (ctx, permissions) => {
        permissions.deleteUser(ctx.caller, target(ctx), ctx.params.selected_user_id);
        return noContent();
      },
    },
  ];
}

export const permissionRoutes: Route<Permissions>[] = [
  ...grantRoutes("/repositories/{workspace}/{repo_slug}/permissions-config", (ctx) => ({ repository: repoRef(ctx) })),
  ...grantRoutes("/workspaces/{workspace}/projects/{project_key}/permissions-config", (ctx) => ({
    project: { workspace: ctx.params.workspace, key: ctx.params.project_key },
  })),
];
