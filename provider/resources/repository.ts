// Repository: a Bitbucket Cloud git repository. The Pulumi ID is the repository's UUID, so a rename
// (which changes the slug) keeps the same resource, and every read is one GET addressed by UUID.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isValidSlug, slugify } from "../../rules/slug";
import { ifFound, isAlreadyExists } from "../client";
import type { RepositoryBody, RepositoryObject } from "../client/api";
import type { Context } from "../context";
import { ProjectKey, requireProjectKeys } from "../identifiers";
import {
  BitbucketResource,
  CheckFailure,
  compact,
  isUnknown,
  notDotSegment,
  ResourceProvider,
  splitId,
  withFailures,
  withOutputs,
  WorkspaceRef,
  diffResult,
} from "./common";
import { claimRule, repositoryClaim } from "./claims";
import { argument, fieldTable, Inputs, output, outputTable, ResourceOutputs } from "./fields";
import { PROJECTS } from "./project";
import {
  terraformImport,
  terraformKey,
  text,
  topLevelImport,
  WORKSPACE,
  type Collection,
  type Described,
  type Discovery,
  type ImportMember,
  type ImportValue,
} from "./discovery";

// ---- Fields ------------------------------------------------------------------------------------

/** The spec's `repository.fork_policy` enum. */
export const FORK_POLICIES = ["allow_forks", "no_public_forks", "no_forks"] as const;

export const RepositoryName = z
  .string()
  .min(1, { message: "must not be empty", abort: true })
  .max(255, "must be at most 255 characters")
  .refine((name) => slugify(name).length > 0 && notDotSegment(slugify(name)), "must contain at least one letter or digit (the slug is derived from it)");

/**
 * Bitbucket Cloud's issue tracker and wikis were sunset on 2026-08-20 (Atlassian removed them and their
 * APIs; since April 2026 no repository could turn them on). The arguments stay so that programs that set
 * them false keep working; true is refused at preview.
 */
function sunset(feature: string) {
  return z
    .boolean()
    .refine(
      (on) => !on,
      `cannot be true: Bitbucket Cloud's ${feature} was sunset on 2026-08-20 and a repository can no longer have one. Remove the argument (false is accepted and changes nothing)`,
    )
    .optional();
}

/** Settings a repository and a fork share (the fields a fork may override), all updated in place. */
export const SETTINGS = {
  description: { schema: z.string().max(4000).optional(), api: "description", absent: "", update: true },
  isPrivate: { schema: z.boolean().optional(), api: "is_private", update: true },
  forkPolicy: { schema: z.enum(FORK_POLICIES).optional(), api: "fork_policy", update: true },
  // The API stores languages in lower case; normalizing here avoids a perpetual diff.
  language: {
    schema: z
      .string()
      .transform((s) => s.toLowerCase())
      .optional(),
    api: "language",
    absent: "",
    update: true,
  },
  // Sunset on 2026-08-20: never sent nor read; kept in the state as the program set them (createOnly), so
  // a program that still says false has no diff whatever Bitbucket reports.
  hasIssues: { schema: sunset("issue tracker"), createOnly: true },
  hasWiki: { schema: sunset("wiki"), createOnly: true },
  projectKey: {
    schema: ProjectKey.optional(),
    api: "project.key",
    update: true,
  },
  mainBranch: {
    schema: z
      .string()
      .regex(/^(?!\/|.*\/$|.*\.\.|.*\/\/)[^\s~^:?*[\\]+$/, "must be a valid git branch name")
      .optional(),
    api: "mainbranch.name",
    update: true,
  },
} as const;

export const FIELDS = fieldTable<RepositoryArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  name: { schema: RepositoryName, api: "name", update: true },
  // Not in the body: the slug is the URL the repository is created at (see diff for when it replaces).
  slug: {
    schema: z
      .string()
      .refine(
        (slug) => isValidSlug(slug) && notDotSegment(slug),
        "must be a slug: lowercase letters, digits, '-', '_' and '.', at most 62 characters, no leading/trailing '-', not '.' or '..'",
      )
      .optional(),
    createOnly: true,
  },
  ...SETTINGS,
  website: {
    schema: z.union([z.literal(""), z.url({ protocol: /^https?$/, error: "must be an http(s) URL or empty" })]).optional(),
    api: "website",
    absent: "",
    update: true,
  },
  adopt: { schema: z.boolean().optional(), createOnly: true },
  allowReplace: { schema: z.boolean().optional(), createOnly: true },
});

