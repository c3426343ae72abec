// Fork: a fork of an existing repository, into the parent's workspace or another one. The Pulumi ID
// is the fork's UUID. Creation waits until the fork is usable; a different parent or target
// workspace replaces it; everything else (name included) updates in place like a Repository.
import * as pulumi from "@pulumi/pulumi";
import { backOff } from "exponential-backoff";
import { z } from "zod";
import { slugify } from "../../rules/slug";
import { ifFound, isNotFound } from "../client";
import type { ForkBody, RepositoryObject } from "../client/api";
import type { Context } from "../context";
import { BitbucketResource, compact, isUnknown, RepositoryRef, ResourceProvider, withFailures, withOutputs, WorkspaceRef, diffResult } from "./common";
import { claimRule, repositoryClaim } from "./claims";
import { argument, fieldTable, Inputs, output, outputTable, ResourceOutputs } from "./fields";
import {
  deleteById,
  forkPolicyFailures,
  refuseReplacement,
  repositoryId,
  RepositoryName,
  REPOSITORY_OUTPUTS,
  repositoryState,
  SETTINGS,
  takeOver,
  updateSettings,
  REPOSITORIES,
  repositoryHeading,
  repositorySection,
  repositoryStateClaims,
  settingsArguments,
  describeRepository,
  pipelinesNote,
  repositoryFromTerraform,
  terraformRepository,
  terraformSettings,
} from "./repository";
import { terraformImport, terraformKey, text, topLevelImport, WORKSPACE, type Discovery } from "./discovery";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<ForkArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  // Defaults to `workspace` (diff compares the resolved value).
  targetWorkspace: { schema: WorkspaceRef.optional(), replace: true },
  name: { schema: RepositoryName.optional(), api: "name", update: true },
  ...SETTINGS,
  adopt: { schema: z.boolean().optional(), createOnly: true },
  allowReplace: { schema: z.boolean().optional(), createOnly: true },
});

const target = (v: Record<string, unknown>) => (v.targetWorkspace ?? v.workspace) as string;

/**
 * A Fork owns the repository at its slug in the target workspace, derived from its name. Without a
 * name it takes the parent's, which the program does not know: no claim.
 */
export const claims = claimRule(["workspace", "targetWorkspace", "name"], (args) =>
  repositoryClaim(target(args), typeof args.name === "string" ? slugify(args.name) : undefined, "name"),
);

function forkState(live: RepositoryObject, inputs: { workspace: string; repository: string; targetWorkspace: string }, slug?: string) {
  return {
    ...repositoryState(live, inputs.targetWorkspace, slug),
    workspace: inputs.workspace,
    repository: inputs.repository,
    targetWorkspace: inputs.targetWorkspace,
    ...compact({ parentFullName: live.parent?.full_name, parentUuid: live.parent?.uuid }),
  };
}

/** The most readiness checks of one new fork, whatever the pace: at the default one, 300 s take about 65. */
export const MAX_FORK_POLLS = 200;

