// /repositories/{workspace}/{repo_slug}/override-settings and …/pipelines_config.
import { bodyObject, noContent, ok } from "../http";
import { renderOverrideSettings, renderPipelinesConfig } from "../render";
import { repoRef, Route } from "./route";

export const settingsRoutes: Route[] = [
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/override-settings",
    handler: (ctx) => ok(renderOverrideSettings(ctx.backend.settings.overrides(ctx.caller, repoRef(ctx)))),
  },
  {
    method: "PUT",
    template: "/repositories/{workspace}/{repo_slug}/override-settings",
    handler: (ctx) => {
      ctx.backend.settings.setOverrides(ctx.caller, repoRef(ctx), bodyObject(ctx));
      return noContent();
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/pipelines_config",
    handler: (ctx) => ok(renderPipelinesConfig(ctx, ctx.backend.settings.pipelines(ctx.caller, repoRef(ctx)))),
  },
  {
    method: "PUT",
    template: "/repositories/{workspace}/{repo_slug}/pipelines_config",
    handler: (ctx) => ok(renderPipelinesConfig(ctx, ctx.backend.settings.setPipelines(ctx.caller, repoRef(ctx), bodyObject(ctx)))),
  },
];
