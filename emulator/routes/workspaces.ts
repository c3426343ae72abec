// /workspaces/{workspace}, its members, /user and /user/workspaces.
import { ok, paginate } from "../http";
import { renderMembership, renderUser, renderWorkspace, renderWorkspaceAccess } from "../render";
import type { Route } from "./route";

export const workspaceRoutes: Route[] = [
  {
    method: "GET",
    template: "/user/workspaces",
    handler: (ctx) =>
      paginate(
        ctx,
        ctx.backend.workspaces.accessible(ctx.caller, ctx.query.get("administrator")).map((a) => renderWorkspaceAccess(ctx, a.ws, a.administrator)),
      ),
  },
  {
    method: "GET",
    template: "/workspaces/{workspace}",
    handler: (ctx) => ok(renderWorkspace(ctx, ctx.backend.workspaces.get(ctx.caller, ctx.params.workspace), true)),
  },
  {
    method: "GET",
    template: "/workspaces/{workspace}/members",
    handler: (ctx) => {
      const { ws, members } = ctx.backend.workspaces.members(ctx.caller, ctx.params.workspace);
      return paginate(
        ctx,
        members.map((u) => renderMembership(ctx, ws, u)),
      );
    },
  },
  {
    method: "GET",
    template: "/workspaces/{workspace}/members/{member}",
    handler: (ctx) => {
      const { ws, user } = ctx.backend.workspaces.member(ctx.caller, ctx.params.workspace, ctx.params.member);
      return ok(renderMembership(ctx, ws, user));
    },
  },
  {
    method: "GET",
    template: "/user",
    handler: (ctx) => {
      const user = ctx.backend.workspaces.currentUser(ctx.caller);
      return ok({ ...renderUser(ctx, user), created_on: user.created_on, account_status: "active" });
    },
  },
];
