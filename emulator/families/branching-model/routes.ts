// /repositories/{workspace}/{repo_slug}/branching-model[/settings], …/effective-branching-model and
// /workspaces/{workspace}/projects/{project_key}/branching-model[/settings].
import { bodyObject, ok } from "../../http";
import { repoRef, Route } from "../../route";
import type { BranchingModels } from "./backend";
import { renderProjectModel, renderProjectSettings, renderRepositoryModel, renderRepositorySettings } from "./render";

const REPOSITORY = "/repositories/{workspace}/{repo_slug}";
const PROJECT = "/workspaces/{workspace}/projects/{project_key}";

export const branchingModelRoutes: Route<BranchingModels>[] = [
  {
    method: "GET",
    template: `${REPOSITORY}/branching-model/settings`,
    handler: (ctx, models) => {
      const { repo, settings } = models.settingsOfRepository(ctx.caller, repoRef(ctx));
      return ok(renderRepositorySettings(ctx, repo, settings));
    },
  },
  {
    method: "PUT",
    template: `${REPOSITORY}/branching-model/settings`,
    handler: (ctx, models) => {
      const { repo, settings } = models.updateRepository(ctx.caller, repoRef(ctx), bodyObject(ctx));
      return ok(renderRepositorySettings(ctx, repo, settings));
    },
  },
  {
    method: "GET",
    template: `${REPOSITORY}/branching-model`,
    handler: (ctx, models) => {
      const { repo, settings } = models.effectiveOfRepository(ctx.caller, repoRef(ctx));
      return ok(renderRepositoryModel(repo, settings, "branching_model"));
    },
  },
  {
    method: "GET",
    template: `${REPOSITORY}/effective-branching-model`,
    handler: (ctx, models) => {
      const { repo, settings } = models.effectiveOfRepository(ctx.caller, repoRef(ctx));
      return ok(renderRepositoryModel(repo, settings, "effective_repo_branching_model"));
    },
  },
  {
    method: "GET",
    template: `${PROJECT}/branching-model/settings`,
    handler: (ctx, models) => {
      const { ws, project, settings } = models.settingsOfProject(ctx.caller, ctx.params.workspace, ctx.params.project_key);
      return ok(renderProjectSettings(ctx, ws, project, settings));
    },
  },
  {
    method: "PUT",
    template: `${PROJECT}/branching-model/settings`,
    handler: (ctx, models) => {
      const { ws, project, settings } = models.updateProject(ctx.caller, ctx.params.workspace, ctx.params.project_key, bodyObject(ctx));
      return ok(renderProjectSettings(ctx, ws, project, settings));
    },
  },
  {
    method: "GET",
    template: `${PROJECT}/branching-model`,
    handler: (ctx, models) => ok(renderProjectModel(models.ofProject(ctx.caller, ctx.params.workspace, ctx.params.project_key).settings)),
  },
];
