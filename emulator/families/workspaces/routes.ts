// /workspaces/{workspace}, its members and its Pipelines OIDC identity, /user, /user/workspaces and /users/{selected_user}.
import { ok, paginate } from "../../http";
import type { Route } from "../../route";
import type { Workspaces } from "./backend";
import { renderMembership, renderOidcConfiguration, renderOidcKeys, renderUser, renderWorkspace, renderWorkspaceAccess } from "./render";

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
  {
    method: "GET",
    template: "/users/{selected_user}",
    handler: (ctx, workspaces) => ok(renderUser(ctx, workspaces.user(ctx.params.selected_user))),
  },
  {
    method: "GET",
    template: "/workspaces/{workspace}/pipelines-config/identity/oidc/.well-known/openid-configuration",
    handler: (ctx, workspaces) => ok(renderOidcConfiguration(ctx, workspaces.oidcIssuer(ctx.params.workspace))),
  },
  {
    method: "GET",
    template: "/workspaces/{workspace}/pipelines-config/identity/oidc/keys.json",
    handler: (ctx, workspaces) => ok(renderOidcKeys(workspaces.oidcIssuer(ctx.params.workspace))),
  },
];
