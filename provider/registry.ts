// The one table of resource kinds: kind name -> the module holding its fields, claims, provider and class.
// The runtime dispatches through it, the tests and the docs generator (scripts/docs.ts) iterate over
// it, and the package exports come from here. Adding a resource adds one row below and one export line.
import * as commitFile from "./resources/commitFile";
import * as defaultReviewers from "./resources/defaultReviewers";
import * as deployKey from "./resources/deployKey";
import * as branchRestriction from "./resources/branchRestriction";
import * as fork from "./resources/fork";
import * as gpgKey from "./resources/gpgKey";
import * as groupPermission from "./resources/groupPermission";
import * as overrideSettings from "./resources/overrideSettings";
import * as project from "./resources/project";
import * as projectAccess from "./resources/projectAccess";
import * as projectDeployKey from "./resources/projectDeployKey";
import * as projectGroupPermission from "./resources/projectGroupPermission";
import * as projectUserPermission from "./resources/projectUserPermission";
import * as repository from "./resources/repository";
import * as sshKey from "./resources/sshKey";
import * as repositoryAccess from "./resources/repositoryAccess";
import * as repositoryBranchRestrictions from "./resources/repositoryBranchRestrictions";
import * as repositoryWebhooks from "./resources/repositoryWebhooks";
import * as userPermission from "./resources/userPermission";
import type { ClaimRule } from "./resources/claims";
import type { ResourceProvider } from "./resources/common";
import type { Discovery } from "./resources/discovery";
import type { Fields } from "./resources/fields";
import * as webhook from "./resources/webhook";
import * as branchingModel from "./resources/branchingModel";
import * as projectBranchingModel from "./resources/projectBranchingModel";
import * as projectDefaultReviewers from "./resources/projectDefaultReviewers";
import * as pipelineSchedule from "./resources/pipelineSchedule";
import * as pipelineKnownHost from "./resources/pipelineKnownHost";
import * as pipelineSshKeyPair from "./resources/pipelineSshKeyPair";
import * as workspaceWebhook from "./resources/workspaceWebhook";
import * as workspaceWebhooks from "./resources/workspaceWebhooks";
import * as pipelinesConfig from "./resources/pipelinesConfig";
import * as repositoryVariable from "./resources/repositoryVariable";
import * as workspaceVariable from "./resources/workspaceVariable";
import * as deploymentEnvironment from "./resources/deploymentEnvironment";
import * as deploymentVariable from "./resources/deploymentVariable";

export const RESOURCES = {
  Repository: repository,
  Fork: fork,
  Webhook: webhook,
  GroupPermission: groupPermission,
  UserPermission: userPermission,
  OverrideSettings: overrideSettings,
  RepositoryAccess: repositoryAccess,
  ProjectAccess: projectAccess,
  RepositoryWebhooks: repositoryWebhooks,
  Project: project,
  DeployKey: deployKey,
  ProjectDeployKey: projectDeployKey,
  BranchRestriction: branchRestriction,
  ProjectGroupPermission: projectGroupPermission,
  ProjectUserPermission: projectUserPermission,
  DefaultReviewers: defaultReviewers,
  CommitFile: commitFile,
  SshKey: sshKey,
  GpgKey: gpgKey,
  BranchingModel: branchingModel,
  ProjectBranchingModel: projectBranchingModel,
  ProjectDefaultReviewers: projectDefaultReviewers,
  RepositoryBranchRestrictions: repositoryBranchRestrictions,
  PipelineSchedule: pipelineSchedule,
  PipelineKnownHost: pipelineKnownHost,
  PipelineSshKeyPair: pipelineSshKeyPair,
  WorkspaceWebhook: workspaceWebhook,
  WorkspaceWebhooks: workspaceWebhooks,
  PipelinesConfig: pipelinesConfig,
  RepositoryVariable: repositoryVariable,
  WorkspaceVariable: workspaceVariable,
  DeploymentEnvironment: deploymentEnvironment,
  DeploymentVariable: deploymentVariable,
} satisfies Record<
  string,
  { provider: ResourceProvider; claims: ClaimRule; FIELDS: { rows: Fields; createOnlyKeys: readonly string[] }; discovery?: Discovery }
>;

export type ResourceKind = keyof typeof RESOURCES;

export { Repository, type RepositoryArgs } from "./resources/repository";
export { Fork, type ForkArgs } from "./resources/fork";
export { Webhook, type WebhookArgs, type WebhookEvent } from "./resources/webhook";
export { GroupPermission, type GroupPermissionArgs } from "./resources/groupPermission";
export { UserPermission, type UserPermissionArgs } from "./resources/userPermission";
export { OverrideSettings, type OverrideSettingsArgs } from "./resources/overrideSettings";
export { RepositoryAccess, type RepositoryAccessArgs } from "./resources/repositoryAccess";
export { ProjectAccess, type ProjectAccessArgs } from "./resources/projectAccess";
export { RepositoryWebhooks, type RepositoryWebhooksArgs, type RepositoryWebhook } from "./resources/repositoryWebhooks";
export { Project, type ProjectArgs } from "./resources/project";
export { DeployKey, type DeployKeyArgs } from "./resources/deployKey";
export { ProjectDeployKey, type ProjectDeployKeyArgs } from "./resources/projectDeployKey";
export { BranchRestriction, type BranchRestrictionArgs, type BranchRestrictionKind } from "./resources/branchRestriction";
export { ProjectGroupPermission, type ProjectGroupPermissionArgs } from "./resources/projectGroupPermission";
export { ProjectUserPermission, type ProjectUserPermissionArgs } from "./resources/projectUserPermission";
export { DefaultReviewers, type DefaultReviewersArgs } from "./resources/defaultReviewers";
export { CommitFile, type CommitFileArgs } from "./resources/commitFile";
export { SshKey, type SshKeyArgs } from "./resources/sshKey";
export { GpgKey, type GpgKeyArgs } from "./resources/gpgKey";
export { BranchingModel, type BranchingModelArgs } from "./resources/branchingModel";
export { ProjectBranchingModel, type ProjectBranchingModelArgs } from "./resources/projectBranchingModel";
export { ProjectDefaultReviewers, type ProjectDefaultReviewersArgs } from "./resources/projectDefaultReviewers";
export {
  RepositoryBranchRestrictions,
  type RepositoryBranchRestrictionsArgs,
  type RepositoryBranchRestriction,
} from "./resources/repositoryBranchRestrictions";
export { PipelineSchedule, type PipelineScheduleArgs, type PipelineSelector } from "./resources/pipelineSchedule";
export { PipelineKnownHost, type PipelineKnownHostArgs } from "./resources/pipelineKnownHost";
export { PipelineSshKeyPair, type PipelineSshKeyPairArgs } from "./resources/pipelineSshKeyPair";
export { WorkspaceWebhook, type WorkspaceWebhookArgs } from "./resources/workspaceWebhook";
export { WorkspaceWebhooks, type WorkspaceWebhooksArgs } from "./resources/workspaceWebhooks";
export { PipelinesConfig, type PipelinesConfigArgs } from "./resources/pipelinesConfig";
export { RepositoryVariable, type RepositoryVariableArgs } from "./resources/repositoryVariable";
export { WorkspaceVariable, type WorkspaceVariableArgs } from "./resources/workspaceVariable";
export { DeploymentEnvironment, type DeploymentEnvironmentArgs, type EnvironmentType } from "./resources/deploymentEnvironment";
export { DeploymentVariable, type DeploymentVariableArgs } from "./resources/deploymentVariable";
