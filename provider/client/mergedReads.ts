// The API's reads of one object of a listable collection, merged while in flight together (merge.ts):
// repositories of a workspace by one BBQL query over their {uuid}s, and a repository's (or project's)
// hooks, group and user grants, deploy keys and branch restrictions by one list each. Explicit grants
// come from permissions-config, never /workspaces/{workspace}/permissions/repositories (effective
// permissions). Each replaces the plain call of the same name in the api (api.ts).
import type { PlainApi } from "./api";
import { MergedList, ReadMerger } from "./merge";
import { PAGELEN } from "./paginate";

const UUID = /^\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}$/;
const sameUuid = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();
const key = (...parts: string[]) => JSON.stringify(parts);

/** A grant collection's calls (api.repositoryGrants.groups...) with its get merged. */
function mergedGrants<Grant, C extends { get(w: string, owner: string, target: string): Promise<Grant>; list(w: string, owner: string): Promise<Grant[]> }>(
  merge: ReadMerger,
  name: string,
  calls: C,
  lists: C,
  matches: (grant: Grant, target: string) => boolean,
): C {
  return {
    ...calls,
    get: (workspace: string, owner: string, target: string) =>
      merge<Grant>({ key: key(name, workspace, owner), list: () => lists.list(workspace, owner), matches }, target, () => calls.get(workspace, owner, target)),
  };
}

type Grant = { group?: { slug: string }; user?: { uuid?: string; account_id?: string } };
const groupMatches = (grant: Grant, slug: string) => grant.group?.slug === slug;
const userMatches = (grant: Grant, user: string) => grant.user?.account_id === user || sameUuid(grant.user?.uuid, user);

/** `api`'s reads of one object merged into lists of `lists` (the same calls, with fewer pages: merge.ts). */
export function mergedReads(api: PlainApi, lists: PlainApi, merge: ReadMerger) {
  const repositories = (workspace: string): MergedList<Awaited<ReturnType<PlainApi["getRepository"]>>> => ({
    key: key("repositories", workspace),
    // A {uuid} matches the UUID rule, so it cannot break out of its quotes.
    list: (uuids) => lists.listRepositories(workspace, { q: uuids.map((uuid) => `uuid="${uuid}"`).join(" OR ") }),
    matches: (repository, uuid) => sameUuid(repository.uuid, uuid),
    chunk: PAGELEN,
  });
  return {
    /** By {uuid}: merged; by slug (a create's take-over read): a GET, as the BBQL filter is by uuid. */
    getRepository: (workspace: string, repoSlug: string) =>
      UUID.test(repoSlug) ? merge(repositories(workspace), repoSlug, () => api.getRepository(workspace, repoSlug)) : api.getRepository(workspace, repoSlug),
    getHook: (workspace: string, repoSlug: string, uid: string) =>
      merge(
        { key: key("hooks", workspace, repoSlug), list: () => lists.listHooks(workspace, repoSlug), matches: (hook, id) => sameUuid(hook.uuid, id) },
        uid,
        () => api.getHook(workspace, repoSlug, uid),
      ),
    getDeployKey: (workspace: string, repoSlug: string, keyId: string) =>
      merge(
        { key: key("deploy keys", workspace, repoSlug), list: () => lists.listDeployKeys(workspace, repoSlug), matches: (k, id) => String(k.id) === id },
        keyId,
        () => api.getDeployKey(workspace, repoSlug, keyId),
      ),
    getProjectDeployKey: (workspace: string, project: string, keyId: string) =>
      merge(
        {
          key: key("project deploy keys", workspace, project),
          list: () => lists.listProjectDeployKeys(workspace, project),
          matches: (k, id) => String(k.id) === id,
        },
        keyId,
        () => api.getProjectDeployKey(workspace, project, keyId),
      ),
    getBranchRestriction: (workspace: string, repoSlug: string, id: string) =>
      merge(
        {
          key: key("branch restrictions", workspace, repoSlug),
          list: () => lists.listBranchRestrictions(workspace, repoSlug),
          matches: (restriction, rid) => String(restriction.id) === rid,
        },
        id,
        () => api.getBranchRestriction(workspace, repoSlug, id),
      ),
    repositoryGrants: {
      groups: mergedGrants(merge, "repository group grants", api.repositoryGrants.groups, lists.repositoryGrants.groups, groupMatches),
      users: mergedGrants(merge, "repository user grants", api.repositoryGrants.users, lists.repositoryGrants.users, userMatches),
    },
    projectGrants: {
      groups: mergedGrants(merge, "project group grants", api.projectGrants.groups, lists.projectGrants.groups, groupMatches),
      users: mergedGrants(merge, "project user grants", api.projectGrants.users, lists.projectGrants.users, userMatches),
    },
  };
}
