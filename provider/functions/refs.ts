// Branches, tags and commits of a repository.
import type { RefObject } from "../client/reads";
import {
  Commit,
  FilePath,
  inRepository,
  Limit,
  ListArgs,
  ListInRepository,
  Query,
  readFunction,
  RepositoryRef,
  repositoryName,
  Revision,
  toCommit,
} from "./common";

export interface Ref {
  name: string;
  /** The commit the branch or tag points at. */
  target: Commit;
  /** Annotated tags: their message and date. */
  message?: string;
  date?: string;
  /** Branches: how pull requests into it merge by default, and the strategies allowed. */
  defaultMergeStrategy?: string;
  mergeStrategies?: string[];
  htmlUrl?: string;
}

function toRef(r: RefObject): Ref {
  return {
    name: r.name,
    target: toCommit(r.target),
    message: r.message,
    date: r.date,
    defaultMergeStrategy: r.default_merge_strategy,
    mergeStrategies: r.merge_strategies,
    htmlUrl: r.links?.html?.href,
  };
}

export interface RefListArgs extends ListArgs {
  /** A BBQL filter, e.g. `name ~ "release/"`. */
  q?: string;
  /** e.g. `-target.date` (newest first) or `name`. */
  sort?: string;
}

const RefList = ListInRepository.extend({ q: Query, sort: Query });

export interface GetBranchesResult {
  workspace: string;
  repository: string;
  branches: Ref[];
}

export const { promise: getBranches, output: getBranchesOutput } = readFunction(
  "getBranches",
  RefList,
  async (args: RefListArgs, client): Promise<GetBranchesResult> => {
    const repo = repositoryName("getBranches", args, client);
    const branches = await inRepository(client, repo, () => client.reads.branches(repo.workspace, repo.slug, args));
    return { workspace: repo.workspace, repository: repo.slug, branches: branches.map(toRef) };
  },
);

export interface GetTagsResult {
  workspace: string;
  repository: string;
  tags: Ref[];
}

export const { promise: getTags, output: getTagsOutput } = readFunction("getTags", RefList, async (args: RefListArgs, client): Promise<GetTagsResult> => {
  const repo = repositoryName("getTags", args, client);
  const tags = await inRepository(client, repo, () => client.reads.tags(repo.workspace, repo.slug, args));
  return { workspace: repo.workspace, repository: repo.slug, tags: tags.map(toRef) };
});

export interface GetCommitsArgs extends RepositoryRef {
  /** A branch, tag or commit hash: the commits reachable from it. Default: from every branch and tag. */
  at?: string;
  /** Only the commits that changed this file or directory. */
  path?: string;
  /** Most commits to return, newest first. Default 100 (a repository's history can be long). */
  limit?: number;
}

export interface GetCommitsResult {
  workspace: string;
  repository: string;
  commits: Commit[];
}

export const DEFAULT_COMMITS_LIMIT = 100;

const CommitList = RepositoryRef.extend({ at: Revision.optional(), path: FilePath.optional(), limit: Limit });

export const { promise: getCommits, output: getCommitsOutput } = readFunction(
  "getCommits",
  CommitList,
  async (args: GetCommitsArgs, client): Promise<GetCommitsResult> => {
    const repo = repositoryName("getCommits", args, client);
    const options = { revision: args.at, path: args.path || undefined, limit: args.limit ?? DEFAULT_COMMITS_LIMIT };
    const what = args.at ? `branch, tag or commit "${args.at}"` : undefined;
    const commits = await inRepository(client, repo, () => client.reads.commits(repo.workspace, repo.slug, options), what);
    return { workspace: repo.workspace, repository: repo.slug, commits: commits.map(toCommit) };
  },
);
