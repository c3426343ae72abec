// /workspaces/{workspace}/hooks[/{uid}] and /hook_events[/{subject_type}].
import { bodyObject, created, noContent, ok, paginate } from "../../http";
import type { Route } from "../../route";
import { api } from "../../view";
import { SUBJECT_TYPES, WorkspaceHooks } from "./backend";
import { renderHookEvent, renderSubjectTypes, renderWorkspaceHook } from "./render";

const HOOKS = "/workspaces/{workspace}/hooks";
const HOOK = `${HOOKS}/{uid}`;

export const workspaceHookRoutes: Route<WorkspaceHooks>[] = [
  {
    method: "GET",
    template: HOOKS,
    handler: (ctx, hooks) => {
      const { ws, hooks: listed } = hooks.list(ctx.caller, ctx.params.workspace);
      return paginate(
        ctx,
        listed.map((h) => renderWorkspaceHook(ctx, ws, h)),
        { query: false },
      );
    },
  },
  {
    method: "POST",
    template: HOOKS,
    handler: (ctx, hooks) => {
      const { ws, hook } = hooks.create(ctx.caller, ctx.params.workspace, bodyObject(ctx));
      return created(renderWorkspaceHook(ctx, ws, hook), { Location: api(ctx, `/workspaces/${ws.slug}/hooks/${encodeURIComponent(hook.uuid)}`) });
    },
  },
  {
    method: "GET",
    template: HOOK,
    handler: (ctx, hooks) => {
      const { ws, hook } = hooks.get(ctx.caller, ctx.params.workspace, ctx.params.uid);
      return ok(renderWorkspaceHook(ctx, ws, hook));
    },
  },
  {
    method: "PUT",
    template: HOOK,
    handler: (ctx, hooks) => {
      const { ws, hook } = hooks.update(ctx.caller, ctx.params.workspace, ctx.params.uid, bodyObject(ctx));
      return ok(renderWorkspaceHook(ctx, ws, hook));
    },
  },
  {
    method: "DELETE",
    template: HOOK,
    handler: (ctx, hooks) => {
      hooks.delete(ctx.caller, ctx.params.workspace, ctx.params.uid);
      return noContent();
    },
  },
  { method: "GET", template: "/hook_events", handler: (ctx) => ok(renderSubjectTypes(ctx, SUBJECT_TYPES)) },
  {
    method: "GET",
    template: "/hook_events/{subject_type}",
    handler: (ctx, hooks) =>
      paginate(
        ctx,
        hooks.eventsOf(ctx.params.subject_type).map((e) => renderHookEvent(e)),
        { query: false, defaultPagelen: 30 },
      ),
  },
];
