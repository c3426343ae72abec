// Repository: a Bitbucket Cloud git repository. The Pulumi ID is the repository's UUID, so a rename
// (which changes the slug) keeps the same resource, and every read is one GET addressed by UUID.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isValidSlug, slugify } from "../../emulator/slug";
import { isAlreadyExists, isNotFound } from "../client";
import type { RepositoryBody, RepositoryObject } from "../client/api";
import { getClient } from "../runtime";
import { shim } from "../shim";
import { changedKeys, checkInputs, compact, parseInputs, replacedKeys, WorkspaceRef } from "./common";

// ---- Input schema ------------------------------------------------------------------------------

/** The spec's `repository.fork_policy` enum. */
export const FORK_POLICIES = ["allow_forks", "no_public_forks", "no_forks"] as const;

/** Settings a repository and a fork share (the fields a fork may override). */
export const RepositorySettings = z.object({
  description: z.string().max(4000).optional(),
  isPrivate: z.boolean().optional(),
  forkPolicy: z.enum(FORK_POLICIES).optional(),
  // The API stores languages in lower case; normalizing here avoids a perpetual diff.
  language: z
    .string()
    .transform((s) => s.toLowerCase())
    .optional(),
  hasIssues: z.boolean().optional(),
  hasWiki: z.boolean().optional(),
  projectKey: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "must be a project key (a letter, then letters, digits or '_')")
    .optional(),
  mainBranch: z
    .string()
    .regex(/^(?!\/|.*\/$|.*\.\.|.*\/\/)[^\s~^:?*[\\]+$/, "must be a valid git branch name")
    .optional(),
});

export const RepositoryName = z
  .string()
  .min(1, { message: "must not be empty", abort: true })
  .max(255, "must be at most 255 characters")
  .refine((name) => slugify(name).length > 0, "must contain at least one letter or digit (the slug is derived from it)");

export const RepositoryInputs = RepositorySettings.extend({
  workspace: WorkspaceRef,
  name: RepositoryName,
  slug: z
    .string()
    .refine(isValidSlug, "must be a slug: lowercase letters, digits, '-', '_' and '.', at most 62 characters, no leading/trailing '-'")
    .optional(),
  website: z.union([z.literal(""), z.url({ protocol: /^https?$/, error: "must be an http(s) URL or empty" })]).optional(),
  adopt: z.boolean().optional(),
});
export type RepositoryInputs = z.infer<typeof RepositoryInputs>;

/** What a Repository's state holds: the settable fields as they are live, plus computed ones. */
export interface RepositoryState {
  workspace: string;
  name: string;
  slug: string;
  description?: string;
  isPrivate?: boolean;
  forkPolicy?: string;
  language?: string;
  hasIssues?: boolean;
  hasWiki?: boolean;
  website?: string;
  projectKey?: string;
  mainBranch?: string;
  /** The `slug` argument given at creation (the live slug follows the name after a rename). */
  requestedSlug?: string;
  uuid: string;
  fullName: string;
  htmlUrl?: string;
  cloneUrlHttps?: string;
  cloneUrlSsh?: string;
}

/** Settings that PUT can change in place, shared with Fork. */
export const SETTING_KEYS = ["name", "description", "isPrivate", "forkPolicy", "language", "hasIssues", "hasWiki", "projectKey", "mainBranch"] as const;
const REPOSITORY_KEYS = [...SETTING_KEYS, "website"] as const;
type SettingKey = (typeof REPOSITORY_KEYS)[number];

// ---- Mapping between arguments and the API ----------------------------------------------------

