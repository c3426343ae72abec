// Repositories as the state holds them, and their factory (shared by the seed, the backend and forks).
import { Branch, Commit, commitHash, PullRequest, Tag } from "../content/model";
import type { DeployKey } from "../deploy-keys/model";
import type { Hook } from "../hooks/model";
import type { Permission } from "../permissions/model";
import type { Report } from "../reports/model";
import type { BranchRestriction } from "../branch-restrictions/model";
import type { BranchingModelSettings } from "../branching-model/model";
import type { OverrideSettings } from "../settings/model";
import type { PipelineSchedule } from "../pipeline-schedules/model";
import type { KnownHost, PipelineKeyPair } from "../pipelines-ssh/model";
import type { Environment } from "../deployments/model";
import type { PipelineVariable } from "../variables/model";

export type ForkPolicy = "allow_forks" | "no_public_forks" | "no_forks";

export interface Repository {
  uuid: string;
  workspaceUuid: string;
  slug: string;
  name: string;
  description: string;
  is_private: boolean;
  fork_policy: ForkPolicy;
  language: string;
  // No has_issues / has_wiki: issues and wikis were sunset on 2026-08-20 (its render.ts reads them false).
  website: string | null;
  projectKey: string;
  mainbranch: string;
  parentUuid: string | null;
  created_on: string;
  updated_on: string;
  size: number;
  /** Epoch ms before which a new fork answers 404 (the real service needs a moment to copy it). */
  readyAt: number;
  commits: Commit[];
  branches: Branch[];
  tags: Tag[];
  /** One tree for the whole history: the emulator does not version file contents. */
  files: Record<string, string>;
  pullrequests: PullRequest[];
  watcherUuids: string[];
  hooks: Hook[];
  groupPermissions: Record<string, Permission>;
  userPermissions: Record<string, Permission>;
  overrideSettings: OverrideSettings;
  /** Whether Bitbucket Pipelines runs for this repository (`pipelines_config.enabled`); absent in older data files. */
  pipelinesEnabled?: boolean;
  /** Code Insights reports on the repository's commits; absent in older data files. */
  reports?: Report[];
  /** Deploy keys; absent in older data files. */
  deployKeys?: DeployKey[];
  /** Branch restrictions; absent in older data files. */
  branchRestrictions?: BranchRestriction[];
  /** The default reviewers' `{uuid}`s, in the order added; absent in older data files. */
  defaultReviewerUuids?: string[];
  /** Branching model settings; absent: Bitbucket's defaults (and in older data files). */
  branchingModel?: BranchingModelSettings;
  /** Pipelines schedules; absent in older data files. */
  pipelineSchedules?: PipelineSchedule[];
  /** Pipelines' SSH key pair, when one is set. */
  pipelineKeyPair?: PipelineKeyPair;
  /** Pipelines' SSH known hosts; absent in older data files. */
  knownHosts?: KnownHost[];
  /** Pipeline variables; absent in older data files. */
  pipelineVariables?: PipelineVariable[];
  /** Deployment environments; absent in older data files. */
  environments?: Environment[];
}

export type RepositoryFields = Pick<Repository, "uuid" | "workspaceUuid" | "slug" | "name" | "projectKey"> & Partial<Repository>;

/** A new repository has what `git init` + a first push would give it: one commit on the main branch and a README. */
export function makeRepository(fields: RepositoryFields, authorUuid: string, now: string): Repository {
  const mainbranch = fields.mainbranch ?? "main";
  const first: Commit = {
    hash: commitHash(`${fields.uuid}/initial`),
    message: "Initial commit\n",
    date: now,
    authorUuid,
    parents: [],
    paths: ["README.md"],
  };
  return {
    description: "",
    is_private: true,
    fork_policy: "allow_forks",
    language: "",
    website: null,
    mainbranch,
    parentUuid: null,
    created_on: now,
    updated_on: now,
    size: 1024,
    readyAt: 0,
    commits: [first],
    branches: [{ name: mainbranch, target: first.hash }],
    tags: [],
    files: { "README.md": `# ${fields.name}\n` },
    pullrequests: [],
    watcherUuids: [authorUuid],
    hooks: [],
    groupPermissions: {},
    userPermissions: {},
    overrideSettings: { default_merge_strategy: false, branching_model: false },
    pipelinesEnabled: false,
    ...fields,
  };
}
