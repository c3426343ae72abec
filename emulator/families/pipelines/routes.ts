// /repositories/{workspace}/{repo_slug}/pipelines_config.
import { bodyObject, ok } from "../../http";
import { repoRef, Route } from "../../route";
import type { Pipelines } from "./backend";
import { renderPipelinesConfig } from "./render";

export const pipelinesRoutes: Route<Pipelines>[] = [
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/pipelines_config",
    handler: (ctx, pipelines) => ok(renderPipelinesConfig(ctx, pipelines.config(ctx.caller, repoRef(ctx)))),
  },
  {
    method: "PUT",
    template: "/repositories/{workspace}/{repo_slug}/pipelines_config",
    handler: (ctx, pipelines) => ok(renderPipelinesConfig(ctx, pipelines.setConfig(ctx.caller, repoRef(ctx), bodyObject(ctx)))),
  },
];
