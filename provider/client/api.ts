// The endpoints resources, import and drift call (`client.api`), assembled from the families in
// endpoints/ (one file each: its answers' zod schemas, its request bodies, its calls; only they know
// the API's paths). reads.ts assembles the read functions' endpoints from the same families. The reads
// of one object of a listable collection are merged while in flight together (mergedReads.ts, merge.ts).
import { branchingModelEndpoints } from "./endpoints/branchingModels";
import { branchRestrictionEndpoints } from "./endpoints/branchRestrictions";
import { endpointContext } from "./endpoints/context";
import { defaultReviewerEndpoints } from "./endpoints/defaultReviewers";
import { deployKeyEndpoints } from "./endpoints/deployKeys";
import { forkEndpoints } from "./endpoints/forks";
import { grantEndpoints } from "./endpoints/grants";
import { hookEndpoints } from "./endpoints/hooks";
import { createReadMerging, MERGED_LIST_PAGES, type MergeOptions } from "./merge";
import { mergedReads } from "./mergedReads";
import { projectEndpoints } from "./endpoints/projects";
import { pipelineEndpoints } from "./endpoints/pipelines";
import { reportEndpoints } from "./endpoints/reports";
import { repositoryEndpoints } from "./endpoints/repositories";
import { settingsEndpoints } from "./endpoints/settings";
import { sourceEndpoints } from "./endpoints/source";
import { userKeyEndpoints } from "./endpoints/userKeys";
import { scheduleEndpoints } from "./endpoints/pipelineSchedules";
import { pipelinesSshEndpoints } from "./endpoints/pipelinesSsh";
import { workspaceHookEndpoints } from "./endpoints/workspaceHooks";
import type { Send } from "./http";
import { MAX_PAGES } from "./paginate";
import type { CreateOnce } from "./retry";

export { DeployKeyObject, type DeployKeyBody } from "./endpoints/deployKeys";
export { BranchRestrictionObject, type BranchRestrictionBody } from "./endpoints/branchRestrictions";
export type { ForkBody } from "./endpoints/forks";
export { Permission, ProjectPermission, UserPermissionObject } from "./endpoints/grants";
export { HookObject, type HookBody } from "./endpoints/hooks";
export { ProjectObject, type ProjectBody } from "./endpoints/projects";
export type { AnnotationBody, ReportBody } from "./endpoints/reports";
export { RepositoryObject, type RepositoryBody } from "./endpoints/repositories";
export type { OverrideSettings } from "./endpoints/settings";
export type { CommitFilesBody } from "./endpoints/source";
export { GpgKeyObject, SshKeyObject, type GpgKeyBody, type SshKeyBody } from "./endpoints/userKeys";
export { ScheduleObject, type ScheduleBody } from "./endpoints/pipelineSchedules";
export { KeyPairObject, KnownHostObject, type KnownHostBody } from "./endpoints/pipelinesSsh";
export { EnvironmentObject, VariableObject, type EnvironmentBody, type VariableBody } from "./endpoints/pipelines";

/**
 * `maxPages`: the most pages one listing reads (paginate.ts); `merging`: how long a read waits for others
 * of its collection and how long a list serves the reads after it (merge.ts).
 */
export function createApi(send: Send, apiUrl: string, createOnce: CreateOnce, maxPages = MAX_PAGES, merging: MergeOptions = {}) {
  const reads = createReadMerging(merging);
  const watched = reads.watchWrites(send);
  const plain = plainApi(watched, apiUrl, createOnce, maxPages);
  // The merged reads' lists stop at MERGED_LIST_PAGES (merge.ts).
  const shortLists = plainApi(watched, apiUrl, createOnce, Math.min(maxPages, MERGED_LIST_PAGES));
  return { ...plain, ...mergedReads(plain, shortLists, reads.merge) };
}

/** Every call as one request (or one listing) of its own. */
function plainApi(send: Send, apiUrl: string, createOnce: CreateOnce, maxPages: number) {
  const c = endpointContext(send, apiUrl, maxPages);
  const grants = grantEndpoints(c);
  return {
    /** Creation without a key the API can dedupe on, made at most once (retry.ts, createOnceWith). */
    createOnce,
    ...repositoryEndpoints(c),
    ...forkEndpoints(c),
    ...hookEndpoints(c),
    /** `repositoryGrants` and `projectGrants`: `{ groups, users }`, each with get, put, delete and list. */
    ...grants,
    ...settingsEndpoints(c),
    ...projectEndpoints(c),
    ...reportEndpoints(c),
    ...deployKeyEndpoints(c),
    ...branchRestrictionEndpoints(c),
    ...defaultReviewerEndpoints(c),
    ...sourceEndpoints(c),
    ...userKeyEndpoints(c),
    ...branchingModelEndpoints(c),
    ...scheduleEndpoints(c),
    ...pipelinesSshEndpoints(c),
    ...workspaceHookEndpoints(c),
    ...pipelineEndpoints(c),
  };
}

export type PlainApi = ReturnType<typeof plainApi>;
export type Api = ReturnType<typeof createApi>;
