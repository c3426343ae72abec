// Objects around what the stack manages that no resource of the stack declares: objects of a
// workspace (repositories) in the workspaces where the stack holds one, and objects attached to the
// stack's containers (a repository's webhooks and grants). What each kind holds and which
// collections are searched come from the kinds' own declarations (resources/discovery.ts) through the
// registry; a collection one resource holds whole on a container is left to that resource's own diff.
//
// The scope: `stack` searches only what is attached to the stack's containers; `projects` (the
// default) also lists the workspace's objects in the projects the stack's objects are in; `workspace`
// lists the whole workspace. What sibling stacks hold (their states) is not reported, and what an
// ignore file names is reported as ignored, with its reason. A scope with nothing to search is an
// error: a search of nothing finds nothing and would pass.
import type { Api } from "../client/api";
import { RESOURCES } from "../registry";
import type { Collection, Container, Discovery, Listed, StateClaim } from "../resources/discovery";
import { ManagedResource } from "./compare";
import { IgnoreEntry, ignoredBy, IgnorePlace } from "./ignore";
import { ExportedResource, KIND } from "./steps";

export interface UnmanagedObject {
  /** What it is, as its collection calls one object: "repository", "webhook", "group permission"... */
  kind: string;
  workspace: string;
  /** The repository's slug (for a repository, its own). */
  repository: string;
  /** What identifies it: the repository's full name, the hook's UUID, the group's slug, the user's account id. */
  id: string;
  /** One line about it: the hook's URL and events, the grant's permission. */
  detail: string;
  /** Set when an entry of the ignore file matches it: reported as ignored, not as drift. */
  ignored?: { entry: string; reason: string };
  /** The repository's UUID (for a repository, its own), when known. */
  repositoryUuid?: string;
  /** What a person calls it in Bitbucket: a group's name, a user's display name, a hook's URL. */
  title?: string;
}

export const SCOPES = ["stack", "projects", "workspace"] as const;
export type Scope = (typeof SCOPES)[number];

/** What each kind that declares any says, by kind. */
const DISCOVERY = new Map(
  Object.entries(RESOURCES as Record<string, { discovery?: Discovery }>).flatMap(([kind, m]) => (m.discovery ? [[kind, m.discovery] as const] : [])),
);
/** The collections searched, each once, in the registry's order. */
export const SEARCHED: Collection[] = [...new Set([...DISCOVERY.values()].flatMap((d) => (d.search ? [d.search] : [])))];

/** A container of the stack, with the claims its resources make on its attached collections. */
interface ManagedContainer extends Container {
  collection: string;
  workspace: string;
  project?: string;
  claims: StateClaim[];
}

const lower = (keys: readonly string[] | undefined) => (keys ?? []).map((k) => k.toLowerCase());
const sameUuid = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A resource as its kind's declarations read it. */
interface HeldResource {
  kind?: string;
  outputs?: Record<string, unknown>;
  id?: string;
}

/** What resources hold, by their kinds' declarations. */
function stateClaims(resources: HeldResource[]): StateClaim[] {
  return resources.flatMap((r) => {
    const declared = r.kind === undefined ? undefined : DISCOVERY.get(r.kind);
    return r.outputs && declared?.claims ? declared.claims(r.outputs, r.id) : [];
  });
}

const ownResource = (r: ManagedResource): HeldResource => ({ kind: r.kind, outputs: r.live?.outputs, id: r.live?.id });
const exportedResource = (r: ExportedResource): HeldResource => ({ kind: KIND.exec(r.type)?.[1], outputs: r.outputs, id: r.id });

/**
 * The stack's containers (repositories and forks), each with the claims on what is attached to it
 * (named by its slug or `{uuid}`), its own stack's and its siblings'.
 */
function managedContainers(own: StateClaim[], siblings: StateClaim[]): ManagedContainer[] {
  const containers = own.flatMap((c) =>
    c.container ? [{ ...c.container, collection: c.collection, workspace: c.workspace, project: c.project, claims: [] as StateClaim[] }] : [],
  );
  for (const claim of [...own, ...siblings]) {
    const ref = claim.on;
    if (ref === undefined) continue;
    const container = containers.find((k) => k.workspace === claim.workspace && (ref.startsWith("{") ? sameUuid(ref, k.uuid) : ref === k.slug));
    container?.claims.push(claim);
  }
  return containers;
}

/** The listed objects no claim names, each marked with the ignore file's entry that matches it. */
function unclaimed<T>(collection: Collection<T>, objects: T[], claims: StateClaim[], ignore: readonly IgnoreEntry[], place: (listed: Listed) => IgnorePlace) {
  const held = new Set(claims.filter((c) => c.collection === collection.label).flatMap((c) => lower(c.keys)));
  return objects.flatMap((object) => {
    const listed = collection.listed(object);
    if (lower(listed.keys).some((k) => held.has(k))) return [];
    const entry = ignoredBy(ignore, collection, object, place(listed));
    return [{ ...listed, ignored: entry && { entry: entry.name, reason: entry.reason } }];
  });
}

/** The scope matches nothing: the search cannot run as asked. */
const nothingToSearch = (why: string) => new Error(`the search for unmanaged objects has nothing to search: ${why}`);

/** The workspaces where the stack holds an object of a workspace (a repository) or one in a project. */
function stackWorkspaces(claims: StateClaim[]): string[] {
  const workspaceLevel = new Set(SEARCHED.filter((c) => c.on === undefined).map((c) => c.label));
  return [...new Set(claims.filter((c) => workspaceLevel.has(c.collection) || c.project).map((c) => c.workspace))].sort();
}

