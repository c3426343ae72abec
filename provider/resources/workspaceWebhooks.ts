// WorkspaceWebhooks: every webhook of one workspace, authoritatively, by title (the hook's
// description). RepositoryWebhooks' logic (applyHooks, hooksState) on the workspace's hooks: a hook the
// program does not declare is drift, and `up` deletes it; secrets are kept (one Pulumi secret) only
// while a hook reports one. ID: the workspace as given.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ifFound } from "../client";
import type { Context } from "../context";
import { BitbucketResource, checkAndDiff, compact, ownValue, reportTakeOver, ResourceProvider, withOutputs, WorkspaceRef } from "./common";
import { claimRule, collectionClaim } from "./claims";
import { mapKeyObject, text, type Discovery } from "./discovery";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { applyHooks, byTitle, Entry, HookPlace, hooksState, RepositoryWebhook, Title, withSecretsApart } from "./repositoryWebhooks";
import { reportedUrl } from "./webhook";
import { workspaceRef } from "./workspaceWebhook";

// ---- Fields ------------------------------------------------------------------------------------

/** What the provider receives: the class splits each hook's secret off into `secrets` (one Pulumi secret). */
interface WorkspaceWebhooksInputs {
  workspace: string;
  webhooks: Record<string, Entry>;
  /** The hooks' secrets by title, taken from each hook's `secret` and kept as one Pulumi secret, only while Bitbucket reports the hook has one (a secret set outside Pulumi reads `(set outside Pulumi)`). A change updates the hooks in place. */
  secrets?: Record<string, string>;
}

export const FIELDS = fieldTable<WorkspaceWebhooksInputs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  webhooks: { schema: z.record(Title, Entry), update: true },
  secrets: { schema: z.record(Title, z.string().max(128, "must be at most 128 characters")).optional(), update: true, secret: true },
});

/** WorkspaceWebhooks owns every webhook of its workspace (a WorkspaceWebhook there is refused at preview). */
export const claims = claimRule(["workspace"], (args) => collectionClaim(workspaceRef(args.workspace), "webhooks", "webhooks"));

const workspaceHooks = ({ api }: Context, workspace: string): HookPlace => ({
  what: `workspace ${workspace}`,
  list: () => api.listWorkspaceHooks(workspace),
  create: (body) => api.createWorkspaceHook(workspace, body),
  update: (uid, body) => api.updateWorkspaceHook(workspace, uid, body),
  delete: (uid) => api.deleteWorkspaceHook(workspace, uid),
});

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  ...checkAndDiff(FIELDS, true, (_olds, news) => ({ ...news, secrets: news.secrets ?? {} })),

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    const hooks = await applyHooks(workspaceHooks(ctx, inputs.workspace), inputs, {}, (found) => reportTakeOver(ctx, `WorkspaceWebhooks: ${found}`));
    return { id: inputs.workspace, outs: compact({ workspace: inputs.workspace, ...hooksState(hooks, inputs.secrets ?? {}) }) };
  },

  async read(ctx, id, props) {
    const workspace = text(props?.workspace) ?? id;
    const hooks = await ifFound(ctx.api.listWorkspaceHooks(workspace));
    if (!hooks) return {};
    const outs = compact({ workspace, ...hooksState(byTitle(hooks), (props?.secrets ?? {}) as Record<string, string>) });
    return { id, props: outs, inputs: FIELDS.inputsOf(outs) };
  },

  async update(ctx, _id, olds, news) {
    const inputs = FIELDS.parse(news);
    const hooks = await applyHooks(workspaceHooks(ctx, inputs.workspace), inputs, (olds.secrets ?? {}) as Record<string, string>);
    return { outs: compact({ workspace: inputs.workspace, ...hooksState(hooks, inputs.secrets ?? {}) }) };
  },

  async delete({ api }, id, props) {
    const workspace = text(props?.workspace) ?? id;
    const hookIds = Object.values((props.hookIds ?? {}) as Record<string, string>);
    await Promise.all(hookIds.map((uid) => ifFound(api.deleteWorkspaceHook(workspace, uid))));
  },
};

// ---- Drift search -------------------------------------------------------------------------------

/** WorkspaceWebhooks holds every webhook of its workspace: its diff names what differs (no search). */
export const discovery: Discovery = {
  describe: (outputs) => ({ workspace: text(outputs.workspace) }),
  // `webhooks.<key>...`: the hook the program names <key>, by its UUID once made, with its URL.
  describeField: (field, outputs) => {
    const object = mapKeyObject(field, { webhooks: { label: "workspace webhook" } });
    if (!object) return undefined;
    const uuid = text(ownValue((outputs.hookIds ?? {}) as Record<string, unknown>, object.id));
    const url = reportedUrl(ownValue((outputs.webhooks ?? {}) as Record<string, { url?: unknown } | undefined>, object.id)?.url);
    return { ...object, id: uuid ?? object.id, name: url ? `${object.id}: ${url}` : object.id };
  },
};

// ---- Resource class ----------------------------------------------------------------------------

export interface WorkspaceWebhooksArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the resource. */
  workspace: pulumi.Input<string>;
  /**
   * Every webhook of the workspace, by title (the hook's description, at most 255 characters). A hook
   * Bitbucket has that is not listed is drift and `up` deletes it; `{}` means no workspace webhooks at all.
   */
  webhooks: Record<string, RepositoryWebhook>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The hooks by title: url, sorted events, active (their secrets are apart, in `secrets`). */
  webhooks: argument(),
  /** The hooks' UUIDs by title. */
  hookIds: output<Record<string, string>>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface WorkspaceWebhooks extends ResourceOutputs<typeof OUTPUTS> {}

/** All the webhooks of a workspace. ID: the workspace. */
export class WorkspaceWebhooks extends BitbucketResource {
  constructor(name: string, args: WorkspaceWebhooksArgs, opts?: pulumi.CustomResourceOptions) {
    const props = withOutputs(withSecretsApart(args), OUTPUTS.keys);
    const additionalSecretOutputs = [...(opts?.additionalSecretOutputs ?? []), ...FIELDS.secretKeys];
    super("WorkspaceWebhooks", claims, name, props, { ...opts, additionalSecretOutputs });
  }

  /** Reads the webhooks of a workspace by ID: the workspace slug. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): WorkspaceWebhooks {
    return WorkspaceWebhooks.existing(name, id, undefined, opts);
  }
}
