// The Bitbucket object behind each finding, as a person finds it in Bitbucket: the repository
// (workspace/slug, UUID, project), the grant's group or user, the hook's URL. Each kind says where its
// object is (Discovery.describe, describeField in its own module); a repository known only by UUID or
// slug is completed from the stack's own repositories, and a name the state lacks (a group's name, a
// user's display name) is looked up with one listing per repository and collection.
import type { Api } from "../client/api";
import { RESOURCES } from "../registry";
import type { Collection, Described, Discovery, ObjectName } from "../resources/discovery";
import type { FieldDifference, ManagedResource } from "./compare";

/** Each kind's declarations, by kind. */
const DISCOVERY = new Map(Object.entries(RESOURCES as Record<string, { discovery?: Discovery }>).map(([kind, m]) => [kind, m.discovery] as const));

/** The collections a name can be looked up in, by label. */
const NAMING_COLLECTIONS = new Map([...DISCOVERY.values()].flatMap((d) => (d?.search?.on !== undefined ? [[d.search.label, d.search] as const] : [])));

/** The arguments and outputs a resource's object is described from: the live ones over the declared ones. */
const valuesOf = (r: ManagedResource) => ({ ...(r.declared ?? {}), ...(r.live?.outputs ?? {}) });

const sameText = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** Where each resource's object is, by URN; repositories completed from the stack's repositories (slug, UUID, project). */
export function describeResources(resources: ManagedResource[]): Map<string, Described> {
  const described = new Map<string, Described>();
  for (const r of resources) {
    const discovery = r.kind === undefined ? undefined : DISCOVERY.get(r.kind);
    if (discovery?.describe) described.set(r.urn, discovery.describe(valuesOf(r), r.live?.id));
  }
  const repositories = [...described.values()].filter((d) => d.object === undefined && d.repository?.slug && d.repository.uuid);
  for (const d of described.values()) {
    const ref = d.repository;
    if (!ref || (ref.slug && ref.uuid && d.project)) continue;
    const known = repositories.find(
      (k) => k !== d && sameText(k.workspace, d.workspace) && (sameText(k.repository?.uuid, ref.uuid) || sameText(k.repository?.slug, ref.slug)),
    );
    if (!known) continue;
    d.repository = { slug: ref.slug ?? known.repository?.slug, uuid: ref.uuid ?? known.repository?.uuid };
    d.project ??= known.project;
  }
  return described;
}

/** The object inside a resource one of its differences is about (a grant, a hook), if its kind says. */
export function objectOfDifference(r: ManagedResource, difference: FieldDifference): ObjectName | undefined {
  const discovery = r.kind === undefined ? undefined : DISCOVERY.get(r.kind);
  return discovery?.describeField?.(difference.field, valuesOf(r));
}

/** An object to name: where it is and its object, which `lookUpNames` may give a name. */
export interface Unnamed {
  where: Described;
  object: ObjectName;
}

/**
 * Gives the objects without a name theirs, from their collection's listing on their repository: one
 * list call per repository and collection. A failed listing leaves the names out (the findings stand).
 * Returns the number of list calls.
 */
export async function lookUpNames(api: Api, objects: Unnamed[], progress: (message: string) => void): Promise<number> {
  const groups = new Map<string, { collection: Collection; workspace: string; uuid: string; slug?: string; objects: ObjectName[] }>();
  for (const { where, object } of objects) {
    const collection = object.collection === undefined ? undefined : NAMING_COLLECTIONS.get(object.collection);
    const uuid = where.repository?.uuid;
    if (object.name !== undefined || !collection || !where.workspace || !uuid) continue;
    const key = `${collection.label}|${where.workspace}|${uuid.toLowerCase()}`;
    const group = groups.get(key) ?? { collection, workspace: where.workspace, uuid, slug: where.repository?.slug, objects: [] };
    group.objects.push(object);
    groups.set(key, group);
  }
  await Promise.all(
    [...groups.values()].map(async ({ collection, workspace, uuid, slug, objects: unnamed }) => {
      try {
        const listed = (await collection.list(api, { workspace, container: { uuid, slug: slug ?? uuid } }, [])).map((o) => collection.listed(o));
        for (const object of unnamed) object.name = listed.find((l) => l.keys.some((k) => sameText(k, object.id)))?.title;
      } catch (err) {
        progress(`could not look up the names of the ${collection.plural} of ${workspace}/${slug ?? uuid} (${(err as Error).message}); reported without them`);
      }
    }),
  );
  if (groups.size > 0) progress(`looked up names the state lacks: ${groups.size} list call(s)`);
  return groups.size;
}
