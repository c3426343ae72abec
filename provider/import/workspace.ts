// What `import` reads from Bitbucket: the repositories of a workspace (all, or those of some projects
// or matching some name patterns), and on each its webhooks, explicit grants and override settings.
import { minimatch } from "minimatch";
import { BitbucketApiError, ifFound } from "../client";
import type { Api, HookObject, OverrideSettings, Permission, RepositoryObject } from "../client/api";
import { projectQuery } from "../drift/unmanaged";

export interface UserGrant {
  accountId: string;
  displayName?: string;
  permission: Permission;
}

export interface ImportedRepository {
  live: RepositoryObject;
  slug: string;
  hooks: HookObject[];
  /** Group slug → permission; undefined when the credentials cannot read grants (access tokens). */
  groups?: Record<string, Permission>;
  users?: UserGrant[];
  overrides: OverrideSettings;
}

export interface WorkspaceSelection {
  workspace: string;
  /** Only repositories of these project keys (none: every project). */
  projects?: string[];
  /** Only repositories whose slug matches one of these glob patterns (none: every slug). */
  match?: string[];
  progress?: (message: string) => void;
}

const slugOf = (live: RepositoryObject) => live.slug ?? live.full_name.split("/")[1];

/** Access tokens get 403 on permissions-config: the grants are then left out, not guessed. */
async function unlessForbidden<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (err) {
    if (err instanceof BitbucketApiError && err.status === 403) return undefined;
    throw err;
  }
}

async function readRepository(api: Api, workspace: string, live: RepositoryObject): Promise<ImportedRepository> {
  // Addressed by UUID, like the resources: a rename while importing changes nothing.
  const [hooks, groups, users, overrides] = await Promise.all([
    api.listHooks(workspace, live.uuid),
    unlessForbidden(api.listGroupPermissions(workspace, live.uuid)),
    unlessForbidden(api.listUserPermissions(workspace, live.uuid)),
    ifFound(api.getOverrideSettings(workspace, live.uuid)),
  ]);
  return {
    live,
    slug: slugOf(live),
    hooks,
    groups: groups && Object.fromEntries(groups.map((g) => [g.group.slug, g.permission])),
    users: users?.flatMap((u) => {
      const accountId = u.user.account_id ?? u.user.uuid;
      return accountId ? [{ accountId, displayName: u.user.display_name, permission: u.permission }] : [];
    }),
    overrides: overrides ?? {},
  };
}

/** The selected repositories of the workspace, each with what hangs off it, sorted by slug. */
export async function readWorkspace(api: Api, selection: WorkspaceSelection): Promise<ImportedRepository[]> {
  const { workspace, projects = [], match = [] } = selection;
  const progress = selection.progress ?? (() => undefined);
  progress(`listing the repositories of ${workspace}${projects.length ? ` in ${projects.join(", ")}` : ""}`);
  const listed = await api.listRepositories(workspace, projectQuery(projects));
  const selected = listed
    .filter((live) => match.length === 0 || match.some((pattern) => minimatch(slugOf(live), pattern)))
    .sort((a, b) => slugOf(a).localeCompare(slugOf(b)));
  progress(`${selected.length} of ${listed.length} repositories selected; reading their webhooks, grants and override settings`);
  let done = 0;
  return Promise.all(
    selected.map(async (live) => {
      const repository = await readRepository(api, workspace, live);
      done += 1;
      if (done % 10 === 0 || done === selected.length) progress(`read ${done}/${selected.length} (${repository.slug})`);
      return repository;
    }),
  );
}
