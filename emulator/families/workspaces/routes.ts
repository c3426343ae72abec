// /workspaces/{workspace}, its members, /user and /user/workspaces.
import { ok, paginate } from "../../http";
import type { Route } from "../../route";
import type { Workspaces } from "./backend";
import { renderMembership, renderUser, renderWorkspace, renderWorkspaceAccess } from "./render";

export const workspaceRoutes: Route<Workspaces>[] = [
  {
    method: "GET",
    template: "/user/workspaces",
    handler: (ctx, workspaces) =>
      paginate(
        ctx,
        workspaces.accessible(ctx.caller, ctx.query.get("administrator")).map((a) => renderWorkspaceAccess(ctx, a.ws, a.administrator)),
      ),
  },
  {
    method: "GET",
    template: "/workspaces/{workspace}",
    handler: (ctx, workspaces) => ok(renderWorkspace(ctx, workspaces.get(ctx.caller, ctx.params.workspace), true)),
  },
  {
    method: "GET",
    template: "/workspaces/{workspace}/members",
    handler: (ctx, workspaces) => {
      const { ws, members } = workspaces.members(ctx.caller, ctx.params.workspace);
      return paginate(
        ctx,
        members.map((u) => renderMembership(ctx, ws, u)),
      );
    },
  },
  {
    method: "GET",
    template: "/workspaces/{workspace}/members/{member}",
    handler: (ctx, workspaces) => {
      const { ws, user } = workspaces.member(ctx.caller, ctx.params.workspace, ctx.params.member);
      return ok(renderMembership(ctx, ws, user));
    },
  },
  {
    method: "GET",
    template: "/user",
    handler: (ctx, workspaces) => {
      const user = workspaces.currentUser(ctx.caller);
      return ok({ ...renderUser(ctx, user), created_on: user.created_on, account_status: "active" });
    },
  },
];
