// OverrideSettings: whether a repository overrides its project's default merge strategy and
// branching model (true) or inherits them (false). Deleting the resource restores inheritance.
// ID: `workspace/repository`.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isNotFound } from "../client";
import { getClient } from "../runtime";
import { shim } from "../shim";
import { changedKeys, checkInputs, parseInputs, replacedKeys, RepositoryRef, WorkspaceRef } from "./common";
import { withOutputs } from "./repository";

// ---- Input schema ------------------------------------------------------------------------------

export const OverrideSettingsInputs = z.object({
  workspace: WorkspaceRef,
  repository: RepositoryRef,
  defaultMergeStrategy: z.boolean().default(false),
  branchingModel: z.boolean().default(false),
});
export type OverrideSettingsInputs = z.infer<typeof OverrideSettingsInputs>;

const SETTABLE = ["defaultMergeStrategy", "branchingModel"] as const;

function splitId(id: string, props: Record<string, unknown> | undefined) {
  if (props?.workspace && props?.repository) return { workspace: props.workspace as string, repository: props.repository as string };
  const [workspace, repository, ...rest] = id.split("/");
  if (!repository || rest.length) throw new Error(`Invalid OverrideSettings ID ${id}: expected "workspace/repository".`);
  return { workspace, repository };
}

async function put(inputs: OverrideSettingsInputs) {
  await getClient().api.putOverrideSettings(inputs.workspace, inputs.repository, {
    default_merge_strategy: inputs.defaultMergeStrategy,
    branching_model: inputs.branchingModel,
  });
  return { ...inputs };
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const overrideSettingsProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    return checkInputs(OverrideSettingsInputs, news);
  },

  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const replaces = replacedKeys(olds, news, ["workspace", "repository"]);
    const changes = changedKeys(olds, news, SETTABLE);
    // Old and new may be the same repository (slug vs {uuid}): restore inheritance on the old one first.
    return { changes: replaces.length > 0 || changes.length > 0, replaces, deleteBeforeReplace: true };
  },

  async create(raw: Record<string, unknown>) {
    const inputs = parseInputs(OverrideSettingsInputs, raw);
    return { id: `${inputs.workspace}/${inputs.repository}`, outs: await put(inputs) };
  },

  async read(id: string, props?: Record<string, unknown>) {
    const ids = splitId(id, props);
    try {
      const live = await getClient().api.getOverrideSettings(ids.workspace, ids.repository);
      const state = { ...ids, defaultMergeStrategy: live.default_merge_strategy ?? false, branchingModel: live.branching_model ?? false };
      return { id, props: state, inputs: state };
    } catch (err) {
      if (isNotFound(err)) return {};
      throw err;
    }
  },

  async update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
    return { outs: await put(parseInputs(OverrideSettingsInputs, news)) };
  },

  async delete(id: string, props: Record<string, unknown>) {
    const ids = splitId(id, props);
    try {
      await put({ ...ids, defaultMergeStrategy: false, branchingModel: false });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
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

const OUTPUT_KEYS = ["workspace", "repository", "defaultMergeStrategy", "branchingModel"];

/** Which project settings a repository overrides. Deleting it restores inheritance. ID: `workspace/repository`. */
export class OverrideSettings extends pulumi.dynamic.Resource {
  declare readonly workspace: pulumi.Output<string>;
  declare readonly repository: pulumi.Output<string>;
  declare readonly defaultMergeStrategy: pulumi.Output<boolean>;
  declare readonly branchingModel: pulumi.Output<boolean>;

  constructor(name: string, args: OverrideSettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super(shim("OverrideSettings"), name, withOutputs(args, OUTPUT_KEYS), opts, "bitbucket", "OverrideSettings");
  }

  /** Reads the settings of a repository by ID `workspace/repository`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): OverrideSettings {
    return new OverrideSettings(name, undefined as unknown as OverrideSettingsArgs, { ...opts, id });
  }
}
