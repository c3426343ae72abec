// Objects around what the stack manages that no resource of the stack declares: repositories in the
// stack's workspaces, and webhooks and explicit grants on the stack's repositories. A repository whose
// webhooks (or grants) are owned as a whole by one resource is left to that resource's own diff.
import type { Api } from "../client/api";
import { PROJECT_KEY, PROJECT_KEY_RULE } from "../identifiers";
import { ManagedResource } from "./compare";

export interface UnmanagedObject {
  kind: "repository" | "webhook" | "group permission" | "user permission";
  workspace: string;
  /** The repository's slug (for a repository, its own). */
  repository: string;
  /** What identifies it: the repository's full name, the hook's UUID, the group's slug, the user's account id. */
  id: string;
  /** One line about it: the hook's URL and events, the grant's permission. */
  detail: string;
}

/** Kinds whose one resource owns every webhook, or every explicit grant, of its repository. */
const OWNS_ALL_HOOKS = new Set(["RepositoryWebhooks"]);
const OWNS_ALL_GRANTS = new Set(["RepositoryAccess"]);

interface ManagedRepository {
  workspace: string;
  uuid: string;
  slug: string;
  hooks: Set<string>;
  groups: Set<string>;
  users: Set<string>;
  allHooks: boolean;
  allGrants: boolean;
}

const text = (value: unknown) => (typeof value === "string" ? value : undefined);
const sameUuid = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The stack's repositories (and forks) with what its other resources declare on each. */
function managedRepositories(resources: ManagedResource[]): ManagedRepository[] {
  const repos: ManagedRepository[] = [];
  for (const r of resources) {
    const out = r.live?.outputs;
    if (!out || (r.kind !== "Repository" && r.kind !== "Fork")) continue;
    const workspace = text(r.kind === "Fork" ? out.targetWorkspace : out.workspace);
    const uuid = text(out.uuid) ?? r.live?.id;
    const slug = text(out.slug);
    if (workspace && uuid && slug)
      repos.push({ workspace, uuid, slug, hooks: new Set(), groups: new Set(), users: new Set(), allHooks: false, allGrants: false });
  }
  const repositoryOf = (workspace: unknown, ref: unknown) =>
    repos.find((repo) => repo.workspace === workspace && typeof ref === "string" && (ref.startsWith("{") ? sameUuid(ref, repo.uuid) : ref === repo.slug));

  for (const r of resources) {
    const out = r.live?.outputs;
    const repo = out && repositoryOf(out.workspace, out.repositoryUuid ?? out.repository);
    if (!repo || !r.kind) continue;
    if (OWNS_ALL_HOOKS.has(r.kind)) repo.allHooks = true;
    if (OWNS_ALL_GRANTS.has(r.kind)) repo.allGrants = true;
    if (r.kind === "Webhook") repo.hooks.add(String(out.uuid ?? r.live?.id).toLowerCase());
    if (r.kind === "GroupPermission") repo.groups.add(String(out.groupSlug));
    if (r.kind === "UserPermission") for (const key of ["user", "accountId", "userUuid"]) if (text(out[key])) repo.users.add(String(out[key]).toLowerCase());
  }
  return repos;
}

/** BBQL for "in one of these projects". A key is pasted into the query, so only a project key is accepted. */
export function projectQuery(projects: string[]): Record<string, string> | undefined {
  if (projects.length === 0) return undefined;
  const invalid = projects.find((key) => !PROJECT_KEY.test(key));
  if (invalid !== undefined) throw new Error(`Project ${JSON.stringify(invalid)} ${PROJECT_KEY_RULE}.`);
  return { q: projects.map((key) => `project.key="${key}"`).join(" OR ") };
}

export async function findUnmanaged(
  api: Api,
  resources: ManagedResource[],
  options: { projects?: string[]; progress?: (message: string) => void } = {},
): Promise<UnmanagedObject[]> {
  const progress = options.progress ?? (() => undefined);
  const repos = managedRepositories(resources);
  const found: UnmanagedObject[] = [];

  for (const workspace of [...new Set(repos.map((r) => r.workspace))].sort()) {
    progress(`listing the repositories of ${workspace}${options.projects?.length ? ` in ${options.projects.join(", ")}` : ""}`);
    for (const live of await api.listRepositories(workspace, projectQuery(options.projects ?? []))) {
      if (repos.some((r) => sameUuid(r.uuid, live.uuid))) continue;
      const project = live.project?.key ? `project ${live.project.key}` : "no project";
      found.push({ kind: "repository", workspace, repository: live.slug ?? live.name, id: live.full_name, detail: `${project}, not in the stack` });
    }
  }

  const perRepository = await Promise.all(
    repos.map(async (repo) => {
      progress(`listing the webhooks and grants of ${repo.workspace}/${repo.slug}`);
      const objects: UnmanagedObject[] = [];
      const base = { workspace: repo.workspace, repository: repo.slug };
      const [hooks, groups, users] = await Promise.all([
        repo.allHooks ? [] : api.listHooks(repo.workspace, repo.uuid),
        repo.allGrants ? [] : api.listGroupPermissions(repo.workspace, repo.uuid),
        repo.allGrants ? [] : api.listUserPermissions(repo.workspace, repo.uuid),
      ]);
      for (const hook of hooks)
        if (!repo.hooks.has(hook.uuid.toLowerCase()))
          objects.push({ ...base, kind: "webhook", id: hook.uuid, detail: `${hook.url} on ${[...hook.events].sort().join(", ")}` });
      for (const grant of groups)
        if (!repo.groups.has(grant.group.slug)) objects.push({ ...base, kind: "group permission", id: grant.group.slug, detail: grant.permission });
      for (const grant of users) {
        const ids = [grant.user.account_id, grant.user.uuid].filter((v): v is string => Boolean(v));
        if (!ids.some((id) => repo.users.has(id.toLowerCase()))) {
          const who = grant.user.display_name ? ` (${grant.user.display_name})` : "";
          objects.push({ ...base, kind: "user permission", id: ids[0] ?? "?", detail: `${grant.permission}${who}` });
        }
      }
      return objects;
    }),
  );
  return [...found, ...perRepository.flat()];
}
