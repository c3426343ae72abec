// PipelinesConfig: whether Bitbucket Pipelines runs for a repository. Every repository has the
// setting (off until enabled), so creation writes it only when it differs, and remembers what it
// found: deleting the resource puts that back (nothing but the switch changes; no build, variable or
// environment is touched). ID: `workspace/{repository uuid}` (a rename changes nothing).
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ifFound } from "../client";
import type { Context } from "../context";
import { BitbucketResource, checkAndDiff, RepositoryRef, repositoryUuid, ResourceProvider, splitId, withOutputs, WorkspaceRef } from "./common";
import { claimRule, collectionClaim, repositoryRef } from "./claims";
import { attachedImport, CONTAINER_ID, repositoryOf, terraformImport, text, WORKSPACE, type Discovery } from "./discovery";
import { fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { REPOSITORIES, terraformRepository } from "./repository";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<PipelinesConfigArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  enabled: { schema: z.boolean(), update: true },
});

/** PipelinesConfig owns its repository's Pipelines switch. */
export const claims = claimRule(["workspace", "repository"], (args) =>
  collectionClaim(repositoryRef(args.workspace, args.repository), "pipelines configuration", "repository"),
);

const ID_PARTS = ["workspace", "repositoryUuid"] as const;

async function setEnabled({ api }: Context, workspace: string, uuid: string, enabled: boolean, current: boolean): Promise<boolean> {
  return current === enabled ? current : api.putPipelinesEnabled(workspace, uuid, enabled);
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  // Old and new may be the same repository (slug vs {uuid}): put the old one back first.
  ...checkAndDiff(FIELDS, true),

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    const { workspace, repository } = inputs;
    const uuid = await repositoryUuid(ctx.api, workspace, repository);
    const found = await ctx.api.getPipelinesEnabled(workspace, uuid);
    const enabled = await setEnabled(ctx, workspace, uuid, inputs.enabled, found);
    return { id: `${workspace}/${uuid}`, outs: { workspace, repository, repositoryUuid: uuid, enabled, enabledBefore: found } };
  },

  async read({ api }, id, props) {
    const ids = splitId("pipelines configuration", id, ID_PARTS, props);
    const enabled = await ifFound(api.getPipelinesEnabled(ids.workspace, ids.repositoryUuid));
    if (enabled === undefined) return {};
    const outs = { ...props, workspace: ids.workspace, repository: text(props?.repository) ?? ids.repositoryUuid, repositoryUuid: ids.repositoryUuid, enabled };
    return { id, props: outs, inputs: { workspace: outs.workspace, repository: outs.repository, enabled } };
  },

  async update(ctx, _id, olds, news) {
    const inputs = FIELDS.parse(news);
    const uuid = text(olds.repositoryUuid) ?? (await repositoryUuid(ctx.api, inputs.workspace, inputs.repository));
    const enabled = await setEnabled(ctx, inputs.workspace, uuid, inputs.enabled, olds.enabled === true);
    return { outs: { ...olds, workspace: inputs.workspace, repository: inputs.repository, repositoryUuid: uuid, enabled } };
  },

  async delete(ctx, id, props) {
    const ids = splitId("pipelines configuration", id, ID_PARTS, props);
    if (typeof props.enabledBefore !== "boolean" || props.enabledBefore === props.enabled) return;
    await ifFound(ctx.api.putPipelinesEnabled(ids.workspace, ids.repositoryUuid, props.enabledBefore));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** Import declares a repository's configuration only when Pipelines is enabled: off is Bitbucket's default. */
export const discovery: Discovery = {
  describe: (outputs) => ({ workspace: text(outputs.workspace), repository: repositoryOf(outputs.repositoryUuid ?? outputs.repository) }),
  import: attachedImport({
    on: REPOSITORIES,
    counted: "pipelines configurations",
    order: 6,
    read: async (api, { workspace, container }) => (await ifFound(api.getPipelinesEnabled(workspace, container.uuid))) ?? false,
    declare: (enabled, container) =>
      enabled
        ? [
            {
              name: `${container.key}-pipelines`,
              args: [
                ["workspace", WORKSPACE],
                ["repository", CONTAINER_ID],
                ["enabled", true],
              ],
            },
          ]
        : [],
  }),
  // DrFaust92 keeps `pipelines_enabled` on bitbucket_repository (read back from Bitbucket). Declared when
  // true; false is Bitbucket's default, which an absent PipelinesConfig leaves as it is.
  terraform: terraformImport({
    type: "bitbucket_repository",
    order: 5,
    declare: ({ attributes: a, name }, { workspaceOf }) =>
      a.pipelines_enabled === true
        ? [
            {
              name: `${name}-pipelines`,
              args: [
                ["workspace", workspaceOf(String(a.owner))],
                ["repository", terraformRepository(a.owner, a.slug)],
                ["enabled", true],
              ],
            },
          ]
        : [],
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface PipelinesConfigArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the resource. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id` so a rename changes nothing. Changing it replaces the resource. */
  repository: pulumi.Input<string>;
  /** Whether Pipelines runs for the repository. Updates in place. */
  enabled: pulumi.Input<boolean>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The repository's UUID, by which the setting is addressed. */
  repositoryUuid: output<string>(),
  /** Whether Pipelines was enabled when the resource was created: what deleting the resource puts back. */
  enabledBefore: output<boolean>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface PipelinesConfig extends ResourceOutputs<typeof OUTPUTS> {}

/** Whether Pipelines runs for a repository. Deleting it puts back what creation found. ID: `workspace/{repository uuid}`. */
export class PipelinesConfig extends BitbucketResource {
  constructor(name: string, args: PipelinesConfigArgs, opts?: pulumi.CustomResourceOptions) {
    super("PipelinesConfig", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads the configuration of a repository by ID `workspace/{repository uuid}`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): PipelinesConfig {
    return PipelinesConfig.existing(name, id, undefined, opts);
  }
}
