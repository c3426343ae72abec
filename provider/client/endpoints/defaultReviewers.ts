// Default reviewers of a repository. A user is addressed by account id or `{uuid}` (Bitbucket no longer
// resolves usernames); adding is a PUT, idempotent, so it is retried like the other PUTs.
import { EndpointContext, REPOSITORY, repositoryParams } from "./context";
import { AccountObject } from "./workspaces";

const REVIEWERS = `${REPOSITORY}/default-reviewers`;
const REVIEWER = `${REVIEWERS}/{target_username}`;

export function defaultReviewerEndpoints(c: EndpointContext) {
  const one = (workspace: string, repoSlug: string, user: string) => ({ ...repositoryParams(workspace, repoSlug), target_username: user });
  return {
    listDefaultReviewers: (workspace: string, repoSlug: string): Promise<AccountObject[]> =>
      c.list(AccountObject, REVIEWERS, repositoryParams(workspace, repoSlug)),
    addDefaultReviewer: (workspace: string, repoSlug: string, user: string): Promise<AccountObject> =>
      c.request(AccountObject, { method: "PUT", route: REVIEWER, params: one(workspace, repoSlug, user) }),
    async removeDefaultReviewer(workspace: string, repoSlug: string, user: string): Promise<void> {
      await c.send({ method: "DELETE", route: REVIEWER, params: one(workspace, repoSlug, user) });
    },
  };
}
