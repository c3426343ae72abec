// OverrideSettings: whether a repository overrides its project's default merge strategy and
// branching model (true) or inherits them (false). Creation over matching settings writes nothing;
// deleting the resource restores inheritance.
// ID: `workspace/repository`.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ifFound } from "../client";
import type { OverrideSettings as OverrideSettingsBody } from "../client/api";
import type { Context } from "../context";
import { BitbucketResource, checkAndDiff, reportTakeOver, RepositoryRef, ResourceProvider, splitId, withOutputs, WorkspaceRef } from "./common";
import { claimRule, collectionClaim, repositoryRef } from "./claims";
import { fieldTable, outputTable, ResourceOutputs } from "./fields";
import { attachedImport, CONTAINER_ID, repositoryOf, terraformImport, text, WORKSPACE, type Discovery } from "./discovery";
import { REPOSITORIES, terraformRepository } from "./repository";
import { isFreshRepository } from "./fresh";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<OverrideSettingsArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  defaultMergeStrategy: { schema: z.boolean().default(false), api: "default_merge_strategy", absent: false, update: true },
  branchingModel: { schema: z.boolean().default(false), api: "branching_model", absent: false, update: true },
});

const ID_PARTS = ["workspace", "repository"] as const;

/** OverrideSettings owns its repository's override settings. */
export const claims = claimRule(["workspace", "repository"], (args) =>
  collectionClaim(repositoryRef(args.workspace, args.repository), "override settings", "repository"),
);

async function put({ api }: Context, inputs: Record<string, unknown> & { workspace: string; repository: string }) {
  await api.putOverrideSettings(inputs.workspace, inputs.repository, FIELDS.body<OverrideSettingsBody>(inputs));
  return { ...inputs };
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  // Old and new may be the same repository (slug vs {uuid}): restore inheritance on the old one first.
  ...checkAndDiff(FIELDS, true),

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    // Taking over settings that already match writes nothing; a repository this run created has Bitbucket's defaults, not anyone's settings.
    const current = isFreshRepository(ctx, inputs.workspace, inputs.repository)
      ? undefined
      : await ifFound(ctx.api.getOverrideSettings(inputs.workspace, inputs.repository));
    const live = current && FIELDS.state(current);
    const matches = live && FIELDS.diff({ ...inputs, ...live }, inputs).changes.length === 0;
    // Inheriting both is Bitbucket's default; an override was set by someone.
    if (live && !matches && (live.defaultMergeStrategy || live.branchingModel))
      reportTakeOver(ctx, `OverrideSettings: ${inputs.workspace}/${inputs.repository} already overrode its project's settings (${JSON.stringify(live)})`);
    return { id: ID_PARTS.map((k) => inputs[k]).join("/"), outs: matches ? { ...inputs } : await put(ctx, inputs) };
  },

  async read({ api }, id, props) {
    const ids = splitId("override settings", id, ID_PARTS, props);
    const live = await ifFound(api.getOverrideSettings(ids.workspace, ids.repository));
    if (!live) return {};
    const state = { ...ids, ...FIELDS.state(live) };
    return { id, props: state, inputs: state };
  },

  async update(ctx, _id, _olds, news) {
    return { outs: await put(ctx, FIELDS.parse(news)) };
  },

  async delete(ctx, id, props) {
    const ids = splitId("override settings", id, ID_PARTS, props);
    await ifFound(put(ctx, { ...ids, defaultMergeStrategy: false, branchingModel: false }));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** Import declares a repository's override settings only when one is true: inheriting both is Bitbucket's default. */
export const discovery: Discovery = {
  describe: (outputs) => ({ workspace: text(outputs.workspace), repository: repositoryOf(outputs.repository) }),
  import: attachedImport({
    on: REPOSITORIES,
    counted: "override settings",
    order: 3,
    read: async (api, { workspace, container }) => (await ifFound(api.getOverrideSettings(workspace, container.uuid))) ?? {},
    declare: ({ default_merge_strategy: mergeStrategy = false, branching_model: branchingModel = false }, container) =>
      !mergeStrategy && !branchingModel
        ? []
        : [
            {
              name: `${container.key}-override-settings`,
              args: [
                ["workspace", WORKSPACE],
                ["repository", CONTAINER_ID],
                ["defaultMergeStrategy", mergeStrategy],
                ["branchingModel", branchingModel],
              ],
            },
          ],
  }),
  /**
   * Carried on `bitbucket_repository`'s `inherit_*` attributes, which that provider reads back wrong
   * (its fixture state says false where Bitbucket holds true): read from Bitbucket, one GET per repository.
   * Declared, like the workspace import's, only when the repository overrides something.
   */
  terraform: terraformImport({
    type: "bitbucket_repository",
    order: 4,
    read: async (api, a) => (await ifFound(api.getOverrideSettings(String(a.owner), text(a.uuid) ?? String(a.slug)))) ?? {},
    declare: ({ attributes: a, name }, { workspaceOf }, live) => {
      const { default_merge_strategy: mergeStrategy = false, branching_model: branchingModel = false } = live ?? {};
      return !mergeStrategy && !branchingModel
        ? []
        : [
            {
              name: `${name}-override-settings`,
              args: [
                ["workspace", workspaceOf(String(a.owner))],
                ["repository", terraformRepository(a.owner, a.slug)],
                ["defaultMergeStrategy", mergeStrategy],
                ["branchingModel", branchingModel],
              ],
            },
          ];
    },
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface OverrideSettingsArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the resource. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id` so a rename changes nothing. Changing it replaces the resource. */
  repository: pulumi.Input<string>;
  /** true: the repository overrides the project's default merge strategy; false: inherits it. Default false. Updates in place. */
  defaultMergeStrategy?: pulumi.Input<boolean>;
  /** true: the repository overrides the project's branching model; false: inherits it. Default false. Updates in place. */
  branchingModel?: pulumi.Input<boolean>;
}

const OUTPUTS = outputTable(FIELDS, {});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface OverrideSettings extends ResourceOutputs<typeof OUTPUTS> {}

/** Which project settings a repository overrides. Deleting it restores inheritance. ID: `workspace/repository`. */
export class OverrideSettings extends BitbucketResource {
  constructor(name: string, args: OverrideSettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super("OverrideSettings", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads the settings of a repository by ID `workspace/repository`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): OverrideSettings {
    return OverrideSettings.existing(name, id, undefined, opts);
  }
}
