// What a kind declares, in its own module (`export const discovery`), so that the drift command's
// search for unmanaged objects (provider/drift/unmanaged.ts) and `import` (provider/import/) know its
// objects without naming it: both iterate the registry. Everything here is optional: a kind that
// declares nothing is still managed, only not searched for and not imported.
//
// `import` gets the program's arguments as data (ImportValue), never as code: provider/import/program.ts
// alone turns them into syntax, escaping every value.
import type { Api } from "../client/api";

// ---- Collections: where Bitbucket lists objects -------------------------------------------------

/** An object other collections are attached to (a repository), as the API addresses it. */
export interface Container {
  uuid: string;
  slug: string;
}

/** Where a listing runs: a workspace, and for an attached collection one of its containers. */
export interface Place {
  workspace: string;
  container?: Container;
}

/** One listed object as the search for unmanaged objects reports it. */
export interface Listed {
  /** Every identity of the object (compared in lower case): a resource claiming any of them declares it. */
  keys: string[];
  /** What identifies it in the report: a repository's full name, a hook's UUID, a group's slug, a user's account id. */
  id: string;
  /** One line about it: a hook's URL and events, a grant's permission. */
  detail: string;
  /** For an object of a workspace: its name in the report (a repository's slug). */
  name?: string;
  /** Its UUID, when it has one the report should show (a repository's). */
  uuid?: string;
  /** What a person calls it in Bitbucket, when that is not its id: a group's name, a user's display name. */
  title?: string;
}

/**
 * A collection of Bitbucket objects: a workspace's (repositories; projects), or one attached to each
 * object of a container collection (a repository's webhooks, its group grants, its user grants).
 * Declared once, by the module of the kind whose resources are its items, and imported by the
 * modules of kinds that claim it whole.
 */
export interface Collection<T = unknown> {
  /** One object's label ("repository", "webhook", "group permission"): the kind of an unmanaged object. */
  label: string;
  /** Several objects ("repositories"), for progress lines and the import's summary. */
  plural: string;
  /** The container collection it is attached to (its label); absent: it lists a workspace's objects. */
  on?: string;
  /** Lists it: one paginated API call. `projects`: the command's `--project` keys, which a workspace listing may filter on. */
  list(api: Api, place: Place, projects: readonly string[]): Promise<T[]>;
  /** What the search for unmanaged objects says of one object. */
  listed(object: T): Listed;
  /** An object of a workspace: its key in an import (its resource name, its variable, what `--match` selects, the order). */
  key?(object: T): string;
  /** An object of a container collection: what its attached collections are listed on. */
  container?(object: T): Container;
  /** How the drift command's ignore file names its objects; absent: they cannot be ignored. */
  ignore?: IgnoredAs<T>;
}

/**
 * An ignore file's section for a collection (`webhooks`), and the entry's field (`url`) whose pattern
 * matches any of the object's `values`. Every entry may also have a `repository` pattern, matched
 * against `workspace/slug` of the object's repository (a repository's own).
 */
export interface IgnoredAs<T> {
  section: string;
  field?: string;
  values?(object: T): string[];
}

/** A collection, its object type inferred from `list`. */
export const collection = <T>(c: Collection<T>): Collection<T> => c;

// ---- What a resource holds, from its state ------------------------------------------------------

/**
 * One object a resource of the stack holds, read from its state outputs: an object of `collection`
 * by any of its `keys`, or the whole collection (no `keys`) on one container.
 */
export interface StateClaim {
  /** The collection's label. */
  collection: string;
  workspace: string;
  /** In an attached collection: the container as the state names it (its slug or `{uuid}`). */
  on?: string;
  /** The object's identities (any one matches); absent: every object of the collection on `on`. */
  keys?: string[];
  /** The object is a container (a repository): its UUID and slug, by which attached resources name it. */
  container?: Container;
  /**
   * The key of the project the object is in (a repository) or is (a project): the search's default
   * scope is the stack's projects.
   */
  project?: string;
}

// ---- Import: the program's arguments as data ----------------------------------------------------

/** The program's `workspace` variable. */
export const WORKSPACE = { special: "workspace" } as const;
/** `.id` of the variable of the container the resource is attached to. */
export const CONTAINER_ID = { special: "container id" } as const;

/** One entry of a map argument, with an optional comment line before it. */
export type MapEntry = [key: string, value: ImportValue, comment?: string];

