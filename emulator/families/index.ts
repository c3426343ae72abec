// The families of the API the emulator serves: one row each, with its backend and its routes (the
// family's folder holds them, its render.ts and the types of its state). The server binds every row's
// routes to its backend; the router serves them and answers the removed endpoints 410.
import { family, Family } from "../route";
import type { Operation, RemovedEndpoint } from "../operation";
import { Content } from "./content/backend";
import { contentRoutes } from "./content/routes";
import { DefaultReviewers } from "./default-reviewers/backend";
import { defaultReviewerRoutes } from "./default-reviewers/routes";
import { DeployKeys } from "./deploy-keys/backend";
import { deployKeyRoutes } from "./deploy-keys/routes";
import { Hooks } from "./hooks/backend";
import { hookRoutes } from "./hooks/routes";
import { Permissions } from "./permissions/backend";
import { permissionRoutes } from "./permissions/routes";
import { Pipelines } from "./pipelines/backend";
import { pipelinesRoutes } from "./pipelines/routes";
import { Projects } from "./projects/backend";
import { projectRoutes } from "./projects/routes";
import { REMOVED_ENDPOINTS as REMOVED } from "./removed/routes";
import { Reports } from "./reports/backend";
import { reportRoutes } from "./reports/routes";
import { Repositories } from "./repositories/backend";
import { BranchRestrictions } from "./branch-restrictions/backend";
import { restrictionRoutes } from "./branch-restrictions/routes";
import { repositoryRoutes } from "./repositories/routes";
import { Settings } from "./settings/backend";
import { settingsRoutes } from "./settings/routes";
import { UserKeys } from "./user-keys/backend";
import { userKeyRoutes } from "./user-keys/routes";
import { Workspaces } from "./workspaces/backend";
import { BranchingModels } from "./branching-model/backend";
import { branchingModelRoutes } from "./branching-model/routes";
import { workspaceRoutes } from "./workspaces/routes";
import { PipelineSchedules } from "./pipeline-schedules/backend";
import { scheduleRoutes } from "./pipeline-schedules/routes";
import { PipelinesSsh } from "./pipelines-ssh/backend";
import { pipelinesSshRoutes } from "./pipelines-ssh/routes";
import { WorkspaceHooks } from "./workspace-hooks/backend";
import { workspaceHookRoutes } from "./workspace-hooks/routes";
import { Variables } from "./variables/backend";
import { variableRoutes } from "./variables/routes";
import { Deployments } from "./deployments/backend";
import { deploymentRoutes } from "./deployments/routes";

export const FAMILIES: readonly Family[] = [
  family("repositories", (db) => new Repositories(db), repositoryRoutes),
  family("hooks", (db) => new Hooks(db), hookRoutes),
  family("permissions", (db) => new Permissions(db), permissionRoutes),
  family("settings", (db) => new Settings(db), settingsRoutes),
  family("pipelines", (db) => new Pipelines(db), pipelinesRoutes),
  family("content", (db) => new Content(db), contentRoutes),
  family("workspaces", (db) => new Workspaces(db), workspaceRoutes),
  family("projects", (db) => new Projects(db), projectRoutes),
  family("reports", (db) => new Reports(db), reportRoutes),
  family("deploy-keys", (db) => new DeployKeys(db), deployKeyRoutes),
  family("branch-restrictions", (db) => new BranchRestrictions(db), restrictionRoutes),
  family("default-reviewers", (db) => new DefaultReviewers(db), defaultReviewerRoutes),
  family("user-keys", (db) => new UserKeys(db), userKeyRoutes),
  family("branching-model", (db) => new BranchingModels(db), branchingModelRoutes),
  family("pipeline-schedules", (db) => new PipelineSchedules(db), scheduleRoutes),
  family("pipelines-ssh", (db) => new PipelinesSsh(db), pipelinesSshRoutes),
  family("workspace-hooks", (db) => new WorkspaceHooks(db), workspaceHookRoutes),
  family("variables", (db) => new Variables(db), variableRoutes),
  family("deployments", (db) => new Deployments(db), deploymentRoutes),
  family("removed", () => null, [], REMOVED),
];

/** Every implemented operation. */
export const ROUTES: readonly Operation[] = FAMILIES.flatMap((f) => f.routes);

/** Every operation Atlassian removed. */
export const REMOVED_ENDPOINTS: readonly RemovedEndpoint[] = FAMILIES.flatMap((f) => f.removed);
