// WorkspaceWebhook: a webhook of a workspace (events of every repository in it). Like Webhook (its
// rules, its secret handling and its take-over of a hook left by a lost answer are Webhook's), on the
// workspace's hooks. The Pulumi ID is the hook's UUID.
import * as pulumi from "@pulumi/pulumi";
import { ifFound } from "../client";
import type { HookBody, HookObject } from "../client/api";
import { BitbucketResource, compact, diffResult, reportTakeOver, ResourceProvider, splitId, withOutputs, WorkspaceRef } from "./common";
import { claimRule, itemClaim, lowerCase } from "./claims";
import { topLevelImport, WORKSPACE, claimsOne, describeOne, type Collection, type Discovery, terraformImport, text } from "./discovery";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import {
  hookAsProgram,
  hookTakenOver,
  hookUpdate,
  reportedUrl,
  sameHook,
  secretChanged,
  uniqueSorted,
  WebhookEvent,
  WebhookEvents,
  WebhookUrl,
  FIELDS as WEBHOOK_FIELDS,
} from "./webhook";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<WorkspaceWebhookArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  url: { schema: WebhookUrl, api: "url", update: true },
  description: WEBHOOK_FIELDS.rows.description,
  active: WEBHOOK_FIELDS.rows.active,
  events: { schema: WebhookEvents, api: "events", fromApi: uniqueSorted, update: true },
  secret: WEBHOOK_FIELDS.rows.secret,
});

/** "workspace acme": the owner of the workspace's webhooks in claims (WorkspaceWebhooks claims them all). */
export const workspaceRef = (workspace: unknown) => {
  const ws = lowerCase(workspace);
  return ws ? `workspace ${ws}` : undefined;
};

/** A WorkspaceWebhook owns one hook among the workspace's: the one with its URL, events and description. */
export const claims = claimRule(["workspace", "url", "events", "description"], (args) => {
  const hook =
    Array.isArray(args.events) && typeof args.url === "string"
      ? JSON.stringify([args.url, uniqueSorted(args.events.map(String)), args.description ?? ""])
      : undefined;
  return itemClaim(workspaceRef(args.workspace), "webhooks", hook, "one webhook (matched by URL, events and description)", "url");
});

function hookState(live: HookObject, workspace: string, secret: string | undefined) {
  return compact({
    workspace,
    ...FIELDS.state(live),
    secretSet: live.secret_set ?? false,
    // Kept only while the hook has one; Pulumi stores it encrypted (additionalSecretOutputs).
    secret: live.secret_set ? secret : undefined,
    uuid: live.uuid,
  });
}

