// Webhook: a repository webhook. The Pulumi ID is the hook's UUID. The secret is write-only in the
// API; the state keeps it only as a Pulumi secret (encrypted), so a changed secret is seen by a pure
// diff, and `secret_set` reveals drift (a secret removed or added outside Pulumi).
import { BlockList, isIP } from "net";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isNotFound } from "../client";
import type { HookObject } from "../client/api";
import { getClient } from "../runtime";
import { shim } from "../shim";
import { changedKeys, checkInputs, compact, parseInputs, replacedKeys, RepositoryRef, WorkspaceRef } from "./common";
import { withOutputs } from "./repository";
import { WEBHOOK_EVENTS } from "./webhookEvents";

// ---- Input schema ------------------------------------------------------------------------------

// Bitbucket refuses to call internal addresses; say so at preview rather than at `up`.
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const)
  INTERNAL.addSubnet(net, prefix, "ipv4");
INTERNAL.addSubnet("::1", 128, "ipv6");
INTERNAL.addSubnet("fc00::", 7, "ipv6");
INTERNAL.addSubnet("fe80::", 10, "ipv6");

function isPublicHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || /\.(localhost|local|internal)$/.test(host)) return false;
  const family = isIP(host);
  return family === 0 || !INTERNAL.check(host, family === 4 ? "ipv4" : "ipv6");
}

export const WebhookInputs = z.object({
  workspace: WorkspaceRef,
  repository: RepositoryRef,
  url: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL", abort: true })
    .refine(
      (u) => URL.canParse(u) && isPublicHost(new URL(u).hostname),
      "must not point at an internal address (localhost, private or link-local networks): Bitbucket refuses those",
    ),
  description: z.string().max(255).optional(),
  active: z.boolean().optional(),
  // Order and duplicates do not matter to the API: keep them sorted and unique.
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1, "must list at least one event")
    .transform((events) => [...new Set(events)].sort()),
  // "" means no secret, like the API.
  secret: z
    .string()
    .max(128, "must be at most 128 characters")
    .transform((s) => (s === "" ? undefined : s))
    .optional(),
});
export type WebhookInputs = z.infer<typeof WebhookInputs>;

const SETTABLE = ["url", "description", "active", "events"] as const;

function webhookState(live: HookObject, ids: { workspace: string; repository: string }, secret: string | undefined) {
  return compact({
    workspace: ids.workspace,
    repository: ids.repository,
    url: live.url,
    description: live.description ?? "",
    active: live.active ?? true,
    events: [...new Set(live.events)].sort(),
    secretSet: live.secret_set ?? false,
    // Kept only while the hook has one; Pulumi stores it encrypted (additionalSecretOutputs).
    secret: live.secret_set ? secret : undefined,
    uuid: live.uuid,
  });
}

