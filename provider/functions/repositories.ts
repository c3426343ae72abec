// Repositories: one (with its fork and watcher counts), a workspace's, a repository's forks and watchers.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  Account,
  InputArgs,
  inRepository,
  ListArgs,
  ListInRepository,
  Limit,
  Query,
  readFunction,
  ReadOptions,
  readRepository,
  InRepository,
  RepositoryInfo,
  repositoryFunction,
  settled,
  RepositoryRef,
  repositoryName,
  toAccount,
  toRepository,
  Workspace,
} from "./common";

export interface GetRepositoryResult extends RepositoryInfo {
  forksCount: number;
  watchersCount: number;
}

const repositoryRead = readFunction("getRepository", RepositoryRef, async (args: RepositoryRef, client): Promise<GetRepositoryResult> => {
  const repo = repositoryName("getRepository", args, client);
  const details = await readRepository(client, repo);
  // Each count is one request for a one-value page: its `size`.
  const [forksCount, watchersCount] = await Promise.all([
    client.reads.countForks(repo.workspace, repo.slug),
    client.reads.countWatchers(repo.workspace, repo.slug),
  ]);
  return { ...toRepository(details), forksCount, watchersCount };
});

const asArgs = (args: string | RepositoryRef): RepositoryRef => (typeof args === "string" ? { repository: args } : args);

/**
 * A repository, every field, with its fork and watcher counts (3 requests). `args` is
 * `{ workspace, repository }` or just the repository as `workspace/slug` or a bitbucket.org URL.
 */
export function getRepository(args: string | RepositoryRef, opts?: ReadOptions): Promise<GetRepositoryResult> {
  return repositoryRead.promise(asArgs(args), opts);
}

export function getRepositoryOutput(args: pulumi.Input<string> | InputArgs<RepositoryRef>, opts?: ReadOptions): pulumi.Output<GetRepositoryResult> {
  return pulumi.output(args).apply((plain) => settled(getRepository(plain as string | RepositoryRef, opts)));
}

export interface GetWorkspaceRepositoriesArgs {
  workspace: string;
  /** A BBQL filter, e.g. `project.key = "PLAT"` or `name ~ "api"`. */
  q?: string;
  /** A field to sort by, `-` first for descending, e.g. `-updated_on`. */
  sort?: string;
  /** Only the repositories on which the caller has this role. */
  role?: "member" | "contributor" | "admin" | "owner";
  /** Most repositories to return. Default: all. */
  limit?: number;
}

export interface GetWorkspaceRepositoriesResult {
  workspace: string;
  repositories: RepositoryInfo[];
}

const ListInWorkspace = z.strictObject({
  workspace: Workspace,
  q: Query,
  sort: Query,
  role: z.enum(["member", "contributor", "admin", "owner"]).optional(),
  limit: Limit,
});

export const { promise: getWorkspaceRepositories, output: getWorkspaceRepositoriesOutput } = readFunction(
  "getWorkspaceRepositories",
  ListInWorkspace,
  async (args: GetWorkspaceRepositoriesArgs, client): Promise<GetWorkspaceRepositoriesResult> => ({
    workspace: args.workspace,
    repositories: (await client.reads.repositories(args.workspace, args)).map(toRepository),
  }),
);

export interface GetForksResult extends InRepository {
  forks: RepositoryInfo[];
}

export const { promise: getForks, output: getForksOutput } = repositoryFunction(
  "getForks",
  ListInRepository,
  async (args: ListArgs, repo, client): Promise<Pick<GetForksResult, "forks">> => ({
    forks: (await inRepository(client, repo, () => client.reads.forks(repo.workspace, repo.slug, args))).map(toRepository),
  }),
);

export interface GetWatchersResult extends InRepository {
  watchers: Account[];
}

export const { promise: getWatchers, output: getWatchersOutput } = repositoryFunction(
  "getWatchers",
  ListInRepository,
  async (args: ListArgs, repo, client): Promise<Pick<GetWatchersResult, "watchers">> => ({
    watchers: (await inRepository(client, repo, () => client.reads.watchers(repo.workspace, repo.slug, args))).map(toAccount),
  }),
);
