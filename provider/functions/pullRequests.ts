// Pull requests of a repository, by state.
import { z } from "zod";
import type { PullRequestObject } from "../client/reads";
import { Account, InRepository, inRepository, ListArgs, ListInRepository, repositoryFunction, toAccount } from "./common";

export const PULL_REQUEST_STATES = ["OPEN", "MERGED", "DECLINED", "SUPERSEDED"] as const;
export type PullRequestState = (typeof PULL_REQUEST_STATES)[number];

export interface PullRequest {
  id: number;
  title: string;
  state: string;
  description?: string;
  author?: Account;
  sourceBranch?: string;
  sourceCommit?: string;
  /** `workspace/slug` of the source repository (a fork's, for a pull request from a fork). */
  sourceRepository?: string;
  destinationBranch?: string;
  destinationCommit?: string;
  draft?: boolean;
  commentCount?: number;
  taskCount?: number;
  createdOn?: string;
  updatedOn?: string;
  htmlUrl?: string;
}

function toPullRequest(p: PullRequestObject): PullRequest {
  return {
    id: p.id,
    title: p.title,
    state: p.state,
    description: p.summary?.raw,
    author: p.author ? toAccount(p.author) : undefined,
    sourceBranch: p.source?.branch?.name,
    sourceCommit: p.source?.commit?.hash,
    sourceRepository: p.source?.repository?.full_name,
    destinationBranch: p.destination?.branch?.name,
    destinationCommit: p.destination?.commit?.hash,
    draft: p.draft,
    commentCount: p.comment_count,
    taskCount: p.task_count,
    createdOn: p.created_on,
    updatedOn: p.updated_on,
    htmlUrl: p.links?.html?.href,
  };
}

export interface GetPullRequestsArgs extends ListArgs {
  /** One state or several. Default: OPEN (as the API). */
  state?: PullRequestState | PullRequestState[];
}

export interface GetPullRequestsResult extends InRepository {
  pullRequests: PullRequest[];
}

const State = z.enum(PULL_REQUEST_STATES);
const PullRequestList = ListInRepository.extend({ state: z.union([State, z.array(State).min(1)]).optional() });

export const { promise: getPullRequests, output: getPullRequestsOutput } = repositoryFunction(
  "getPullRequests",
  PullRequestList,
  async (args: GetPullRequestsArgs, repo, client): Promise<Pick<GetPullRequestsResult, "pullRequests">> => {
    const states = args.state === undefined ? undefined : ([] as string[]).concat(args.state);
    const pullRequests = await inRepository(client, repo, () => client.reads.pullRequests(repo.workspace, repo.slug, { states, limit: args.limit }));
    return { pullRequests: pullRequests.map(toPullRequest) };
  },
);