export type ImportValue =
  | string
  | boolean
  /** A whole number ≥ 0 (a restriction's value). */
  | number
  | string[]
  | typeof WORKSPACE
  | typeof CONTAINER_ID
  /** An object literal with these entries, in this order. */
  | { entries: MapEntry[] }
  /** An array of object literals (a list argument's entries), one after the other. */
  | { items: { entries: MapEntry[] }[] }
  /**
   * `.id` of the variable of the imported object with key `idOf` in the collection labelled `in` when
   * it is declared above; else the value `orElse`, and the comment `note` goes before the declaration.
   */
  | { idOf: string; in: string; orElse: string; note: string }
  /** The output `output` (an identifier) of the variable of the imported object with key `outputOf` in the collection labelled `in` when it is declared above; else the value `orElse`. */
  | { outputOf: string; in: string; output: string; orElse: string }
  /** `config.requireSecret(K)`: the key K is made from the resource's name; the README lists it with `about`. */
  | { configSecret: { repository: string; url: string } };

/** An argument: its name and value (undefined: left out). */
export type ImportMember = [key: string, value: ImportValue | undefined];

/** `new bitbucket.<Kind>(name, { args }, keep)`, the kind being the declaring one. */
export interface Declaration {
  name: string;
  args: ImportMember[];
  /** Comment lines before it. */
  comments?: string[];
  /** What it adds to the summary's count (default 1: grants count each grant). */
  count?: number;
}

/** A declaration of a workspace's object: a variable its attached resources refer to, in a section of the program. */
export interface TopDeclaration extends Declaration {
  /** Sections come in `late` order (false first), then by `order`; objects keep the listing's order within one. */
  section: { title: string; late: boolean; order: string };
}

/** A line of an attached kind's part of a block: a declaration or a comment. */
export type ImportLine = Declaration | { comment: string };

/** What a workspace-level kind's declaration may know about the whole import. */
export interface ImportScope {
  workspace: string;
  /** Whether the object with this key in the collection with this label is being imported (keys are unique only within a collection). */
  isImported(collection: string, key: string): boolean;
}

/** A kind whose objects come from a workspace's listing (kinds sharing one listing read it once). */
export interface TopLevelImport<T = unknown> {
  from: Collection<T>;
  /** The summary's label ("repositories"). */
  counted: string;
  /** The object's declaration; undefined when the object is another kind's (a fork, for Repository). */
  declare(object: T, scope: ImportScope): TopDeclaration | undefined;
}

/** A kind read on each imported object of a container collection. */
export interface AttachedImport<T = unknown> {
  on: Collection;
  /** The summary's label ("webhooks"), also in the progress line. */
  counted: string;
  /** Its place in the container's block and in the summary: lower first. */
  order: number;
  read(api: Api, place: Required<Place>): Promise<T>;
  /** What it declares; `key` is the container's (resource names start with it). */
  declare(data: T, container: { key: string }): ImportLine[];
}

// ---- Naming: the Bitbucket object a resource holds, as a person finds it -------------------------

/** An object inside a repository (or project): a grant, a hook. */
export interface ObjectName {
  /** What a person calls one: "group", "user", "webhook". */
  label: string;
  /** The label of the collection that lists it: a name the state lacks is looked up there. */
  collection?: string;
  /** Its identity: a group's slug, a user's account id, a hook's UUID (or its key in the program). */
  id: string;
  /** What a person reads in Bitbucket: a group's name, a user's display name, a hook's URL (credentials dropped). */
  name?: string;
}

/** Where a resource's object is in Bitbucket. */
export interface Described {
  workspace?: string;
  /** The repository that is or holds the object: its slug and UUID, either may be unknown. */
  repository?: { slug?: string; uuid?: string };
  /** The project key: the repository's project, or the project itself. */
  project?: string;
  /** The object in the repository or project, when it is not the repository itself. */
  object?: ObjectName;
}

/** A repository reference as resources hold it (a slug or `{uuid}`). */
export function repositoryOf(ref: unknown): Described["repository"] {
  const value = text(ref);
  if (!value) return undefined;
  return value.startsWith("{") ? { uuid: value } : { slug: value };
}

/**
 * The object a map argument's key names (`groups.contractors` → group contractors), by the map:
 * `maps` gives, for each map argument, the object's label and its collection's.
 */
export function mapKeyObject(field: string, maps: Record<string, { label: string; collection?: string }>): ObjectName | undefined {
  const [map, key] = field.split(".");
  const named = Object.hasOwn(maps, map) ? maps[map] : undefined;
  return named && key !== undefined ? { ...named, id: key } : undefined;
}

// ---- Import from a Terraform state: the DrFaust92/bitbucket provider's resources ------------------

/** One instance of a Terraform resource, as `import --from-terraform-state` hands it to a kind. */
export interface TerraformInstance {
  /** Its attributes as the state holds them (they mirror the API's objects). */
  attributes: Record<string, unknown>;
  /** Its resource name in the program, made from its Terraform address (`frontends-checkout-web`). */
  name: string;
}

/** What a kind's Terraform declaration may know about the whole import. */
export interface TerraformScope {
  /** The program's `workspace` variable when `owner` is its workspace, else `owner` itself. */
  workspaceOf(owner: string): ImportValue;
}

