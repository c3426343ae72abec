// Forks of a repository. The POST is not retried on 5xx / lost answers: a repeat would make a second fork.
import { EndpointContext, ListOptions, REPOSITORY, repositoryParams } from "./context";
import { RepositoryBody, RepositoryDetails, RepositoryObject } from "./repositories";

export interface ForkBody extends RepositoryBody {
  workspace?: { slug: string };
}

const FORKS = `${REPOSITORY}/forks`;

export function forkEndpoints(c: EndpointContext) {
  return {
    createFork: (workspace: string, repoSlug: string, body: ForkBody): Promise<RepositoryObject> =>
      c.request(RepositoryObject, { method: "POST", route: FORKS, params: repositoryParams(workspace, repoSlug), body }),
    listForks: (workspace: string, repoSlug: string): Promise<RepositoryObject[]> => c.list(RepositoryObject, FORKS, repositoryParams(workspace, repoSlug)),
  };
}

export function forkReads(c: EndpointContext) {
  return {
    forks: (workspace: string, repoSlug: string, options?: ListOptions) => c.list(RepositoryDetails, FORKS, repositoryParams(workspace, repoSlug), options),
    countForks: (workspace: string, repoSlug: string) => c.count(FORKS, repositoryParams(workspace, repoSlug)),
  };
}
