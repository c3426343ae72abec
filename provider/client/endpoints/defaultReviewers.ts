// Default reviewers of a repository and of a project, and a repository's effective ones (its own and
// its project's). A user is addressed by account id or `{uuid}` (Bitbucket no longer resolves
// usernames); adding is a PUT, idempotent, so it is retried like the other PUTs.
import { z } from "zod";
import { EndpointContext, ListOptions, maybe, PROJECT, projectParams, REPOSITORY, repositoryParams } from "./context";
import { AccountObject } from "./workspaces";

const REVIEWERS = `${REPOSITORY}/default-reviewers`;
const REVIEWER = `${REVIEWERS}/{target_username}`;
const PROJECT_REVIEWERS = `${PROJECT}/default-reviewers`;
const PROJECT_REVIEWER = `${PROJECT_REVIEWERS}/{selected_user}`;

/** The spec's default_reviewer_and_type: a user and where the rule comes from (`repository` or `project`). */
export const TypedReviewerObject = z.looseObject({ reviewer_type: maybe(z.string()), user: AccountObject });
export type TypedReviewerObject = z.infer<typeof TypedReviewerObject>;

export function defaultReviewerEndpoints(c: EndpointContext) {
  const one = (workspace: string, repoSlug: string, user: string) => ({ ...repositoryParams(workspace, repoSlug), target_username: user });
  const inProject = (workspace: string, key: string, user: string) => ({ ...projectParams(workspace, key), selected_user: user });
  return {
    listDefaultReviewers: (workspace: string, repoSlug: string): Promise<AccountObject[]> =>
      c.list(AccountObject, REVIEWERS, repositoryParams(workspace, repoSlug)),
    addDefaultReviewer: (workspace: string, repoSlug: string, user: string): Promise<AccountObject> =>
      c.request(AccountObject, { method: "PUT", route: REVIEWER, params: one(workspace, repoSlug, user) }),
    removeDefaultReviewer: (workspace: string, repoSlug: string, user: string): Promise<void> => c.delete(REVIEWER, one(workspace, repoSlug, user)),
    listProjectDefaultReviewers: async (workspace: string, key: string): Promise<AccountObject[]> =>
      (await c.list(TypedReviewerObject, PROJECT_REVIEWERS, projectParams(workspace, key))).map((r) => r.user),
    addProjectDefaultReviewer: (workspace: string, key: string, user: string): Promise<AccountObject> =>
      c.request(AccountObject, { method: "PUT", route: PROJECT_REVIEWER, params: inProject(workspace, key, user) }),
    removeProjectDefaultReviewer: (workspace: string, key: string, user: string): Promise<void> => c.delete(PROJECT_REVIEWER, inProject(workspace, key, user)),
  };
}

export function defaultReviewerReads(c: EndpointContext) {
  return {
    /** A repository's own default reviewers, then its project's. */
    effectiveDefaultReviewers: (workspace: string, repoSlug: string, options: Pick<ListOptions, "limit"> = {}): Promise<TypedReviewerObject[]> =>
      c.list(TypedReviewerObject, `${REPOSITORY}/effective-default-reviewers`, repositoryParams(workspace, repoSlug), options),
  };
}