/**
 * How instances of one DrFaust92/bitbucket resource type become resources of this kind. Objects other
 * declarations refer to (repositories, projects) are `known` by a key made with `terraformKey`.
 */
export interface TerraformImport<T = unknown> {
  /** The Terraform resource type (`bitbucket_hook`). */
  type: string;
  /** Its place: declarations of lower order come first (what they refer to comes before them), and first within an instance's block. */
  order: number;
  /** The object this kind's declaration is, for others to refer to it: the collection's label and the key. */
  known?(attributes: Record<string, unknown>): { in: string; key: string } | undefined;
  /** Why this instance has no counterpart here, when it has none (it is then listed as not imported). */
  unmapped?(attributes: Record<string, unknown>): string | undefined;
  /** What the state cannot be trusted with, read from Bitbucket (one request per instance). */
  read?(api: Api, attributes: Record<string, unknown>): Promise<T>;
  /** Its declarations (usually one), and why an attribute the state holds is not carried (a comment). */
  declare(instance: TerraformInstance, scope: TerraformScope, live: T | undefined): Declaration[];
}

/** The key a Terraform declaration finds a repository or a project by: `workspace/slug`, `workspace/KEY`. */
export const terraformKey = (owner: unknown, key: unknown) => `${String(owner)}/${String(key)}`;

export const terraformImport = <T>(rule: TerraformImport<T>): TerraformImport<T> => rule;

/** Everything a kind declares for the drift command's search and for `import`. */
export interface Discovery {
  /** Where its object is, from its outputs (or, for a resource deleted outside Pulumi, its declared inputs). */
  describe?(outputs: Record<string, unknown>, id: string | undefined): Described;
  /** The object inside it one of its fields is about (a map argument's key: a grant, a hook). */
  describeField?(field: string, outputs: Record<string, unknown>): ObjectName | undefined;
  /** What one resource of the kind holds, from its state outputs (and ID). */
  claims?(outputs: Record<string, unknown>, id: string | undefined): StateClaim[];
  /** The collection whose unclaimed objects the search reports. */
  search?: Collection;
  import?: TopLevelImport | AttachedImport;
  /** How a Terraform state of the DrFaust92/bitbucket provider names this kind's objects. */
  terraform?: TerraformImport;
}

/** Import rules, their object types inferred from `from` / `read`. */
export const topLevelImport = <T>(rule: TopLevelImport<T>): TopLevelImport<T> => rule;
export const attachedImport = <T>(rule: AttachedImport<T>): AttachedImport<T> => rule;

/** A string output, else undefined. */
export const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

// ---- claims and describe shared by kinds ---------------------------------------------------------

type Claims = NonNullable<Discovery["claims"]>;
type Describe = NonNullable<Discovery["describe"]>;

/**
 * The claim of a resource holding one object of `collection` by its id (the output `idKey`, else the
 * resource ID): in a workspace, or on a repository (by its UUID once the state has it) when the
 * collection is attached to repositories.
 */
export const claimsOne =
  (collection: Collection, idKey = "uuid"): Claims =>
  (outputs, id) => {
    const workspace = text(outputs.workspace);
    const keys = [String(outputs[idKey] ?? id)];
    if (!collection.on) return workspace ? [{ collection: collection.label, workspace, keys }] : [];
    const repository = text(outputs.repositoryUuid) ?? text(outputs.repository);
    return workspace && repository ? [{ collection: collection.label, workspace, on: repository, keys }] : [];
  };

/** Where a resource's one object (`label`, by its UUID, else the resource ID) is: in its workspace, or also in its repository. */
export const describeOne =
  (label: string, name: (outputs: Record<string, unknown>) => string | undefined, where: "workspace" | "repository"): Describe =>
  (outputs, id) => ({
    workspace: text(outputs.workspace),
    ...(where === "repository" ? { repository: repositoryOf(outputs.repositoryUuid ?? outputs.repository) } : {}),
    object: { label, id: text(outputs.uuid) ?? id ?? "?", name: name(outputs) },
  });

/** `claims` and `describe` of a resource holding whole collections of one repository (every object on it), by its UUID once the state has it. */
export function wholeOfRepository(...collections: Collection[]): { claims: Claims; describe: Describe } {
  return {
    claims: (outputs) => {
      const [workspace, repository] = [text(outputs.workspace), text(outputs.repositoryUuid ?? outputs.repository)];
      return workspace && repository ? collections.map((c) => ({ collection: c.label, workspace, on: repository })) : [];
    },
    describe: (outputs) => ({ workspace: text(outputs.workspace), repository: repositoryOf(outputs.repositoryUuid ?? outputs.repository) }),
  };
}
