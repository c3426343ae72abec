// What `import` reads from Bitbucket: the objects of a workspace (all, or those of some projects, or
// whose key matches some name patterns) from the listings the importing kinds declare, and on each
// object of a container collection what the attached kinds read (a repository's webhooks, grants and
// override settings). The kinds come from the registry; each says how it reads (resources/discovery.ts).
import { minimatch } from "minimatch";
import type { Api } from "../client/api";
import { RESOURCES } from "../registry";
import type { AttachedImport, Collection, Discovery, TopLevelImport } from "../resources/discovery";

/** One object of a workspace with what each attached kind read on it. */
export interface ImportedObject {
  /** The label of the collection it was listed in ("repository"). */
  collection: string;
  /** Its key in the program (a repository's slug): resource name, variable, order. */
  key: string;
  /** As the listing returned it. */
  object: unknown;
  /** What each attached kind read on it, by kind name. */
  attached: Record<string, unknown>;
}

export interface WorkspaceSelection {
  workspace: string;
  /** Only repositories of these project keys (none: every project). */
  projects?: string[];
  /** Only objects whose key matches one of these glob patterns (none: every key). */
  match?: string[];
  progress?: (message: string) => void;
}

const isTopLevel = (rule: TopLevelImport | AttachedImport): rule is TopLevelImport => "from" in rule;

/** The import rules of the kinds that declare one, by kind, in the registry's order. */
export const IMPORTED_KINDS: [kind: string, rule: TopLevelImport | AttachedImport][] = Object.entries(
  RESOURCES as Record<string, { discovery?: Discovery }>,
).flatMap(([kind, m]) => (m.discovery?.import ? [[kind, m.discovery.import] as [string, TopLevelImport | AttachedImport]] : []));

/** The workspace-level kinds, and the attached ones in the order their declarations come in a block. */
export const TOP_LEVEL = IMPORTED_KINDS.flatMap(([kind, rule]) => (isTopLevel(rule) ? [[kind, rule] as const] : []));
export const ATTACHED = IMPORTED_KINDS.flatMap(([kind, rule]) => (isTopLevel(rule) ? [] : [[kind, rule] as const])).sort(([, a], [, b]) => a.order - b.order);

/** The selected objects of the workspace, each with what is attached to it, sorted by key within each listing. */
export async function readWorkspace(api: Api, selection: WorkspaceSelection): Promise<ImportedObject[]> {
  const { workspace, projects = [], match = [] } = selection;
  const progress = selection.progress ?? (() => undefined);
  const imported: ImportedObject[] = [];
  // Kinds sharing one listing (repositories and forks) read it once.
  for (const listing of new Set<Collection>(TOP_LEVEL.map(([, rule]) => rule.from))) {
    const keyOf = (object: unknown) => listing.key?.(object) ?? listing.listed(object).id;
    progress(`listing the ${listing.plural} of ${workspace}${projects.length ? ` in ${projects.join(", ")}` : ""}`);
    const listed = await listing.list(api, { workspace }, projects);
    const selected = listed
      .filter((object) => match.length === 0 || match.some((pattern) => minimatch(keyOf(object), pattern)))
      .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    const attached = ATTACHED.filter(([, rule]) => rule.on === listing);
    const reading = attached.map(([, rule]) => rule.counted);
    progress(
      `${selected.length} of ${listed.length} ${listing.plural} selected${reading.length ? `; reading their ${reading.slice(0, -1).join(", ")}${reading.length > 1 ? " and " : ""}${reading.at(-1)}` : ""}`,
    );
    let done = 0;
    const objects = await Promise.all(
      selected.map(async (object): Promise<ImportedObject> => {
        const key = keyOf(object);
        // Addressed by UUID, like the resources: a rename while importing changes nothing.
        const container = listing.container?.(object);
        const data = container ? await Promise.all(attached.map(([, rule]) => rule.read(api, { workspace, container }))) : [];
        done += 1;
        if (done % 10 === 0 || done === selected.length) progress(`read ${done}/${selected.length} (${key})`);
        return { collection: listing.label, key, object, attached: Object.fromEntries(attached.map(([kind], i) => [kind, data[i]])) };
      }),
    );
    imported.push(...objects);
  }
  return imported;
}
