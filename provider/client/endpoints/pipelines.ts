// Pipelines: a repository's switch (`pipelines_config`), the pipeline variables of a repository and of a
// workspace, and deployment environments with their variables. A secured variable's value is never in
// an answer. Variable and environment POSTs are retried like the others (idempotent): Bitbucket refuses
// a key or a name already used (409), so a retry after a lost answer meets that refusal, and the
// resources then take over what the first attempt made.
import { z } from "zod";
import { EndpointContext, maybe, REPOSITORY, repositoryParams } from "./context";

export const PipelinesConfigObject = z.looseObject({ enabled: maybe(z.boolean()) });

export const VariableObject = z.looseObject({
  uuid: z.string(),
  key: z.string(),
  /** Absent (or empty) for a secured variable. */
  value: maybe(z.string()),
  secured: maybe(z.boolean()),
});
export type VariableObject = z.infer<typeof VariableObject>;

export interface VariableBody {
  key: string;
  value: string;
  secured: boolean;
}

export const EnvironmentObject = z.looseObject({
  uuid: z.string(),
  name: z.string(),
  rank: maybe(z.number()),
  environment_type: maybe(z.looseObject({ name: z.string() })),
  restrictions: maybe(z.looseObject({ admin_only: maybe(z.boolean()) })),
});
export type EnvironmentObject = z.infer<typeof EnvironmentObject>;

export interface EnvironmentBody {
  name: string;
  environment_type?: { name: string };
  rank?: number;
  restrictions?: { admin_only: boolean };
}

const PIPELINES_CONFIG = `${REPOSITORY}/pipelines_config`;
const REPOSITORY_VARIABLES = `${REPOSITORY}/pipelines_config/variables`;
const REPOSITORY_VARIABLE = `${REPOSITORY_VARIABLES}/{variable_uuid}`;
const WORKSPACE_VARIABLES = "/workspaces/{workspace}/pipelines-config/variables";
const WORKSPACE_VARIABLE = `${WORKSPACE_VARIABLES}/{variable_uuid}`;
const ENVIRONMENTS = `${REPOSITORY}/environments`;
const ENVIRONMENT = `${ENVIRONMENTS}/{environment_uuid}`;
const DEPLOYMENT_VARIABLES = `${REPOSITORY}/deployments_config/environments/{environment_uuid}/variables`;
const DEPLOYMENT_VARIABLE = `${DEPLOYMENT_VARIABLES}/{variable_uuid}`;