/** Polls the new fork by UUID with backoff until it answers (it 404s while Bitbucket prepares it). */
async function waitUntilReady({ api, options }: Context, workspace: string, uuid: string): Promise<RepositoryObject> {
  const { forkReadyTimeoutMs = 300_000, forkPollMs = 500 } = options;
  const started = Date.now();
  const deadline = started + forkReadyTimeoutMs;
  let polls = 0;
  try {
    return await backOff(
      () => {
        polls++;
        return api.getRepository(workspace, uuid);
      },
      {
        numOfAttempts: MAX_FORK_POLLS,
        startingDelay: forkPollMs,
        maxDelay: 5_000,
        retry: (err) => isNotFound(err) && Date.now() < deadline,
      },
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
    throw new Error(
      `The fork ${workspace}/${uuid} was created but did not become ready within ${Math.round((Date.now() - started) / 1000)} s (${polls} checks). It may still be initializing: run \`pulumi refresh\` later.`,
      { cause: err },
    );
  }
}

/**
 * The fork this program asks for when it already exists (`adopt`): the repository named like the fork
 * in the target workspace, which must be a fork of the given parent. Undefined when there is none.
 */
async function existingFork({ api }: Context, inputs: Inputs<typeof FIELDS.rows>, targetWorkspace: string): Promise<RepositoryObject | undefined> {
  // The parent is read only when the program gives neither its UUID nor the fork's name.
  const parent = inputs.repository.startsWith("{") && inputs.name ? undefined : await api.getRepository(inputs.workspace, inputs.repository);
  const parentUuid = parent?.uuid ?? inputs.repository;
  const slug = slugify(inputs.name ?? parent!.name);
  const existing = await ifFound(api.getRepository(targetWorkspace, slug));
  if (existing && existing.parent?.uuid?.toLowerCase() !== parentUuid.toLowerCase())
    throw new Error(
      `Cannot adopt ${targetWorkspace}/${slug} as a fork of ${inputs.workspace}/${inputs.repository}: it is ` +
        `${existing.parent?.full_name ? `a fork of ${existing.parent.full_name}` : "not a fork"}. Give the fork another name, or remove adopt.`,
    );
  return existing;
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  async check(_olds, news) {
    const failures = forkPolicyFailures(news);
    const sameWorkspace = news.targetWorkspace === undefined || news.targetWorkspace === news.workspace;
    if (news.name === undefined && sameWorkspace && !isUnknown(news.workspace)) {
      failures.push({
        property: "name",
        reason: "name is required when forking into the parent's own workspace (the fork needs a name different from the parent's).",
      });
    }
    return withFailures(FIELDS.check(news), news, failures);
  },

  async diff(id, olds, news) {
    const { replaces, changes } = FIELDS.diff(olds, { ...news, targetWorkspace: target(news) });
    refuseReplacement(
      "fork",
      id,
      olds,
      news,
      replaces,
      `A fork's parent and workspaces are fixed at creation (a parent recreated by hand has a new UUID); to keep this fork, set repository to ${JSON.stringify(olds.repository)} (it is only used at creation) or put the previous values back.`,
    );
    // A new fork with the same name in the same workspace would clash with the old one.
    return diffResult({ replaces, changes }, replaces.length > 0 && !replaces.includes("targetWorkspace"));
  },

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    const targetWorkspace = target(inputs);
    const ids = { workspace: inputs.workspace, repository: inputs.repository, targetWorkspace };
    const existing = inputs.adopt || ctx.adoptExisting ? await existingFork(ctx, inputs, targetWorkspace) : undefined;
    if (existing) {
      const current = forkState(existing, ids);
      const state = await takeOver(ctx, targetWorkspace, existing, inputs, FIELDS.diff(current, { ...inputs, targetWorkspace }).changes);
      return { id: existing.uuid, outs: { ...current, ...state, ...ids } };
    }
    const created = await ctx.api.createFork(inputs.workspace, inputs.repository, { ...FIELDS.body<ForkBody>(inputs), workspace: { slug: targetWorkspace } });
    let live: RepositoryObject;
    try {
      live = await waitUntilReady(ctx, targetWorkspace, created.uuid);
    } catch (err) {
      // The fork exists: report it as created-but-not-initialized so Pulumi keeps track of it.
      throw Object.assign(new Error((err as Error).message), { id: created.uuid, properties: forkState(created, ids), reasons: [(err as Error).message] });
    }
    return { id: live.uuid, outs: forkState(live, ids) };
  },

  async read({ api }, id, props) {
    const { workspace, uuid } = repositoryId(id, props);
    const live = await ifFound(api.getRepository(workspace, uuid));
    if (!live) return {};
    const ids = {
      workspace: (props?.workspace as string) ?? live.parent?.full_name?.split("/")[0] ?? workspace,
      repository: (props?.repository as string) ?? live.parent?.uuid ?? "",
      targetWorkspace: workspace,
    };
    const state = forkState(live, ids);
    return { id: live.uuid, props: state, inputs: FIELDS.inputsOf(state) };
  },

  async update(ctx, id, olds, news) {
    const inputs = FIELDS.parse(news);
    const keys = FIELDS.diff(olds, inputs).changes;
    if (keys.length === 0) return { outs: olds };
    const state = await updateSettings(ctx, target(inputs), id, inputs, keys);
    return { outs: { ...olds, ...state, workspace: olds.workspace, repository: olds.repository, targetWorkspace: olds.targetWorkspace } };
  },

  async delete(ctx, id, props) {
    await deleteById(ctx, id, props);
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** A parent's full name `workspace/slug` in its parts (workspace slugs have no '/'). */
function parentOf(fullName: string | undefined): { workspace: string; slug: string } {
  const name = fullName ?? "";
  const slash = name.indexOf("/");
  return slash < 0 ? { workspace: name, slug: "" } : { workspace: name.slice(0, slash), slug: name.slice(slash + 1) };
}

/**
 * A fork holds a repository of its target workspace, like a Repository. Imported from the same listing:
 * after its parent when that is imported too, referring to the parent's variable when it is declared
 * above, else to its UUID (which survives the parent's renames).
 */
export const discovery: Discovery = {
  claims: (outputs, id) => repositoryStateClaims(outputs.targetWorkspace, outputs, id),
  // A fork declared without targetWorkspace (deleted outside Pulumi, so no outputs) is in its parent's workspace.
  describe: (outputs, id) => describeRepository(outputs.targetWorkspace ?? outputs.workspace, outputs, id),
  import: topLevelImport({
    from: REPOSITORIES,
    counted: "forks",
    declare: (live, { workspace, isImported }) => {
      if (!live.parent) return undefined;
      const parent = parentOf(live.parent.full_name);
      const local = parent.workspace === workspace;
      const byUuid = live.parent.uuid ?? parent.slug;
      const note = `A fork of ${live.parent.full_name ?? live.parent.uuid}`;
      return {
        name: REPOSITORIES.key!(live),
        comments: [repositoryHeading(live), ...(local ? [] : [note])],
        section: repositorySection(live, local && isImported(REPOSITORIES.label, parent.slug)),
        args: [
          ["workspace", local ? WORKSPACE : parent.workspace],
          ["repository", local ? { idOf: parent.slug, in: REPOSITORIES.label, orElse: byUuid, note } : byUuid],
          ["targetWorkspace", local ? undefined : WORKSPACE],
          ["name", live.name],
          ...settingsArguments(live, workspace, Object.keys(SETTINGS)),
          ["adopt", true],
        ],
      };
    },
  }),
  terraform: terraformImport({
    type: "bitbucket_forked_repository",
    order: 2,
    known: (a) => ({ in: REPOSITORIES.label, key: terraformKey(a.owner, a.slug) }),
    declare: ({ attributes: a, name }, { workspaceOf }) => {
      // `parent` is a map in the provider's current schema and was a one-element list before.
      const parent = ((Array.isArray(a.parent) ? a.parent[0] : a.parent) ?? {}) as Record<string, unknown>;
      const owner = String(a.owner);
      const parentOwner = text(parent.owner) ?? owner;
      return [
        {
          name,
          comments: pipelinesNote(a),
          args: [
            ["workspace", workspaceOf(parentOwner)],
            ["repository", terraformRepository(parentOwner, parent.slug)],
            ["targetWorkspace", parentOwner === owner ? undefined : workspaceOf(owner)],
            ["name", text(a.name)],
            ...terraformSettings(repositoryFromTerraform(a), owner, Object.keys(SETTINGS)),
            ["adopt", true],
          ],
        },
      ];
    },
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface ForkArgs {
  /** Workspace slug (or `{uuid}`) of the parent repository. Changing it replaces the fork. */
  workspace: pulumi.Input<string>;
  /** The parent repository: slug or `{uuid}` (pass `parent.id` so a rename of the parent changes nothing). Changing it replaces the fork. */
  repository: pulumi.Input<string>;
  /** Workspace to create the fork in. Default: the parent's workspace. Changing it replaces the fork. */
  targetWorkspace?: pulumi.Input<string>;
  /** The fork's name (its slug is derived from it). Default: the parent's name; required when forking into the parent's own workspace. Changing it renames the fork in place. */
  name?: pulumi.Input<string>;
  /** Description. Default: the parent's. Updates in place. */
  description?: pulumi.Input<string>;
  /** Whether the fork is private. Default: the parent's (must be true when the parent's forkPolicy is `no_public_forks`). Updates in place. */
  isPrivate?: pulumi.Input<boolean>;
  /** `allow_forks` | `no_public_forks` | `no_forks`. Default: the parent's. Updates in place. */
  forkPolicy?: pulumi.Input<"allow_forks" | "no_public_forks" | "no_forks">;
  /** Main language, lower case. Default: the parent's. Updates in place. */
  language?: pulumi.Input<string>;
  /** @deprecated Bitbucket Cloud's issue tracker was sunset on 2026-08-20. Only `false` is accepted, and it changes nothing; `true` is refused at preview. Remove it. */
  hasIssues?: pulumi.Input<boolean>;
  /** @deprecated Bitbucket Cloud's wikis were sunset on 2026-08-20. Only `false` is accepted, and it changes nothing; `true` is refused at preview. Remove it. */
  hasWiki?: pulumi.Input<boolean>;
  /** Project key in the target workspace. Default: that workspace's oldest project. Updates in place. */
  projectKey?: pulumi.Input<string>;
  /** Main branch name. Default: the parent's. Updates in place. */
  mainBranch?: pulumi.Input<string>;
  /** true: creation takes over an existing fork of this parent named like this one in the target workspace (writing only the settings that differ from these; none when they all match) instead of forking again; a repository there with that slug that is not a fork of this parent is an error. Default false. Only read at creation. */
  adopt?: pulumi.Input<boolean>;
  /** true: allows a change that replaces the fork (another parent, parent workspace or target workspace, e.g. a parent recreated with a new UUID), which deletes it with its history. Default false: such a change is refused at preview, naming it. */
  allowReplace?: pulumi.Input<boolean>;
}

const OUTPUTS = outputTable(FIELDS, {
  ...REPOSITORY_OUTPUTS,
  /** The parent repository as given. */
  repository: argument(),
  targetWorkspace: argument("always set"),
  /** Website URL, or `""` for none (a Fork has no argument for it). */
  website: output<string>(),
  /** `workspace/slug` of the parent. */
  parentFullName: output<string>(),
  /** The parent's UUID. */
  parentUuid: output<string>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface Fork extends ResourceOutputs<typeof OUTPUTS> {}

/** A fork of a Bitbucket Cloud repository. ID: the fork's UUID. */
export class Fork extends BitbucketResource {
  constructor(name: string, args: ForkArgs, opts?: pulumi.CustomResourceOptions) {
    super("Fork", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing fork: `get(name, "{uuid}", { targetWorkspace })` or `get(name, "targetWorkspace/{uuid}")`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: { targetWorkspace?: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions): Fork {
    return Fork.existing(name, id, state, opts);
  }
}
