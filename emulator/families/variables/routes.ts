// /repositories/{workspace}/{repo_slug}/pipelines_config/variables[/{variable_uuid}] and
// /workspaces/{workspace}/pipelines-config/variables[/{variable_uuid}] (what Bitbucket serves for a
// workspace; the older /teams/{username}/pipelines_config/variables is not served).
import { bodyObject, created, noContent, ok, paginate } from "../../http";
import { repoRef, Route } from "../../route";
import type { Variables } from "./backend";
import { addedAt, renderVariable } from "./rules";

const REPOSITORY_VARIABLES = "/repositories/{workspace}/{repo_slug}/pipelines_config/variables";
const WORKSPACE_VARIABLES = "/workspaces/{workspace}/pipelines-config/variables";
const render = (v: Parameters<typeof renderVariable>[1]) => renderVariable("pipeline_variable", v);

export const variableRoutes: Route<Variables>[] = [
  {
    method: "GET",
    template: REPOSITORY_VARIABLES,
    handler: (ctx, variables) => paginate(ctx, variables.listOfRepository(ctx.caller, repoRef(ctx)).map(render), { query: false }),
  },
  {
    method: "POST",
    template: REPOSITORY_VARIABLES,
    handler: (ctx, variables) => {
      const added = variables.addToRepository(ctx.caller, repoRef(ctx), bodyObject(ctx));
      return created(render(added), addedAt(ctx, added));
    },
  },
  {
    method: "GET",
    template: `${REPOSITORY_VARIABLES}/{variable_uuid}`,
    handler: (ctx, variables) => ok(render(variables.getOfRepository(ctx.caller, repoRef(ctx), ctx.params.variable_uuid))),
  },
  {
    method: "PUT",
    template: `${REPOSITORY_VARIABLES}/{variable_uuid}`,
    handler: (ctx, variables) => ok(render(variables.updateOfRepository(ctx.caller, repoRef(ctx), ctx.params.variable_uuid, bodyObject(ctx)))),
  },
  {
    method: "DELETE",
    template: `${REPOSITORY_VARIABLES}/{variable_uuid}`,
    handler: (ctx, variables) => {
      variables.removeFromRepository(ctx.caller, repoRef(ctx), ctx.params.variable_uuid);
      return noContent();
    },
  },
  {
    method: "GET",
    template: WORKSPACE_VARIABLES,
    handler: (ctx, variables) => paginate(ctx, variables.listOfWorkspace(ctx.caller, ctx.params.workspace).map(render), { query: false }),
  },
  {
    method: "POST",
    template: WORKSPACE_VARIABLES,
    handler: (ctx, variables) => {
      const added = variables.addToWorkspace(ctx.caller, ctx.params.workspace, bodyObject(ctx));
      return created(render(added), addedAt(ctx, added));
    },
  },
  {
    method: "GET",
    template: `${WORKSPACE_VARIABLES}/{variable_uuid}`,
    handler: (ctx, variables) => ok(render(variables.getOfWorkspace(ctx.caller, ctx.params.workspace, ctx.params.variable_uuid))),
  },
  {
    method: "PUT",
    template: `${WORKSPACE_VARIABLES}/{variable_uuid}`,
    handler: (ctx, variables) => ok(render(variables.updateOfWorkspace(ctx.caller, ctx.params.workspace, ctx.params.variable_uuid, bodyObject(ctx)))),
  },
  {
    method: "DELETE",
    template: `${WORKSPACE_VARIABLES}/{variable_uuid}`,
    handler: (ctx, variables) => {
      variables.removeFromWorkspace(ctx.caller, ctx.params.workspace, ctx.params.variable_uuid);
      return noContent();
    },
  },
];