const hookId = (id: string, props?: Record<string, unknown>) => splitId("workspace webhook", id, ["workspace", "uid"], props);

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  async check(_olds, news) {
    return FIELDS.check(news);
  },

  async diff(_id, olds, news) {
    return diffResult(FIELDS.diff(olds, news), false, secretChanged(olds, news));
  },

  async create(ctx, raw) {
    const { api } = ctx;
    const inputs = FIELDS.parse(raw);
    const { workspace } = inputs;
    const body: HookBody = { description: "", active: true, ...FIELDS.body<HookBody>(inputs) };
    // As Webhook: a hook with the same URL, events and description is taken over instead of adding another.
    const { value, found } = await api.createOnce(
      `the webhook ${body.url} of workspace ${workspace}`,
      async () => (await api.listWorkspaceHooks(workspace)).find((hook) => sameHook(hook, body)),
      () => api.createWorkspaceHook(workspace, body),
    );
    const matches = !found || hookAsProgram(value, body);
    if (!matches) reportTakeOver(ctx, `WorkspaceWebhook: workspace ${workspace} ${hookTakenOver(value)}`);
    const live = matches ? value : await api.updateWorkspaceHook(workspace, value.uuid, { ...body, secret: body.secret ?? null });
    return { id: live.uuid, outs: hookState(live, workspace, inputs.secret) };
  },

  async read({ api }, id, props) {
    const { workspace, uid } = hookId(id, props);
    const live = await ifFound(api.getWorkspaceHook(workspace, uid));
    if (!live) return {};
    const state = hookState(live, workspace, props?.secret as string | undefined);
    return { id: live.uuid, props: state, inputs: FIELDS.inputsOf(state) };
  },

  async update({ api }, id, olds, news) {
    const inputs = FIELDS.parse(news);
    const live = await api.updateWorkspaceHook(inputs.workspace, id, hookUpdate(olds, inputs, FIELDS.body<HookBody>(inputs, FIELDS.updateKeys)));
    return { outs: hookState(live, inputs.workspace, inputs.secret) };
  },

  async delete({ api }, id, props) {
    const { workspace, uid } = hookId(id, props);
    await ifFound(api.deleteWorkspaceHook(workspace, uid));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** A workspace's webhooks: searched in the workspaces where the stack holds a WorkspaceWebhook. */
export const WORKSPACE_WEBHOOKS: Collection<HookObject> = {
  label: "workspace webhook",
  plural: "workspace webhooks",
  list: (api, { workspace }) => api.listWorkspaceHooks(workspace),
  listed: (hook) => ({
    keys: [hook.uuid],
    id: hook.uuid,
    name: "(workspace)",
    title: reportedUrl(hook.url),
    detail: `${reportedUrl(hook.url)} on ${[...hook.events].sort().join(", ")}`,
  }),
  ignore: { section: "webhooks", field: "url", values: (hook) => [hook.url] },
  // The import's resource name: the start of the UUID tells hooks apart, whatever their URL holds.
  key: (hook) => `workspace-webhook-${hook.uuid.replace(/[{}]/g, "").slice(0, 8)}`,
};

/** A WorkspaceWebhook holds one hook by UUID; imported one per hook of the workspace. */
export const discovery: Discovery = {
  claims: claimsOne(WORKSPACE_WEBHOOKS),
  describe: describeOne("workspace webhook", (o) => reportedUrl(o.url), "workspace"),
  search: WORKSPACE_WEBHOOKS,
  // One per hook of the workspace, after the repositories; a secret read from the stack config (Bitbucket never returns it).
  import: topLevelImport({
    from: WORKSPACE_WEBHOOKS,
    counted: "workspace webhooks",
    declare: (hook, scope) => ({
      name: WORKSPACE_WEBHOOKS.key!(hook),
      section: { title: "Workspace webhooks", late: true, order: "~" },
      args: [
        ["workspace", WORKSPACE],
        ["url", hook.url],
        ["description", hook.description || undefined],
        ["active", hook.active ?? true],
        ["events", [...hook.events].sort()],
        // Without it in the stack config, `up` would remove the secret.
        ["secret", hook.secret_set ? { configSecret: { repository: `workspace ${scope.workspace}`, url: hook.url } } : undefined],
      ],
    }),
  }),
  // bitbucket_workspace_hook: workspace, url, description, events, active, skip_cert_verification, uuid
  // (and secret / secret_set where the provider has them). Creation takes over the hook with the same
  // URL, events and description; a secret comes from the stack config, never from the state.
  terraform: terraformImport({
    type: "bitbucket_workspace_hook",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => {
      const url = String(a.url);
      const hasSecret = (typeof a.secret === "string" && a.secret !== "") || a.secret_set === true;
      return [
        {
          name,
          comments: a.skip_cert_verification === true ? ["skip_cert_verification = true is not carried: no counterpart here yet (left as it is)."] : [],
          args: [
            ["workspace", workspaceOf(String(a.workspace))],
            ["url", url],
            ["description", text(a.description) || undefined],
            ["active", typeof a.active === "boolean" ? a.active : undefined],
            ["events", Array.isArray(a.events) ? a.events.map(String).sort() : []],
            ["secret", hasSecret ? { configSecret: { repository: `workspace ${String(a.workspace)}`, url } } : undefined],
          ],
        },
      ];
    },
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface WorkspaceWebhookArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the webhook. */
  workspace: pulumi.Input<string>;
  /** Where events are delivered: an http(s) URL that is not an internal address. Updates in place. */
  url: pulumi.Input<string>;
  /** Free text, at most 255 characters. Default: empty. Updates in place. */
  description?: pulumi.Input<string>;
  /** Whether deliveries are sent. Default: true. Updates in place. */
  active?: pulumi.Input<boolean>;
  /** At least one of the event names workspace webhooks take (`getWebhookTypes({ subjectType: "workspace" })` lists them; e.g. `repo:push`, `pullrequest:created`); order and duplicates do not matter. Updates in place. */
  events: pulumi.Input<pulumi.Input<WebhookEvent>[]>;
  /** Secret (≤ 128 characters) Bitbucket signs deliveries with. Write-only: stored in the state only as a Pulumi secret. Unset or empty: no secret. Changing it updates in place. */
  secret?: pulumi.Input<string>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** Sorted, unique event names. */
  events: argument(),
  /** The secret (a Pulumi secret). */
  secret: argument(),
  /** Whether Bitbucket reports a secret on the hook. */
  secretSet: output<boolean>(),
  /** The hook's UUID (also the resource ID). */
  uuid: output<string>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface WorkspaceWebhook extends ResourceOutputs<typeof OUTPUTS> {}

/** A workspace webhook. ID: the hook's `{uuid}`. */
export class WorkspaceWebhook extends BitbucketResource {
  constructor(name: string, args: WorkspaceWebhookArgs, opts?: pulumi.CustomResourceOptions) {
    const props = withOutputs({ ...args, secret: args?.secret === undefined ? undefined : pulumi.secret(args.secret) }, OUTPUTS.keys);
    const additionalSecretOutputs = [...(opts?.additionalSecretOutputs ?? []), ...FIELDS.secretKeys];
    super("WorkspaceWebhook", claims, name, props, { ...opts, additionalSecretOutputs });
  }

  /** Reads an existing workspace webhook: `get(name, "workspace/{hook uuid}")` or `get(name, "{hook uuid}", { workspace })`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: { workspace?: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions): WorkspaceWebhook {
    return WorkspaceWebhook.existing(name, id, state, opts);
  }
}
