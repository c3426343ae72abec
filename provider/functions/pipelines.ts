// Pipelines: the deployment environments of a repository, and the pipeline variables of a repository
// and of a workspace. A secured variable's value is never returned (Bitbucket never sends it): only its
// key and `secured: true`.
import { z } from "zod";
import type { EnvironmentObject, VariableObject } from "../client/reads";
import { inRepository, readFunction, RepositoryName, RepositoryRef, repositoryFunction, Workspace } from "./common";

/** A pipeline variable as the read functions report it (`RepositoryVariable` is the resource). */
export interface PipelineVariableInfo {
  uuid: string;
  key: string;
  secured: boolean;
  /** Absent for a secured variable: Bitbucket never returns its value. */
  value?: string;
}

function toVariable(v: VariableObject): PipelineVariableInfo {
  const secured = v.secured ?? false;
  return { uuid: v.uuid, key: v.key, secured, ...(secured ? {} : { value: v.value ?? "" }) };
}

/** A deployment environment as the read functions report it (`DeploymentEnvironment` is the resource). */
export interface EnvironmentInfo {
  uuid: string;
  name: string;
  /** `Test`, `Staging` or `Production`. */
  environmentType?: string;
  rank?: number;
  adminOnly?: boolean;
}

function toEnvironment(e: EnvironmentObject): EnvironmentInfo {
  return { uuid: e.uuid, name: e.name, environmentType: e.environment_type?.name, rank: e.rank, adminOnly: e.restrictions?.admin_only ?? undefined };
}

export interface GetDeploymentEnvironmentsResult {
  workspace: string;
  repository: string;
  environments: EnvironmentInfo[];
}

/** The deployment environments of a repository (what `DeploymentVariable.environment` takes is their `uuid`). */
export const { promise: getDeploymentEnvironments, output: getDeploymentEnvironmentsOutput } = repositoryFunction(
  "getDeploymentEnvironments",
  RepositoryRef,
  async (_args: RepositoryRef, repo: RepositoryName, client) => ({
    environments: (await inRepository(client, repo, () => client.reads.environments(repo.workspace, repo.slug))).map(toEnvironment),
  }),
);

export interface GetRepositoryVariablesResult {
  workspace: string;
  repository: string;
  variables: PipelineVariableInfo[];
}

/** The pipeline variables of a repository, secured values left out; needs admin rights on it. */
export const { promise: getRepositoryVariables, output: getRepositoryVariablesOutput } = repositoryFunction(
  "getRepositoryVariables",
  RepositoryRef,
  async (_args: RepositoryRef, repo: RepositoryName, client) => ({
    variables: (await inRepository(client, repo, () => client.reads.repositoryVariables(repo.workspace, repo.slug))).map(toVariable),
  }),
);

export interface GetWorkspaceVariablesArgs {
  /** A workspace slug or {uuid}. */
  workspace: string;
}

export interface GetWorkspaceVariablesResult {
  workspace: string;
  variables: PipelineVariableInfo[];
}

/** The pipeline variables of a workspace, secured values left out; needs admin rights on the workspace. */
export const { promise: getWorkspaceVariables, output: getWorkspaceVariablesOutput } = readFunction(
  "getWorkspaceVariables",
  z.strictObject({ workspace: Workspace }),
  async (args: GetWorkspaceVariablesArgs, client): Promise<GetWorkspaceVariablesResult> => ({
    workspace: args.workspace,
    variables: (await client.reads.workspaceVariables(args.workspace)).map(toVariable),
  }),
);