/** A Repository owns the repository at its slug (the one given, else the one derived from the name). */
export const claims = claimRule(["workspace", "name", "slug"], (args) =>
  args.slug !== undefined
    ? repositoryClaim(args.workspace, args.slug, "slug")
    : repositoryClaim(args.workspace, typeof args.name === "string" ? slugify(args.name) : undefined, "name"),
);

/** Bitbucket refuses `no_public_forks` on a public repository (or fork): say so at preview. */
export function forkPolicyFailures(news: Record<string, unknown>): CheckFailure[] {
  if (news.forkPolicy !== "no_public_forks" || news.isPrivate !== false) return [];
  return [
    {
      property: "forkPolicy",
      reason:
        "forkPolicy no_public_forks is only allowed on a private repository (isPrivate: true): Bitbucket refuses it on a public one. Use allow_forks or no_forks, or make it private.",
    },
  ];
}

/**
 * A replacement deletes a repository (or fork) with its history, pull requests and settings: it is
 * refused, naming what causes it, unless the program opts in with `allowReplace: true`.
 */
export function refuseReplacement(kind: string, id: string, olds: Record<string, unknown>, news: Record<string, unknown>, replaces: string[], keep: string) {
  if (replaces.length === 0 || news.allowReplace === true) return;
  const changes = replaces.map(
    (k) => `${k} ${JSON.stringify(olds[k])} → ${isUnknown(news[k]) ? "a value known only during the update" : JSON.stringify(news[k])}`,
  );
  const message =
    `Refusing to replace the ${kind} ${(olds.fullName as string | undefined) ?? id}: changing ${changes.join(", ")} would make Pulumi delete it, with its git history, ` +
    `pull requests and settings, and create a new one. ${keep} To replace it anyway, set allowReplace: true on it.`;
  // The stack would only repeat the message in the CLI's output.
  throw Object.assign(new Error(message), { stack: message });
}

// ---- Mapping between the state and the API -----------------------------------------------------

/** The state read from a live repository object (a fork's too): its settings and computed fields. */
export function repositoryState(live: RepositoryObject, workspace: string, slug?: string) {
  const clone = (name: string) => live.links?.clone?.find((c) => c.name === name)?.href;
  return compact({
    workspace,
    ...FIELDS.state(live),
    slug: slug ?? live.slug ?? live.full_name.split("/")[1],
    uuid: live.uuid,
    fullName: live.full_name,
    htmlUrl: live.links?.html?.href,
    cloneUrlHttps: clone("https"),
    cloneUrlSsh: clone("ssh"),
  });
}

/** The request body for the given settings of a repository or fork (only those set). */
export function repositoryBody(inputs: Record<string, unknown>, keys?: readonly string[]): RepositoryBody {
  return FIELDS.body<RepositoryBody>(inputs, keys);
}

/** Changes the given settings in place (PUT by UUID); a rename's new slug comes from `Location`. */
export async function updateSettings(ctx: Context, workspace: string, uuid: string, news: Record<string, unknown>, keys: readonly string[]) {
  const { repository, locationSlug } = await ctx.api.updateRepository(workspace, uuid, repositoryBody(news, keys));
  return repositoryState(repository, workspace, locationSlug);
}

/** A Repository/Fork ID is the UUID, in the state's workspace (a fork's target); `get` also accepts `workspace/{uuid}`. */
export function repositoryId(id: string, props: Record<string, unknown> | undefined) {
  return splitId("repository", id, ["workspace", "uuid"], { workspace: props?.targetWorkspace ?? props?.workspace });
}

/** Deletes a repository (or fork) by UUID; one already gone counts as deleted. */
export async function deleteById(ctx: Context, id: string, props: Record<string, unknown>) {
  const { workspace, uuid } = repositoryId(id, props);
  await ifFound(ctx.api.deleteRepository(workspace, uuid));
}

/**
 * Takes over an existing repository (or fork): writes only the settings given (those that differ from
 * the program's), so taking over a repository that already matches makes no request at all.
 */
export async function takeOver(ctx: Context, workspace: string, existing: RepositoryObject, inputs: Record<string, unknown>, keys: readonly string[]) {
  return keys.length > 0 ? updateSettings(ctx, workspace, existing.uuid, inputs, keys) : repositoryState(existing, workspace);
}