export function pipelineEndpoints(c: EndpointContext) {
  const repositoryVariable = (workspace: string, repoSlug: string, uuid: string) => ({ ...repositoryParams(workspace, repoSlug), variable_uuid: uuid });
  const environment = (workspace: string, repoSlug: string, uuid: string) => ({ ...repositoryParams(workspace, repoSlug), environment_uuid: uuid });
  const deploymentVariable = (workspace: string, repoSlug: string, environmentUuid: string, uuid: string) => ({
    ...environment(workspace, repoSlug, environmentUuid),
    variable_uuid: uuid,
  });
  return {
    async getPipelinesEnabled(workspace: string, repoSlug: string): Promise<boolean> {
      return (await c.get(PipelinesConfigObject, PIPELINES_CONFIG, repositoryParams(workspace, repoSlug))).enabled ?? false;
    },
    async putPipelinesEnabled(workspace: string, repoSlug: string, enabled: boolean): Promise<boolean> {
      const body = { enabled };
      return (
        (await c.request(PipelinesConfigObject, { method: "PUT", route: PIPELINES_CONFIG, params: repositoryParams(workspace, repoSlug), body })).enabled ??
        enabled
      );
    },

    listRepositoryVariables: (workspace: string, repoSlug: string): Promise<VariableObject[]> =>
      c.list(VariableObject, REPOSITORY_VARIABLES, repositoryParams(workspace, repoSlug)),
    createRepositoryVariable: (workspace: string, repoSlug: string, body: VariableBody): Promise<VariableObject> =>
      c.request(VariableObject, { method: "POST", route: REPOSITORY_VARIABLES, params: repositoryParams(workspace, repoSlug), body, idempotent: true }),
    getRepositoryVariable: (workspace: string, repoSlug: string, uuid: string): Promise<VariableObject> =>
      c.get(VariableObject, REPOSITORY_VARIABLE, repositoryVariable(workspace, repoSlug, uuid)),
    updateRepositoryVariable: (workspace: string, repoSlug: string, uuid: string, body: VariableBody): Promise<VariableObject> =>
      c.request(VariableObject, { method: "PUT", route: REPOSITORY_VARIABLE, params: repositoryVariable(workspace, repoSlug, uuid), body }),
    deleteRepositoryVariable: (workspace: string, repoSlug: string, uuid: string): Promise<void> =>
      c.delete(REPOSITORY_VARIABLE, repositoryVariable(workspace, repoSlug, uuid)),

    listWorkspaceVariables: (workspace: string): Promise<VariableObject[]> => c.list(VariableObject, WORKSPACE_VARIABLES, { workspace }),
    createWorkspaceVariable: (workspace: string, body: VariableBody): Promise<VariableObject> =>
      c.request(VariableObject, { method: "POST", route: WORKSPACE_VARIABLES, params: { workspace }, body, idempotent: true }),
    getWorkspaceVariable: (workspace: string, uuid: string): Promise<VariableObject> =>
      c.get(VariableObject, WORKSPACE_VARIABLE, { workspace, variable_uuid: uuid }),
    updateWorkspaceVariable: (workspace: string, uuid: string, body: VariableBody): Promise<VariableObject> =>
      c.request(VariableObject, { method: "PUT", route: WORKSPACE_VARIABLE, params: { workspace, variable_uuid: uuid }, body }),
    deleteWorkspaceVariable: (workspace: string, uuid: string): Promise<void> => c.delete(WORKSPACE_VARIABLE, { workspace, variable_uuid: uuid }),

    listEnvironments: (workspace: string, repoSlug: string): Promise<EnvironmentObject[]> =>
      c.list(EnvironmentObject, ENVIRONMENTS, repositoryParams(workspace, repoSlug)),
    createEnvironment: (workspace: string, repoSlug: string, body: EnvironmentBody): Promise<EnvironmentObject> =>
      c.request(EnvironmentObject, { method: "POST", route: ENVIRONMENTS, params: repositoryParams(workspace, repoSlug), body, idempotent: true }),
    getEnvironment: (workspace: string, repoSlug: string, uuid: string): Promise<EnvironmentObject> =>
      c.get(EnvironmentObject, ENVIRONMENT, environment(workspace, repoSlug, uuid)),
    /** The spec's update: `POST …/changes`, answered 202 without a body (read the environment back). */
    async changeEnvironment(workspace: string, repoSlug: string, uuid: string, body: Partial<EnvironmentBody>): Promise<void> {
      await c.send({ method: "POST", route: `${ENVIRONMENT}/changes`, params: environment(workspace, repoSlug, uuid), body, idempotent: true });
    },
    deleteEnvironment: (workspace: string, repoSlug: string, uuid: string): Promise<void> => c.delete(ENVIRONMENT, environment(workspace, repoSlug, uuid)),

    /** The spec has no GET of one deployment variable: reads find it in this list. */
    listDeploymentVariables: (workspace: string, repoSlug: string, environmentUuid: string): Promise<VariableObject[]> =>
      c.list(VariableObject, DEPLOYMENT_VARIABLES, environment(workspace, repoSlug, environmentUuid)),
    createDeploymentVariable: (workspace: string, repoSlug: string, environmentUuid: string, body: VariableBody): Promise<VariableObject> =>
      c.request(VariableObject, {
        method: "POST",
        route: DEPLOYMENT_VARIABLES,
        params: environment(workspace, repoSlug, environmentUuid),
        body,
        idempotent: true,
      }),
    updateDeploymentVariable: (workspace: string, repoSlug: string, environmentUuid: string, uuid: string, body: VariableBody): Promise<VariableObject> =>
      c.request(VariableObject, { method: "PUT", route: DEPLOYMENT_VARIABLE, params: deploymentVariable(workspace, repoSlug, environmentUuid, uuid), body }),
    deleteDeploymentVariable: (workspace: string, repoSlug: string, environmentUuid: string, uuid: string): Promise<void> =>
      c.delete(DEPLOYMENT_VARIABLE, deploymentVariable(workspace, repoSlug, environmentUuid, uuid)),
  };
}

/** The read functions' endpoints: lists only, secured values absent as Bitbucket sends them. */
export function pipelineReads(c: EndpointContext) {
  const api = pipelineEndpoints(c);
  return { environments: api.listEnvironments, repositoryVariables: api.listRepositoryVariables, workspaceVariables: api.listWorkspaceVariables };
}
