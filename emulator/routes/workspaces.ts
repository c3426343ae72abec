// /workspaces/{workspace} and /user.
import { ok } from "../http";
import { renderUser, renderWorkspace } from "../render";
import type { Route } from "./route";

export const workspaceRoutes: Route[] = [
  {
    method: "GET",
    template: "/workspaces/{workspace}",
    handler: (ctx) => ok(renderWorkspace(ctx, ctx.backend.workspaces.get(ctx.caller, ctx.params.workspace), true)),
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
