// Objects around what the stack manages that no resource of the stack declares: objects of a
// workspace (repositories) in the workspaces where the stack holds one, and objects attached to the
// stack's containers (a repository's webhooks and grants). What each kind holds and which
// collections are searched come from the kinds' own declarations (resources/discovery.ts) through the
// registry; a collection one resource holds whole on a container is left to that resource's own diff.
import type { Api } from "../client/api";
import { RESOURCES } from "../registry";
import type { Collection, Container, Discovery, StateClaim } from "../resources/discovery";
import { ManagedResource } from "./compare";

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
  /** The repository's UUID (for a repository, its own), when known. */
  repositoryUuid?: string;
  /** What a person calls it in Bitbucket: a group's name, a user's display name, a hook's URL. */
  title?: string;
}

/** What each kind that declares any says, by kind. */
const DISCOVERY = new Map(
  Object.entries(RESOURCES as Record<string, { discovery?: Discovery }>).flatMap(([kind, m]) => (m.discovery ? [[kind, m.discovery] as const] : [])),
);
/** The collections searched, each once, in the registry's order. */
const SEARCHED: Collection[] = [...new Set([...DISCOVERY.values()].flatMap((d) => (d.search ? [d.search] : [])))];

/** A container of the stack, with the claims its resources make on its attached collections. */
interface ManagedContainer extends Container {
  collection: string;
  workspace: string;
  claims: StateClaim[];
}

const lower = (keys: readonly string[] | undefined) => (keys ?? []).map((k) => k.toLowerCase());
const sameUuid = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** What the stack's resources hold, by their kinds' declarations. */
function stateClaims(resources: ManagedResource[]): StateClaim[] {
  return resources.flatMap((r) => {
    const outputs = r.live?.outputs;
    const declared = r.kind === undefined ? undefined : DISCOVERY.get(r.kind);
    return outputs && declared?.claims ? declared.claims(outputs, r.live?.id) : [];
  });
}

/** The stack's containers (repositories and forks), each with the claims on what is attached to it (named by its slug or `{uuid}`). */
function managedContainers(claims: StateClaim[]): ManagedContainer[] {
  const containers = claims.flatMap((c) =>
    c.container ? [{ ...c.container, collection: c.collection, workspace: c.workspace, claims: [] as StateClaim[] }] : [],
  );
  for (const claim of claims) {
    const ref = claim.on;
    if (ref === undefined) continue;
    const container = containers.find((k) => k.workspace === claim.workspace && (ref.startsWith("{") ? sameUuid(ref, k.uuid) : ref === k.slug));
    container?.claims.push(claim);
  }
  return containers;
}

/** The listed objects no claim names. */
function unclaimed<T>(collection: Collection<T>, objects: T[], claims: StateClaim[]) {
  const held = new Set(claims.filter((c) => c.collection === collection.label).flatMap((c) => lower(c.keys)));
  return objects.map((o) => collection.listed(o)).filter((listed) => !lower(listed.keys).some((k) => held.has(k)));
}

export async function findUnmanaged(
  api: Api,
  resources: ManagedResource[],
  options: { projects?: string[]; progress?: (message: string) => void } = {},
): Promise<UnmanagedObject[]> {
  const progress = options.progress ?? (() => undefined);
  const projects = options.projects ?? [];
  const claims = stateClaims(resources);
  const found: UnmanagedObject[] = [];

  // Objects of a workspace: in each workspace where the stack holds one of the collection.
  for (const collection of SEARCHED.filter((c) => c.on === undefined)) {
    const workspaces = [...new Set(claims.filter((c) => c.collection === collection.label).map((c) => c.workspace))].sort();
    for (const workspace of workspaces) {
      progress(`listing the ${collection.plural} of ${workspace}${projects.length ? ` in ${projects.join(", ")}` : ""}`);
      for (const listed of unclaimed(collection, await collection.list(api, { workspace }, projects), claims))
        found.push({
          kind: collection.label,
          workspace,
          repository: listed.name ?? listed.id,
          id: listed.id,
          detail: listed.detail,
          repositoryUuid: listed.uuid,
          title: listed.title,
        });
    }
  }

  // Attached collections on each of the stack's containers, unless one resource holds the whole collection there.
  const perContainer = await Promise.all(
    managedContainers(claims).map(async (container) => {
      const searched = SEARCHED.filter(
        (c) => c.on === container.collection && !container.claims.some((claim) => claim.collection === c.label && claim.keys === undefined),
      );
      if (searched.length === 0) return [];
      progress(`listing the ${searched.map((c) => c.plural).join(", ")} of ${container.workspace}/${container.slug}`);
      const place = { workspace: container.workspace, container: { uuid: container.uuid, slug: container.slug } };
      const lists = await Promise.all(searched.map(async (c) => unclaimed(c, await c.list(api, place, projects), container.claims)));
      return lists.flatMap((listed, i) =>
        listed.map((o) => ({
          kind: searched[i].label,
          workspace: container.workspace,
          repository: container.slug,
          id: o.id,
          detail: o.detail,
          repositoryUuid: container.uuid,
          title: o.title,
        })),
      );
    }),
  );
  return [...found, ...perContainer.flat()];
}
