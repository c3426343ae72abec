// The identifiers of Bitbucket objects that programs, read functions and the CLI name: one zod schema
// each, used by all three, so a value one of them accepts the others accept too.
//
// Each value here ends up in one URL path segment or a BBQL query, so none may change where a request
// goes: no '/', no '%', no whitespace, and never the dot segments '.' and '..' (the URL parser resolves
// those instead of sending them). Every rule below keeps to that.
import { z } from "zod";

/** Refuses the dot segments `.` and `..`, which a URL path resolves instead of sending. */
export const notDotSegment = (value: string) => value !== "." && value !== "..";
export const DOT_SEGMENT = "must not be '.' or '..' (that would address another endpoint)";

/** `{uuid}`: Bitbucket's UUID form, braces included (a bare UUID is not an identifier in a URL). */
export const UUID = /^\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}$/;
const isUuid = (value: string) => UUID.test(value);

/** Any Bitbucket object's `{uuid}` (a webhook, a repository, an account). */
export const ObjectUuid = z.string().regex(UUID, "must be a {uuid} (with braces, e.g. {0f8c2c1e-4b6e-4c2a-9d3e-2a1b3c4d5e6f})");

// Workspace and repository slugs are lowercase in Bitbucket, which also resolves them whatever their
// case. The rule: any case is accepted and the value is lowercased, so a program or call written with
// `Acme` addresses the same workspace as `acme`, and what is kept in the state is what Bitbucket
// reports back (no diff on the next refresh).
const WORKSPACE_SLUG = /^[a-z0-9][a-z0-9_.-]*$/;
const REPOSITORY_SLUG = /^[a-z0-9_.-]{1,62}$/;

/** A workspace slug or `{uuid}`, lowercased. */
export const Workspace = z
  .string()
  .toLowerCase()
  .refine(
    (value) => WORKSPACE_SLUG.test(value) || isUuid(value),
    "must be a workspace slug (letters, digits, '-', '_', '.', starting with a letter or digit; any case, sent lowercase) or a workspace {uuid}",
  );

export const REPOSITORY_RULE =
  "must be a repository slug (letters, digits, '-', '_', '.', at most 62, not '.' or '..'; any case, sent lowercase) or a repository {uuid}";

/** Whether `value` is a repository slug or `{uuid}` as `Repository` accepts it once lowercased. */
export function isRepositorySlugOrUuid(value: string): boolean {
  const lower = value.toLowerCase();
  return (REPOSITORY_SLUG.test(lower) && notDotSegment(lower)) || isUuid(lower);
}

/** A repository slug or `{uuid}`, lowercased. */
export const Repository = z.string().toLowerCase().refine(isRepositorySlugOrUuid, `${REPOSITORY_RULE} (recommended: pass repo.id, which survives renames)`);

/** Whether `value` is a workspace slug or `{uuid}` as `Workspace` accepts it once lowercased. */
export function isWorkspaceSlugOrUuid(value: string): boolean {
  return Workspace.safeParse(value).success;
}

/** A project key as Bitbucket allows it: a letter, then letters, digits and '_'. */
export const PROJECT_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
export const PROJECT_KEY_RULE = "must be a project key (a letter, then letters, digits or '_')";
export const ProjectKey = z.string().regex(PROJECT_KEY, PROJECT_KEY_RULE);

/** Throws, naming the first, unless every key is a project key (keys given on a command line). */
export function requireProjectKeys(keys: readonly string[]): void {
  const invalid = keys.find((key) => !PROJECT_KEY.test(key));
  if (invalid !== undefined) throw new Error(`Project ${JSON.stringify(invalid)} ${PROJECT_KEY_RULE}.`);
}
/** A project key or the project's `{uuid}` (read functions accept both). */
export const ProjectKeyOrUuid = z.string().refine((value) => PROJECT_KEY.test(value) || isUuid(value), `${PROJECT_KEY_RULE} or a {uuid}`);

/** A group slug: lowercase as Bitbucket derives it from the group's name (map keys are compared as given). */
export const GroupSlug = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a group slug (lowercase letters, digits, '-', '_')");

/** An Atlassian account id (`557058:ba8948b2-…` or 24 hex digits) or a user `{uuid}`. */
export const AccountRef = z
  .string()
  .refine(
    (value) => isUuid(value) || /^[A-Za-z0-9]+(:[A-Za-z0-9-]+)?$/.test(value),
    "must be an Atlassian account id (e.g. 557058:ba8948b2-…) or a user {uuid}",
  );