function splitId(id: string, props: Record<string, unknown> | undefined) {
  if (props?.workspace && props?.repository) return { workspace: props.workspace as string, repository: props.repository as string, uid: id };
  const parts = id.split("/");
  if (parts.length !== 3)
    throw new Error(`Cannot read webhook ${id}: give the ID as "workspace/repository/{hook uuid}" or pass { workspace, repository } as the state to get().`);
  return { workspace: parts[0], repository: parts[1], uid: parts[2] };
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const webhookProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    return checkInputs(WebhookInputs, news);
  },

  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const replaces = replacedKeys(olds, news, ["workspace", "repository"]);
    const changes = changedKeys(olds, news, SETTABLE);
    // The secret: unset in the program means "no secret", so a secret added outside Pulumi is drift too.
    const secretChanged = news.secret !== olds.secret || (news.secret === undefined && olds.secretSet === true);
    return { changes: replaces.length > 0 || changes.length > 0 || secretChanged, replaces, deleteBeforeReplace: false };
  },

  async create(raw: Record<string, unknown>) {
    const inputs = parseInputs(WebhookInputs, raw);
    const live = await getClient().api.createHook(inputs.workspace, inputs.repository, {
      url: inputs.url,
      description: inputs.description ?? "",
      active: inputs.active ?? true,
      events: inputs.events,
      ...(inputs.secret !== undefined ? { secret: inputs.secret } : {}),
    });
    return { id: live.uuid, outs: webhookState(live, inputs, inputs.secret) };
  },

  async read(id: string, props?: Record<string, unknown>) {
    const { workspace, repository, uid } = splitId(id, props);
    let live: HookObject;
    try {
      live = await getClient().api.getHook(workspace, repository, uid);
    } catch (err) {
      if (isNotFound(err)) return {};
      throw err;
    }
    const state = webhookState(live, { workspace, repository }, props?.secret as string | undefined);
    // The API never returns the secret: while the hook still has one, the value last set is what it holds.
    // Pulumi keeps the refreshed input encrypted, like the old one.
    const inputs = compact({
      workspace,
      repository,
      url: state.url,
      description: state.description,
      active: state.active,
      events: state.events,
      secret: state.secret,
    });
    return { id: live.uuid, props: state, inputs };
  },

  async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const inputs = parseInputs(WebhookInputs, news);
    const secretChanged = inputs.secret !== olds.secret || (inputs.secret === undefined && olds.secretSet === true);
    const live = await getClient().api.updateHook(inputs.workspace, inputs.repository, id, {
      url: inputs.url,
      description: inputs.description ?? (olds.description as string | undefined) ?? "",
      active: inputs.active ?? (olds.active as boolean | undefined) ?? true,
      events: inputs.events,
      // Omitted keeps the current secret; null removes it.
      ...(secretChanged ? { secret: inputs.secret ?? null } : {}),
    });
    return { outs: webhookState(live, inputs, inputs.secret) };
  },

  async delete(id: string, props: Record<string, unknown>) {
    const { workspace, repository, uid } = splitId(id, props);
    try {
      await getClient().api.deleteHook(workspace, repository, uid);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};

// ---- Resource class ----------------------------------------------------------------------------

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookArgs {
  /** Workspace slug (or `{uuid}`) of the repository. Changing it replaces the webhook. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id` (the UUID) so a rename changes nothing. Changing it replaces the webhook. */
  repository: pulumi.Input<string>;
  /** Where events are delivered: an http(s) URL that is not an internal address. Updates in place. */
  url: pulumi.Input<string>;
  /** Free text, at most 255 characters. Default: empty. Updates in place. */
  description?: pulumi.Input<string>;
  /** Whether deliveries are sent. Default: true. Updates in place. */
  active?: pulumi.Input<boolean>;
  /** At least one of the spec's 29 event names (e.g. `repo:push`, `pullrequest:created`); order and duplicates do not matter. Updates in place. */
  events: pulumi.Input<pulumi.Input<WebhookEvent>[]>;
  /** Secret (≤ 128 characters) Bitbucket signs deliveries with. Write-only: stored in the state only as a Pulumi secret. Unset or empty: no secret. Changing it updates in place. */
  secret?: pulumi.Input<string>;
}

const OUTPUT_KEYS = ["workspace", "repository", "url", "description", "active", "events", "secretSet", "secret", "uuid"];

/** A repository webhook. ID: the hook's UUID. */
export class Webhook extends pulumi.dynamic.Resource {
  declare readonly workspace: pulumi.Output<string>;
  declare readonly repository: pulumi.Output<string>;
  declare readonly url: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly active: pulumi.Output<boolean>;
  /** Sorted, unique event names. */
  declare readonly events: pulumi.Output<string[]>;
  /** Whether Bitbucket reports a secret on the hook. */
  declare readonly secretSet: pulumi.Output<boolean>;
  /** The secret (a Pulumi secret). */
  declare readonly secret: pulumi.Output<string | undefined>;
  /** The hook's UUID (also the resource ID). */
  declare readonly uuid: pulumi.Output<string>;

  constructor(name: string, args: WebhookArgs, opts?: pulumi.CustomResourceOptions) {
    const props = withOutputs({ ...args, secret: args?.secret === undefined ? undefined : pulumi.secret(args.secret) }, OUTPUT_KEYS);
    super(shim("Webhook"), name, props, { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "secret"] }, "bitbucket", "Webhook");
  }

  /** Reads an existing webhook: `get(name, "{hook uuid}", { workspace, repository })` or `get(name, "workspace/repository/{hook uuid}")`. */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: { workspace?: pulumi.Input<string>; repository?: pulumi.Input<string> },
    opts?: pulumi.CustomResourceOptions,
  ): Webhook {
    return new Webhook(name, state as WebhookArgs, { ...opts, id });
  }
}