/**
 * The project keys to list a workspace's objects in, by workspace: the stack's projects there (or,
 * scope `workspace`, every project: an empty list), restricted to `projects` when given. Undefined
 * for scope `stack`, which lists no workspace.
 */
function listedProjects(scope: Scope, claims: StateClaim[], workspaces: string[], projects: readonly string[]): Map<string, string[]> | undefined {
  if (scope === "stack") return undefined;
  if (scope === "workspace") return new Map(workspaces.map((w) => [w, [...projects]]));
  const wanted = new Set(projects.map((k) => k.toUpperCase()));
  const listed = new Map<string, string[]>();
  for (const workspace of workspaces) {
    const own = [...new Set(claims.filter((c) => c.workspace === workspace && c.project).map((c) => c.project!))].sort();
    if (own.length === 0 && projects.length === 0)
      throw nothingToSearch(
        `the stack's objects in workspace ${workspace} are in no project it knows of (their state has no project key); ` +
          "pass --scope stack (only what is attached to the stack's repositories) or --scope workspace (the whole workspace)",
      );
    const keys = projects.length ? own.filter((k) => wanted.has(k.toUpperCase())) : own;
    if (keys.length) listed.set(workspace, keys);
  }
  if (projects.length && listed.size === 0)
    throw nothingToSearch(
      `--project ${projects.join(", ")}: not a project of the stack's objects (${[...new Set(claims.flatMap((c) => c.project ?? []))].sort().join(", ") || "none"}); ` +
        "pass --scope workspace to search other projects",
    );
  return listed;
}

export async function findUnmanaged(
  api: Api,
  resources: ManagedResource[],
  options: {
    scope?: Scope;
    projects?: string[];
    /** The resources of sibling stacks: what they hold is not reported. */
    siblings?: ExportedResource[];
    ignore?: readonly IgnoreEntry[];
    /** Refuses `projects` keys a workspace of the scope has no project for (a typo must not narrow the scope to nothing). */
    requireProjects?: (workspace: string) => Promise<void>;
    progress?: (message: string) => void;
  } = {},
): Promise<UnmanagedObject[]> {
  const progress = options.progress ?? (() => undefined);
  const projects = options.projects ?? [];
  const scope = options.scope ?? "projects";
  const ignore = options.ignore ?? [];
  const own = stateClaims(resources.map(ownResource));
  const siblings = stateClaims((options.siblings ?? []).map(exportedResource));
  const claims = [...own, ...siblings];
  const found: UnmanagedObject[] = [];

  // The stack's containers whose attached collections are searched: with scope `stack`, --project picks among them.
  const wanted = new Set(projects.map((k) => k.toUpperCase()));
  const stackContainers = managedContainers(own, siblings);
  const workspaces = stackWorkspaces(own);
  if (projects.length && options.requireProjects)
    for (const workspace of new Set([...workspaces, ...stackContainers.map((c) => c.workspace)])) await options.requireProjects(workspace);
  const containers = stackContainers.filter((c) => scope !== "stack" || wanted.size === 0 || wanted.has((c.project ?? "").toUpperCase()));
  const listings = listedProjects(scope, own, workspaces, projects);
  if (scope === "stack" && containers.length === 0)
    throw nothingToSearch(
      projects.length ? `--project ${projects.join(", ")}: none of the stack's repositories is in these projects` : "the stack holds no repository",
    );
  if (listings?.size === 0 && containers.length === 0) throw nothingToSearch(`the stack holds no object the scope ${scope} starts from`);

  // Objects of a workspace: in each workspace of the scope where the stack holds one of the collection, in its projects.
  for (const collection of SEARCHED.filter((c) => c.on === undefined)) {
    for (const [workspace, keys] of listings ?? []) {
      if (!own.some((c) => c.collection === collection.label && c.workspace === workspace)) continue;
      progress(`listing the ${collection.plural} of ${workspace}${keys.length ? ` in ${keys.join(", ")}` : ""}`);
      const listed = unclaimed(collection, await collection.list(api, { workspace }, keys), claims, ignore, (o) => ({ workspace, repository: o.name ?? o.id }));
      for (const o of listed)
        found.push({
          kind: collection.label,
          workspace,
          repository: o.name ?? o.id,
          id: o.id,
          detail: o.detail,
          repositoryUuid: o.uuid,
          title: o.title,
          ...(o.ignored && { ignored: o.ignored }),
        });
    }
  }

  // Attached collections on each of the stack's containers, unless one resource holds the whole collection there.
  const perContainer = await Promise.all(
    containers.map(async (container) => {
      const searched = SEARCHED.filter(
        (c) => c.on === container.collection && !container.claims.some((claim) => claim.collection === c.label && claim.keys === undefined),
      );
      if (searched.length === 0) return [];
      progress(`listing the ${searched.map((c) => c.plural).join(", ")} of ${container.workspace}/${container.slug}`);
      const place = { workspace: container.workspace, container: { uuid: container.uuid, slug: container.slug } };
      const at = () => ({ workspace: container.workspace, repository: container.slug });
      const lists = await Promise.all(searched.map(async (c) => unclaimed(c, await c.list(api, place, projects), container.claims, ignore, at)));
      return lists.flatMap((listed, i) =>
        listed.map((o) => ({
          kind: searched[i].label,
          workspace: container.workspace,
          repository: container.slug,
          id: o.id,
          detail: o.detail,
          repositoryUuid: container.uuid,
          title: o.title,
          ...(o.ignored && { ignored: o.ignored }),
        })),
      );
    }),
  );
  return [...found, ...perContainer.flat()];
}
