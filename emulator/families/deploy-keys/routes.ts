// /repositories/{workspace}/{repo_slug}/deploy-keys[/{key_id}] and
// /workspaces/{workspace}/projects/{project_key}/deploy-keys[/{key_id}] (a project key has no PUT).
import { bodyObject, noContent, ok, paginate } from "../../http";
import { repoRef, Route } from "../../route";
import type { DeployKeys } from "./backend";
import { renderProjectDeployKey, renderRepositoryDeployKey } from "./render";

const REPOSITORY_KEYS = "/repositories/{workspace}/{repo_slug}/deploy-keys";
const PROJECT_KEYS = "/workspaces/{workspace}/projects/{project_key}/deploy-keys";

export const deployKeyRoutes: Route<DeployKeys>[] = [
  {
    method: "GET",
    template: REPOSITORY_KEYS,
    handler: (ctx, keys) => {
      const { repo, keys: listed } = keys.listOfRepository(ctx.caller, repoRef(ctx));
      return paginate(
        ctx,
        listed.map((k) => renderRepositoryDeployKey(ctx, repo, k)),
        { query: false },
      );
    },
  },
  {
    method: "POST",
    template: REPOSITORY_KEYS,
    handler: (ctx, keys) => {
      const { repo, key } = keys.addToRepository(ctx.caller, repoRef(ctx), bodyObject(ctx));
      return ok(renderRepositoryDeployKey(ctx, repo, key));
    },
  },
  {
    method: "GET",
    template: `${REPOSITORY_KEYS}/{key_id}`,
    handler: (ctx, keys) => {
      const { repo, key } = keys.getOfRepository(ctx.caller, repoRef(ctx), ctx.params.key_id);
      return ok(renderRepositoryDeployKey(ctx, repo, key));
    },
  },
  {
    method: "PUT",
    template: `${REPOSITORY_KEYS}/{key_id}`,
    handler: (ctx, keys) => {
      const { repo, key } = keys.updateOfRepository(ctx.caller, repoRef(ctx), ctx.params.key_id, bodyObject(ctx));
      return ok(renderRepositoryDeployKey(ctx, repo, key));
    },
  },
  {
    method: "DELETE",
    template: `${REPOSITORY_KEYS}/{key_id}`,
    handler: (ctx, keys) => {
      keys.removeFromRepository(ctx.caller, repoRef(ctx), ctx.params.key_id);
      return noContent();
    },
  },
  {
    method: "GET",
    template: PROJECT_KEYS,
    handler: (ctx, keys) => {
      const { ws, project, keys: listed } = keys.listOfProject(ctx.caller, ctx.params.workspace, ctx.params.project_key);
      return paginate(
        ctx,
        listed.map((k) => renderProjectDeployKey(ctx, ws, project, k)),
        { query: false },
      );
    },
  },
  {
    method: "POST",
    template: PROJECT_KEYS,
    handler: (ctx, keys) => {
      const { ws, project, key } = keys.addToProject(ctx.caller, ctx.params.workspace, ctx.params.project_key, bodyObject(ctx));
      return ok(renderProjectDeployKey(ctx, ws, project, key));
    },
  },
  {
    method: "GET",
    template: `${PROJECT_KEYS}/{key_id}`,
    handler: (ctx, keys) => {
      const { ws, project, key } = keys.getOfProject(ctx.caller, ctx.params.workspace, ctx.params.project_key, ctx.params.key_id);
      return ok(renderProjectDeployKey(ctx, ws, project, key));
    },
  },
  {
    method: "DELETE",
    template: `${PROJECT_KEYS}/{key_id}`,
    handler: (ctx, keys) => {
      keys.removeFromProject(ctx.caller, ctx.params.workspace, ctx.params.project_key, ctx.params.key_id);
      return noContent();
    },
  },
];
