// The endpoints the read functions (provider/functions/) call (`client.reads`), assembled from the
// families in endpoints/, which also hold the resources' endpoints (api.ts).
import { branchingModelReads } from "./endpoints/branchingModels";
import { endpointContext } from "./endpoints/context";
import { defaultReviewerReads } from "./endpoints/defaultReviewers";
import { forkReads } from "./endpoints/forks";
import { grantReads } from "./endpoints/grants";
import { pipelineReads } from "./endpoints/pipelines";
import { projectReads } from "./endpoints/projects";
import { pullRequestReads } from "./endpoints/pullRequests";
import { refReads } from "./endpoints/refs";
import { repositoryReads } from "./endpoints/repositories";
import { sourceReads } from "./endpoints/source";
import { workspaceReads } from "./endpoints/workspaces";
import { scheduleReads } from "./endpoints/pipelineSchedules";
import { hookEventReads } from "./endpoints/workspaceHooks";
import type { Send } from "./http";
import { MAX_PAGES } from "./paginate";

export type { BranchingModelObject } from "./endpoints/branchingModels";
export type { ListOptions } from "./endpoints/context";
export type { TypedReviewerObject } from "./endpoints/defaultReviewers";
export type { GrantObject } from "./endpoints/grants";
export type { EnvironmentObject, VariableObject } from "./endpoints/pipelines";
export type { ProjectObject } from "./endpoints/projects";
export type { PullRequestObject } from "./endpoints/pullRequests";
export type { CommitObject, RefObject } from "./endpoints/refs";
export type { RepositoryDetails } from "./endpoints/repositories";
export type { TreeEntryObject } from "./endpoints/source";
export type { AccountObject, MembershipObject, OidcConfigurationObject, OidcKeysObject, WorkspaceObject } from "./endpoints/workspaces";
export type { ScheduleObject } from "./endpoints/pipelineSchedules";
export type { HookEventObject } from "./endpoints/workspaceHooks";

/** `maxPages`: the most pages one listing reads (paginate.ts). */
export function createReads(send: Send, apiUrl: string, maxPages = MAX_PAGES) {
  const c = endpointContext(send, apiUrl, maxPages);
  return {
    ...workspaceReads(c),
    ...projectReads(c),
    ...repositoryReads(c),
    ...forkReads(c),
    ...refReads(c),
    ...pullRequestReads(c),
    ...sourceReads(c),
    ...grantReads(c),
    ...branchingModelReads(c),
    ...defaultReviewerReads(c),
    ...scheduleReads(c),
    ...hookEventReads(c),
    ...pipelineReads(c),
  };
}

export type Reads = ReturnType<typeof createReads>;
