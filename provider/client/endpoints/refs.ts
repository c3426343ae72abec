// Branches, tags and commits of a repository.
import { z } from "zod";
import { EndpointContext, Links, ListOptions, maybe, REPOSITORY, repositoryParams } from "./context";
import { AccountObject } from "./workspaces";

export const CommitObject = z.looseObject({
  hash: z.string(),
  date: maybe(z.string()),
  message: maybe(z.string()),
  author: z.looseObject({ raw: z.string().optional(), user: AccountObject.optional() }).nullish(),
  parents: z.array(z.looseObject({ hash: z.string() })).nullish(),
  links: Links,
});
export type CommitObject = z.infer<typeof CommitObject>;

/** A branch or a tag. */
export const RefObject = z.looseObject({
  name: z.string(),
  target: CommitObject,
  message: maybe(z.string()),
  date: maybe(z.string()),
  default_merge_strategy: maybe(z.string()),
  merge_strategies: maybe(z.array(z.string())),
  links: Links,
});
export type RefObject = z.infer<typeof RefObject>;

export function refReads(c: EndpointContext) {
  return {
    branches: (workspace: string, repoSlug: string, options?: ListOptions) =>
      c.list(RefObject, `${REPOSITORY}/refs/branches`, repositoryParams(workspace, repoSlug), options),
    tags: (workspace: string, repoSlug: string, options?: ListOptions) =>
      c.list(RefObject, `${REPOSITORY}/refs/tags`, repositoryParams(workspace, repoSlug), options),
    /** Newest first; from `revision` (a branch, tag or commit) when given, else from every ref. */
    commits: (workspace: string, repoSlug: string, options: { revision?: string; path?: string; limit?: number } = {}) =>
      options.revision
        ? c.list(CommitObject, `${REPOSITORY}/commits/{revision}`, { ...repositoryParams(workspace, repoSlug), revision: options.revision }, options, {
            query: { path: options.path },
          })
        : c.list(CommitObject, `${REPOSITORY}/commits`, repositoryParams(workspace, repoSlug), options, { query: { path: options.path } }),
  };
}
