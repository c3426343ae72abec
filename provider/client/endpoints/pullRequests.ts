// Pull requests of a repository.
import { z } from "zod";
import { EndpointContext, Links, maybe, REPOSITORY, repositoryParams } from "./context";
import { AccountObject } from "./workspaces";

const Endpoint = z.looseObject({
  branch: z.looseObject({ name: z.string() }).nullish(),
  commit: z.looseObject({ hash: z.string() }).nullish(),
  repository: z.looseObject({ full_name: z.string().optional(), uuid: z.string().optional() }).nullish(),
});

export const PullRequestObject = z.looseObject({
  id: z.number(),
  title: z.string(),
  state: z.string(),
  summary: z.looseObject({ raw: maybe(z.string()) }).nullish(),
  author: AccountObject.nullish(),
  source: Endpoint.nullish(),
  destination: Endpoint.nullish(),
  draft: maybe(z.boolean()),
  comment_count: maybe(z.number()),
  task_count: maybe(z.number()),
  created_on: maybe(z.string()),
  updated_on: maybe(z.string()),
  links: Links,
});
export type PullRequestObject = z.infer<typeof PullRequestObject>;

export function pullRequestReads(c: EndpointContext) {
  return {
    pullRequests: (workspace: string, repoSlug: string, options: { states?: string[]; limit?: number } = {}) =>
      c.list(PullRequestObject, `${REPOSITORY}/pullrequests`, repositoryParams(workspace, repoSlug), options, { query: { state: options.states } }),
  };
}
