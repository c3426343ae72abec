// /repositories/{workspace}/{repo_slug}/environments[/{environment_uuid}[/changes]] and
// /repositories/{workspace}/{repo_slug}/deployments_config/environments/{environment_uuid}/variables[/{variable_uuid}]
// (the spec has no GET of one deployment variable: only the list).
import { bodyObject, created, noContent, ok, paginate } from "../../http";
import { repoRef, Route } from "../../route";
import { repoUrl } from "../repositories/render";
import { addedAt, renderVariable } from "../variables/rules";
import type { Deployments } from "./backend";
import { renderEnvironment } from "./render";

const ENVIRONMENTS = "/repositories/{workspace}/{repo_slug}/environments";
const VARIABLES = "/repositories/{workspace}/{repo_slug}/deployments_config/environments/{environment_uuid}/variables";
const render = (v: Parameters<typeof renderVariable>[1]) => renderVariable("deployment_variable", v);

export const deploymentRoutes: Route<Deployments>[] = [
  {
    method: "GET",
    template: ENVIRONMENTS,
    handler: (ctx, deployments) => paginate(ctx, deployments.list(ctx.caller, repoRef(ctx)).environments.map(renderEnvironment), { query: false }),
  },
  {
    method: "POST",
    template: ENVIRONMENTS,
    handler: (ctx, deployments) => {
      const { repo, environment } = deployments.create(ctx.caller, repoRef(ctx), bodyObject(ctx));
      return created(renderEnvironment(environment), { Location: `${repoUrl(ctx, repo)}/environments/${encodeURIComponent(environment.uuid)}` });
    },
  },
  {
    method: "GET",
    template: `${ENVIRONMENTS}/{environment_uuid}`,
    handler: (ctx, deployments) => ok(renderEnvironment(deployments.get(ctx.caller, repoRef(ctx), ctx.params.environment_uuid).environment)),
  },
  {
    method: "DELETE",
    template: `${ENVIRONMENTS}/{environment_uuid}`,
    handler: (ctx, deployments) => {
      deployments.delete(ctx.caller, repoRef(ctx), ctx.params.environment_uuid);
      return noContent();
    },
  },
  {
    method: "POST",
    template: `${ENVIRONMENTS}/{environment_uuid}/changes`,
    handler: (ctx, deployments) => {
      deployments.change(ctx.caller, repoRef(ctx), ctx.params.environment_uuid, bodyObject(ctx));
      return { status: 202 };
    },
  },
  {
    method: "GET",
    template: VARIABLES,
    handler: (ctx, deployments) =>
      paginate(ctx, deployments.listVariables(ctx.caller, repoRef(ctx), ctx.params.environment_uuid).map(render), { query: false }),
  },
  {
    method: "POST",
    template: VARIABLES,
    handler: (ctx, deployments) => {
      const added = deployments.addVariable(ctx.caller, repoRef(ctx), ctx.params.environment_uuid, bodyObject(ctx));
      return created(render(added), addedAt(ctx, added));
    },
  },
  {
    method: "PUT",
    template: `${VARIABLES}/{variable_uuid}`,
    handler: (ctx, deployments) =>
      ok(render(deployments.updateVariable(ctx.caller, repoRef(ctx), ctx.params.environment_uuid, ctx.params.variable_uuid, bodyObject(ctx)))),
  },
  {
    method: "DELETE",
    template: `${VARIABLES}/{variable_uuid}`,
    handler: (ctx, deployments) => {
      deployments.removeVariable(ctx.caller, repoRef(ctx), ctx.params.environment_uuid, ctx.params.variable_uuid);
      return noContent();
    },
  },
];