/** POSTs a new repository at `slug`; "already exists" points to `adopt`, unless it was our own lost answer. */
async function createNew({ api, fresh }: Context, inputs: Inputs<typeof FIELDS.rows>, slug: string): Promise<RepositoryObject> {
  try {
    const created = await api.createRepository(inputs.workspace, slug, repositoryBody(inputs));
    fresh?.created(inputs.workspace, created);
    return created;
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    // After a lost answer the retried POST finds the repository the first one created.
    const existing = err.attempts > 1 ? await ifFound(api.getRepository(inputs.workspace, slug)) : undefined;
    if (!existing || existing.name !== inputs.name) {
      throw new Error(
        `${err.message} To manage the existing repository ${inputs.workspace}/${slug} with Pulumi, set adopt: true on this Repository. ` +
          "If a `pulumi up` that was interrupted created it, recover as docs/recovery.md of pulumi-bitbucket-cloud says (After a killed `pulumi up`): BITBUCKET_ADOPT_EXISTING=true pulumi up.",
        {
          cause: err,
        },
      );
    }
    return existing;
  }
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  async check(_olds, news) {
    return withFailures(FIELDS.check(news), news, forkPolicyFailures(news));
  },

  async diff(id, olds, news) {
    const { replaces, changes } = FIELDS.diff(olds, news);
    // An explicit slug is a creation-time choice: only asking for a slug that is neither the one asked
    // for at creation nor the live one needs a new repository (a rename never does).
    const slug = news.slug;
    if (slug !== undefined && slug !== olds.requestedSlug && slug !== olds.slug) replaces.push("slug");
    refuseReplacement(
      "repository",
      id,
      olds,
      news,
      replaces,
      "Bitbucket cannot move a repository to another workspace or give it a slug of your choosing in place; to keep it, put the previous value back.",
    );
    return diffResult({ replaces, changes }, false);
  },

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    const slug = inputs.slug ?? slugify(inputs.name);
    const existing = inputs.adopt || ctx.adoptExisting ? await ifFound(ctx.api.getRepository(inputs.workspace, slug)) : undefined;
    const state = existing
      ? await takeOver(ctx, inputs.workspace, existing, inputs, FIELDS.diff(repositoryState(existing, inputs.workspace), inputs).changes)
      : repositoryState(await createNew(ctx, inputs, slug), inputs.workspace);
    return { id: state.uuid, outs: { ...state, ...compact({ requestedSlug: inputs.slug }) } };
  },

  async read({ api }, id, props) {
    const { workspace, uuid } = repositoryId(id, props);
    const live = await ifFound(api.getRepository(workspace, uuid));
    if (!live) return {};
    const state = { ...repositoryState(live, workspace), ...compact({ requestedSlug: props?.requestedSlug }) };
    return { id: live.uuid, props: state, inputs: { ...FIELDS.inputsOf(state), ...compact({ slug: props?.requestedSlug }) } };
  },

  async update(ctx, id, olds, news) {
    const inputs = FIELDS.parse(news);
    const keys = FIELDS.diff(olds, inputs).changes;
    const state = keys.length > 0 ? await updateSettings(ctx, inputs.workspace, id, inputs, keys) : olds;
    return { outs: { ...state, ...compact({ requestedSlug: olds.requestedSlug }) } };
  },

  async delete(ctx, id, props) {
    await deleteById(ctx, id, props);
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** BBQL for "in one of these projects". A key is pasted into the query, so only a project key is accepted. */
export function projectQuery(projects: readonly string[]): Record<string, string> | undefined {
  if (projects.length === 0) return undefined;
  requireProjectKeys(projects);
  return { q: projects.map((key) => `project.key="${key}"`).join(" OR ") };
}

const slugOf = (live: RepositoryObject) => live.slug ?? live.full_name.split("/")[1];

/** The repositories of a workspace (with `--project`, of those projects): the container webhooks and grants attach to. */
export const REPOSITORIES: Collection<RepositoryObject> = {
  label: "repository",
  plural: "repositories",
  list: (api, { workspace }, projects) => api.listRepositories(workspace, projectQuery(projects)),
  listed: (live) => ({
    keys: [live.uuid],
    id: live.full_name,
    name: live.slug ?? live.name,
    uuid: live.uuid,
    detail: `${live.project?.key ? `project ${live.project.key}` : "no project"}, not in the stack`,
  }),
  key: slugOf,
  container: (live) => ({ uuid: live.uuid, slug: slugOf(live) }),
  ignore: { section: "repositories" },
};

/** A repository (or fork) of the stack: the repository it holds, by UUID, which webhooks and grants attach to. */
export function repositoryStateClaims(workspace: unknown, outputs: Record<string, unknown>, id: string | undefined) {
  const [ws, uuid, slug, project] = [text(workspace), text(outputs.uuid) ?? id, text(outputs.slug), text(outputs.projectKey) || undefined];
  return ws && uuid && slug ? [{ collection: REPOSITORIES.label, workspace: ws, keys: [uuid], container: { uuid, slug }, project }] : [];
}

/** Where a repository (or fork) of the stack is: from its outputs, or from the declared inputs of one deleted outside Pulumi. */
export function describeRepository(workspace: unknown, outputs: Record<string, unknown>, id: string | undefined): Described {
  return {
    workspace: text(workspace),
    repository: { slug: text(outputs.slug), uuid: text(outputs.uuid) ?? id },
    project: text(outputs.projectKey),
  };
}

/** The settings Bitbucket reports for a repository (or a fork), as arguments: empty texts are left out (unmanaged). */
export function settingsArguments(live: RepositoryObject, workspace: string, keys: readonly string[]): ImportMember[] {
  const state = repositoryState(live, workspace) as Record<string, unknown>;
  return keys.map((k) => [k, state[k] === undefined || state[k] === "" ? undefined : (state[k] as string | boolean)]);
}

/** A repository's section: its project's; `late` (forks after the repositories they fork). */
export function repositorySection(live: RepositoryObject, late: boolean) {
  const project = live.project?.key ?? "";
  const title = late ? `Forks${project ? ` in project ${project}` : ""} (after their parents)` : project ? `Project ${project}` : "No project";
  return { title, late, order: project };
}

/** The heading comment of a repository's block. */
export const repositoryHeading = (live: RepositoryObject) => `${live.full_name}${live.links?.html?.href ? ` (${live.links.html.href})` : ""}`;

/** A repository or fork of a DrFaust92 Terraform state as the API object its attributes mirror. */
export function repositoryFromTerraform(a: Record<string, unknown>): RepositoryObject {
  const projectKey = text(a.project_key);
  return {
    full_name: terraformKey(a.owner, a.slug),
    uuid: text(a.uuid) ?? "",
    name: text(a.name),
    slug: text(a.slug),
    description: text(a.description),
    is_private: typeof a.is_private === "boolean" ? a.is_private : undefined,
    fork_policy: text(a.fork_policy),
    language: text(a.language),
    website: text(a.website),
    project: projectKey ? { key: projectKey } : undefined,
  } as RepositoryObject;
}

/** `.id` of the repository `owner/slug` when the Terraform state declares it above, else its slug. */
export const terraformRepository = (owner: unknown, slug: unknown): ImportValue => ({
  idOf: terraformKey(owner, slug),
  in: REPOSITORIES.label,
  orElse: String(slug),
  note: `The repository ${String(owner)}/${String(slug)} is not in this state: named by slug (a rename would break this).`,
});

/** A DrFaust92 attribute that holds a repository's Terraform ID, `owner/slug` (variables, deployments). */
export function terraformRepositoryId(id: unknown): { owner: string; slug: string } {
  const [owner, ...slug] = String(id).split("/");
  return { owner, slug: slug.join("/") };
}

/** The settings of a repository or fork from a Terraform state, its project by the project's `key` output when the state declares it above. */
export function terraformSettings(live: RepositoryObject, owner: string, keys: readonly string[]): ImportMember[] {
  return settingsArguments(live, owner, keys).map(([k, v]): ImportMember =>
    k === "projectKey" && typeof v === "string" ? [k, { outputOf: terraformKey(owner, v), in: PROJECTS.label, output: "key", orElse: v }] : [k, v],
  );
}

/** What a DrFaust92 fork manages that no argument here carries. */
export const pipelinesNote = (a: Record<string, unknown>) =>
  a.pipelines_enabled === true
    ? ["pipelines_enabled = true is not carried for a fork: add a PipelinesConfig on it to manage Pipelines (left as they are)."]
    : [];

export const discovery: Discovery = {
  claims: (outputs, id) => repositoryStateClaims(outputs.workspace, outputs, id),
  describe: (outputs, id) => describeRepository(outputs.workspace, outputs, id),
  search: REPOSITORIES,
  import: topLevelImport({
    from: REPOSITORIES,
    counted: "repositories",
    declare: (live, { workspace }) =>
      live.parent
        ? undefined
        : {
            name: slugOf(live),
            comments: [repositoryHeading(live)],
            section: repositorySection(live, false),
            args: [
              ["workspace", WORKSPACE],
              ["name", live.name],
              ["slug", slugOf(live)],
              ...settingsArguments(live, workspace, [...Object.keys(SETTINGS), "website"]).map(([k, v]): ImportMember =>
                // The project's `key` output when its project is imported above (the key is also the project's import key).
                k === "projectKey" && typeof v === "string" ? [k, { outputOf: v, in: PROJECTS.label, output: "key", orElse: v }] : [k, v],
              ),
              ["adopt", true],
            ],
          },
  }),
  /**
   * The DrFaust92 provider never reads `website` back: its state holds what the configuration said, not
   * what Bitbucket has (its fixture says a URL where Bitbucket has none). The website comes from one GET
   * of the repository; the other settings from the state.
   */
  terraform: terraformImport({
    type: "bitbucket_repository",
    order: 1,
    known: (a) => ({ in: REPOSITORIES.label, key: terraformKey(a.owner, a.slug) }),
    read: (api, a) => ifFound(api.getRepository(String(a.owner), text(a.uuid) ?? String(a.slug))),
    declare: ({ attributes: a, name }, { workspaceOf }, current) => {
      const live = { ...repositoryFromTerraform(a), website: current?.website ?? undefined };
      const owner = String(a.owner);
      return [
        {
          name,
          args: [
            ["workspace", workspaceOf(owner)],
            ["name", live.name],
            ["slug", slugOf(live)],
            ...terraformSettings(live, owner, [...Object.keys(SETTINGS), "website"]),
            ["adopt", true],
          ],
        },
      ];
    },
  }),
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
  /** @deprecated Bitbucket Cloud's issue tracker was sunset on 2026-08-20. Only `false` is accepted, and it changes nothing; `true` is refused at preview. Remove it. */
  hasIssues?: pulumi.Input<boolean>;
  /** @deprecated Bitbucket Cloud's wikis were sunset on 2026-08-20. Only `false` is accepted, and it changes nothing; `true` is refused at preview. Remove it. */
  hasWiki?: pulumi.Input<boolean>;
  /** Website: an http(s) URL, or `""` for none. Unset: not managed. Updates in place. */
  website?: pulumi.Input<string>;
  /** Key of the workspace project holding the repository (e.g. `PLAT`). Unset: the workspace's oldest project at creation, then not managed. Updates in place (moves the repository). */
  projectKey?: pulumi.Input<string>;
  /** Name of the main branch (a valid git branch name). Unset: Bitbucket's default and not managed. Updates in place. */
  mainBranch?: pulumi.Input<string>;
  /** true: creation takes over an existing repository with this slug (writing only the settings that differ from these; none when they all match) instead of failing with "already exists" — the way to bring existing repositories under management (Pulumi's `import` option does not work for dynamic providers on many versions). Default false. Only read at creation; changing it later does nothing. */
  adopt?: pulumi.Input<boolean>;
  /** true: allows a change that replaces the repository (a new `workspace` or `slug`), which deletes it with its history, pull requests and settings. Default false: such a change is refused at preview, naming it. */
  allowReplace?: pulumi.Input<boolean>;
}

/** The outputs a Repository and a Fork share besides their arguments' (both are repositories). */
export const REPOSITORY_OUTPUTS = {
  /** Workspace slug (or UUID) as given (for a fork: the parent's). */
  workspace: argument(),
  /** Display name. */
  name: argument("always set"),
  isPrivate: argument("always set"),
  forkPolicy: argument("always set"),
  projectKey: argument("always set"),
  /** Current slug (follows renames). */
  slug: output<string>(),
  /** The UUID, with braces (also the resource ID). */
  uuid: output<string>(),
  /** `workspace/slug`. */
  fullName: output<string>(),
  /** The repository's page on bitbucket.org. */
  htmlUrl: output<string>(),
  /** The HTTPS clone URL. */
  cloneUrlHttps: output<string>(),
  /** The SSH clone URL. */
  cloneUrlSsh: output<string>(),
};

const OUTPUTS = outputTable(FIELDS, {
  ...REPOSITORY_OUTPUTS,
  /** Website URL, or `""` for none. */
  website: argument(),
  /** The `slug` argument given at creation, if any. */
  requestedSlug: output<string | undefined>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface Repository extends ResourceOutputs<typeof OUTPUTS> {}

/** A Bitbucket Cloud repository. ID: its UUID. */
export class Repository extends BitbucketResource {
  constructor(name: string, args: RepositoryArgs, opts?: pulumi.CustomResourceOptions) {
    super("Repository", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing repository by UUID: `get(name, "{uuid}", { workspace })` or `get(name, "workspace/{uuid}")`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: { workspace?: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions): Repository {
    return Repository.existing(name, id, state, opts);
  }
}