/** The API body for the given settings (only those set). */
export function repositoryBody(inputs: Partial<Record<SettingKey, unknown>>, keys: readonly SettingKey[] = REPOSITORY_KEYS): RepositoryBody {
  const has = (k: SettingKey) => keys.includes(k) && inputs[k] !== undefined;
  const body: RepositoryBody = {};
  if (has("name")) body.name = inputs.name as string;
  if (has("description")) body.description = inputs.description as string;
  if (has("isPrivate")) body.is_private = inputs.isPrivate as boolean;
  if (has("forkPolicy")) body.fork_policy = inputs.forkPolicy as string;
  if (has("language")) body.language = inputs.language as string;
  if (has("hasIssues")) body.has_issues = inputs.hasIssues as boolean;
  if (has("hasWiki")) body.has_wiki = inputs.hasWiki as boolean;
  if (has("website")) body.website = inputs.website as string;
  if (has("projectKey")) body.project = { key: inputs.projectKey as string };
  if (has("mainBranch")) body.mainbranch = { name: inputs.mainBranch as string };
  return body;
}

/** The state fields read from a live repository object. */
export function repositoryState(live: RepositoryObject, workspace: string, slug?: string) {
  const clone = (name: string) => live.links?.clone?.find((c) => c.name === name)?.href;
  return compact({
    workspace,
    name: live.name,
    slug: slug ?? live.slug ?? live.full_name.split("/")[1],
    description: live.description ?? "",
    isPrivate: live.is_private ?? undefined,
    forkPolicy: live.fork_policy ?? undefined,
    language: live.language ?? "",
    hasIssues: live.has_issues ?? undefined,
    hasWiki: live.has_wiki ?? undefined,
    website: live.website ?? "",
    projectKey: live.project?.key,
    mainBranch: live.mainbranch?.name,
    uuid: live.uuid,
    fullName: live.full_name,
    htmlUrl: live.links?.html?.href,
    cloneUrlHttps: clone("https"),
    cloneUrlSsh: clone("ssh"),
  });
}

/** The settable fields of a state, as inputs (what refresh and import store). */
export function settingsOf(state: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return compact(Object.fromEntries(keys.map((k) => [k, state[k]])));
}

/** Changes the given settings in place (PUT by UUID); a rename's new slug comes from `Location`. */
export async function updateSettings(workspace: string, uuid: string, news: Record<string, unknown>, keys: readonly SettingKey[]) {
  const { repository, locationSlug } = await getClient().api.updateRepository(workspace, uuid, repositoryBody(news, keys));
  return repositoryState(repository, workspace, locationSlug);
}

