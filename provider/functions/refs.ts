// Branches, tags and commits of a repository.
import type { RefObject } from "../client/reads";
import {
  Commit,
  FilePath,
  InRepository,
  inRepository,
  Limit,
  ListArgs,
  ListInRepository,
  Query,
  repositoryFunction,
  RepositoryRef,
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

export interface GetBranchesResult extends InRepository {
  branches: Ref[];
}

export const { promise: getBranches, output: getBranchesOutput } = repositoryFunction(
  "getBranches",
  RefList,
  async (args: RefListArgs, repo, client): Promise<Pick<GetBranchesResult, "branches">> => ({
    branches: (await inRepository(client, repo, () => client.reads.branches(repo.workspace, repo.slug, args))).map(toRef),
  }),
);

export interface GetTagsResult extends InRepository {
  tags: Ref[];
}

export const { promise: getTags, output: getTagsOutput } = repositoryFunction(
  "getTags",
  RefList,
  async (args: RefListArgs, repo, client): Promise<Pick<GetTagsResult, "tags">> => ({
    tags: (await inRepository(client, repo, () => client.reads.tags(repo.workspace, repo.slug, args))).map(toRef),
  }),
);

export interface GetCommitsArgs extends RepositoryRef {
  /** A branch, tag or commit hash: the commits reachable from it. Default: from every branch and tag. */
  at?: string;
  /** Only the commits that changed this file or directory. */
  path?: string;
  /** Most commits to return, newest first. Default 100 (a repository's history can be long). */
  limit?: number;
}

export interface GetCommitsResult extends InRepository {
  commits: Commit[];
}

export const DEFAULT_COMMITS_LIMIT = 100;

const CommitList = RepositoryRef.extend({ at: Revision.optional(), path: FilePath.optional(), limit: Limit });

export const { promise: getCommits, output: getCommitsOutput } = repositoryFunction(
  "getCommits",
  CommitList,
  async (args: GetCommitsArgs, repo, client): Promise<Pick<GetCommitsResult, "commits">> => {
    const options = { revision: args.at, path: args.path || undefined, limit: args.limit ?? DEFAULT_COMMITS_LIMIT };
    const what = args.at ? `branch, tag or commit "${args.at}"` : undefined;
    const commits = await inRepository(client, repo, () => client.reads.commits(repo.workspace, repo.slug, options), what);
    return { commits: commits.map(toCommit) };
  },
);