/** Reads a repository by UUID; undefined when it is gone. */
export async function readLive(workspace: string, uuid: string) {
  try {
    return await getClient().api.getRepository(workspace, uuid);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** A Repository/Fork ID is the UUID; `get` also accepts `workspace/{uuid}`. */
export function splitRepositoryId(id: string, props: Record<string, unknown> | undefined): { workspace: string; uuid: string } {
  const slash = id.indexOf("/");
  if (slash > 0) return { workspace: id.slice(0, slash), uuid: id.slice(slash + 1) };
  const workspace = (props?.targetWorkspace ?? props?.workspace) as string | undefined;
  if (!workspace)
    throw new Error(`Cannot read repository ${id}: its workspace is unknown. Pass the ID as "workspace/{uuid}" or give { workspace } as the state to get().`);
  return { workspace, uuid: id };
}

/** Deletes a repository (or fork) by UUID; one already gone counts as deleted. */
export async function deleteById(id: string, props: Record<string, unknown>) {
  const { workspace, uuid } = splitRepositoryId(id, props);
  try {
    await getClient().api.deleteRepository(workspace, uuid);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const repositoryProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    return checkInputs(RepositoryInputs, news);
  },

  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const replaces = replacedKeys(olds, news, ["workspace"]);
    // An explicit slug is a creation-time choice: only asking for a slug that is neither the one asked
    // for at creation nor the live one needs a new repository (a rename never does).
    const slug = news.slug;
    if (slug !== undefined && slug !== olds.requestedSlug && slug !== olds.slug) replaces.push("slug");
    const changes = changedKeys(olds, news, REPOSITORY_KEYS);
    return { changes: replaces.length > 0 || changes.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(raw: Record<string, unknown>) {
    const inputs = parseInputs(RepositoryInputs, raw);
    const { api } = getClient();
    const slug = inputs.slug ?? slugify(inputs.name);
    const body = repositoryBody(inputs);
    let live: RepositoryObject | undefined;
    let locationSlug: string | undefined;
    if (inputs.adopt) {
      const existing = await readLive(inputs.workspace, slug);
      if (existing) ({ repository: live, locationSlug } = await api.updateRepository(inputs.workspace, existing.uuid, body));
    }
    if (!live) {
      try {
        live = await api.createRepository(inputs.workspace, slug, body);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        // After a lost answer the retried POST finds the repository the first one created.
        const attempts = (err as { attempts?: number }).attempts ?? 1;
        const existing = attempts > 1 ? await readLive(inputs.workspace, slug) : undefined;
        if (!existing || existing.name !== inputs.name) {
          throw new Error(
            `${(err as Error).message} To manage the existing repository ${inputs.workspace}/${slug} with Pulumi, set adopt: true on this Repository.`,
            { cause: err },
          );
        }
        live = existing;
      }
    }
    const outs = { ...repositoryState(live, inputs.workspace, locationSlug), ...compact({ requestedSlug: inputs.slug }) };
    return { id: live.uuid, outs };
  },

  async read(id: string, props?: Record<string, unknown>) {
    const { workspace, uuid } = splitRepositoryId(id, props);
    const live = await readLive(workspace, uuid);
    if (!live) return {};
    const state = { ...repositoryState(live, workspace), ...compact({ requestedSlug: props?.requestedSlug }) };
    const inputs = { ...settingsOf(state, ["workspace", ...REPOSITORY_KEYS]), ...compact({ slug: props?.requestedSlug }) };
    return { id: live.uuid, props: state, inputs };
  },

  async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const inputs = parseInputs(RepositoryInputs, news);
    const keys = changedKeys(olds, inputs, REPOSITORY_KEYS) as SettingKey[];
    const state = keys.length > 0 ? await updateSettings(inputs.workspace, id, inputs, keys) : olds;
    return { outs: { ...state, ...compact({ requestedSlug: olds.requestedSlug }) } };
  },

  async delete(id: string, props: Record<string, unknown>) {
    await deleteById(id, props);
  },
};

// ---- Resource class ----------------------------------------------------------------------------

export interface RepositoryArgs {
  /** Workspace slug (or `{uuid}`) that owns the repository. Required. Changing it replaces the repository (a new one is created in the new workspace, then the old one is deleted). */
  workspace: pulumi.Input<string>;
  /** Display name. Required; must contain a letter or digit. Changing it renames the repository in place: Bitbucket derives a new slug from it (read from the `Location` answer); the ID (UUID) stays and nothing attached is replaced. */
  name: pulumi.Input<string>;
  /** URL slug at creation: lowercase letters, digits, `-`, `_`, `.`, at most 62 characters. Default: derived from `name` by Atlassian's rules (accents folded, other runs of characters → `-`). Only used at creation: a later rename re-slugs from the name without a diff. Setting a slug that is neither the one asked for at creation nor the live one replaces the repository. */
  slug?: pulumi.Input<string>;
  /** Free-text description. Unset: Bitbucket's default (empty) and not managed. Updates in place. */
  description?: pulumi.Input<string>;
  /** Whether the repository is private. Unset: Bitbucket's default and not managed. Updates in place. */
  isPrivate?: pulumi.Input<boolean>;
  /** Forking rules: `allow_forks` | `no_public_forks` | `no_forks`. Unset: Bitbucket's default (`allow_forks`) and not managed. Updates in place. */
  forkPolicy?: pulumi.Input<"allow_forks" | "no_public_forks" | "no_forks">;
  /** Main language, e.g. `typescript` (stored in lower case). Unset: none and not managed. Updates in place. */
  language?: pulumi.Input<string>;
  /** Whether the issue tracker is enabled. Unset: Bitbucket's default and not managed. Updates in place. */
  hasIssues?: pulumi.Input<boolean>;
  /** Whether the wiki is enabled. Unset: Bitbucket's default and not managed. Updates in place. */
  hasWiki?: pulumi.Input<boolean>;
  /** Website: an http(s) URL, or `""` for none. Unset: not managed. Updates in place. */
  website?: pulumi.Input<string>;
  /** Key of the workspace project holding the repository (e.g. `PLAT`). Unset: the workspace's oldest project at creation, then not managed. Updates in place (moves the repository). */
  projectKey?: pulumi.Input<string>;
  /** Name of the main branch (a valid git branch name). Unset: Bitbucket's default and not managed. Updates in place. */
  mainBranch?: pulumi.Input<string>;
  /** true: creation takes over an existing repository with this slug (updating it to these settings) instead of failing with "already exists" — the way to bring existing repositories under management (Pulumi's `import` option does not work for dynamic providers on many versions). Default false. Only read at creation; changing it later does nothing. */
  adopt?: pulumi.Input<boolean>;
}

/** Outputs a repository and a fork share. */
export const SHARED_OUTPUT_KEYS = [
  "workspace",
  "name",
  "slug",
  "description",
  "isPrivate",
  "forkPolicy",
  "language",
  "hasIssues",
  "hasWiki",
  "website",
  "projectKey",
  "mainBranch",
  "uuid",
  "fullName",
  "htmlUrl",
  "cloneUrlHttps",
  "cloneUrlSsh",
] as const;
const OUTPUT_KEYS = [...SHARED_OUTPUT_KEYS, "requestedSlug"];

/** Outputs start undefined so Pulumi exposes them as properties. */
export function withOutputs(args: object | undefined, keys: readonly string[]): Record<string, unknown> {
  return { ...Object.fromEntries(keys.map((k) => [k, undefined])), ...(args ?? {}) };
}

/** The outputs a Repository and a Fork have in common: both are repositories. */
export abstract class RepositoryOutputs extends pulumi.dynamic.Resource {
  /** Workspace slug (or UUID) as given (for a fork: the parent's). */
  declare readonly workspace: pulumi.Output<string>;
  /** Display name. */
  declare readonly name: pulumi.Output<string>;
  /** Current slug (follows renames). */
  declare readonly slug: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly isPrivate: pulumi.Output<boolean>;
  declare readonly forkPolicy: pulumi.Output<string>;
  declare readonly language: pulumi.Output<string>;
  declare readonly hasIssues: pulumi.Output<boolean>;
  declare readonly hasWiki: pulumi.Output<boolean>;
  declare readonly website: pulumi.Output<string>;
  declare readonly projectKey: pulumi.Output<string>;
  declare readonly mainBranch: pulumi.Output<string | undefined>;
  /** The UUID, with braces (also the resource ID). */
  declare readonly uuid: pulumi.Output<string>;
  /** `workspace/slug`. */
  declare readonly fullName: pulumi.Output<string>;
  declare readonly htmlUrl: pulumi.Output<string>;
  declare readonly cloneUrlHttps: pulumi.Output<string>;
  declare readonly cloneUrlSsh: pulumi.Output<string>;
}

/** A Bitbucket Cloud repository. ID: its UUID. */
export class Repository extends RepositoryOutputs {
  /** The `slug` argument given at creation, if any. */
  declare readonly requestedSlug: pulumi.Output<string | undefined>;

  constructor(name: string, args: RepositoryArgs, opts?: pulumi.CustomResourceOptions) {
    super(shim("Repository"), name, withOutputs(args, OUTPUT_KEYS), opts, "bitbucket", "Repository");
  }

  /** Reads an existing repository by UUID: `get(name, "{uuid}", { workspace })` or `get(name, "workspace/{uuid}")`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: { workspace?: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions): Repository {
    return new Repository(name, state as RepositoryArgs, { ...opts, id });
  }
}
