// Webhook: a repository webhook. The Pulumi ID is the hook's UUID. The secret is write-only in the
// API; the state keeps it only as a Pulumi secret (encrypted), so a changed secret is seen by a pure
// diff, and `secret_set` reveals drift (a secret removed or added outside Pulumi).
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isInternalHost } from "../../rules/internal-address";
import { ifFound } from "../client";
import type { HookBody, HookObject } from "../client/api";
import {
  BitbucketResource,
  InRepository,
  compact,
  RepositoryRef,
  reportTakeOver,
  ResourceProvider,
  splitId,
  withOutputs,
  WorkspaceRef,
  diffResult,
} from "./common";
import { claimRule, itemClaim, repositoryRef } from "./claims";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { WEBHOOK_EVENTS } from "./webhookEvents";
import { attachedImport, CONTAINER_ID, terraformImport, text, WORKSPACE, claimsOne, describeOne, type Collection, type Discovery } from "./discovery";
import { REPOSITORIES, terraformRepository } from "./repository";
import { isFreshRepository } from "./fresh";

// ---- Fields ------------------------------------------------------------------------------------

export const uniqueSorted = (events: string[]) => [...new Set(events)].sort();

/** Where deliveries go (also RepositoryWebhooks'): Bitbucket refuses internal addresses; say so at preview rather than at `up`. */
export const WebhookUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL", abort: true })
  .refine(
    (u) => URL.canParse(u) && !isInternalHost(new URL(u).hostname),
    "must not point at an internal address (localhost or another local name; loopback, private, link-local, shared, multicast or reserved networks, however written): Bitbucket refuses those",
  );
// Order and duplicates do not matter to the API: keep them sorted and unique.
export const WebhookEvents = z.array(z.enum(WEBHOOK_EVENTS)).min(1, "must list at least one event").transform(uniqueSorted);

export const FIELDS = fieldTable<WebhookArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  url: { schema: WebhookUrl, api: "url", update: true },
  description: { schema: z.string().max(255).optional(), api: "description", absent: "", update: true },
  active: { schema: z.boolean().optional(), api: "active", absent: true, update: true },
  events: {
    schema: WebhookEvents,
    api: "events",
    fromApi: uniqueSorted,
    update: true,
  },
  // "" means no secret, like the API. The API never returns it (only `secret_set`); see webhookState.
  secret: {
    schema: z
      .string()
      .max(128, "must be at most 128 characters")
      .transform((s) => (s === "" ? undefined : s))
      .optional(),
    api: "secret",
    secret: true,
  },
});

/**
 * A Webhook owns one hook among the repository's hooks: the one with its URL, events and description,
 * which creation takes over when it exists. The URL is never named in a message (it may hold a token).
 */
export const claims = claimRule(["workspace", "repository", "url", "events", "description"], (args) => {
  const hook =
    Array.isArray(args.events) && typeof args.url === "string"
      ? JSON.stringify([args.url, uniqueSorted(args.events.map(String)), args.description ?? ""])
      : undefined;
  return itemClaim(repositoryRef(args.workspace, args.repository), "webhooks", hook, "one webhook (matched by URL, events and description)", "url");
});

function webhookState(live: HookObject, ids: { workspace: string; repository: string }, secret: string | undefined) {
  return compact({
    ...ids,
    ...FIELDS.state(live),
    secretSet: live.secret_set ?? false,
    // Kept only while the hook has one; Pulumi stores it encrypted (additionalSecretOutputs).
    secret: live.secret_set ? secret : undefined,
    uuid: live.uuid,
  });
}

/** Unset in the program means "no secret", so a secret added outside Pulumi is drift too (also WorkspaceWebhook's). */
export const secretChanged = (olds: Record<string, unknown>, news: Record<string, unknown>) =>
  news.secret !== olds.secret || (news.secret === undefined && olds.secretSet === true);

/** The hook a lost create of `body` would have made (also WorkspaceWebhook's). */
export const sameHook = (hook: HookObject, body: HookBody) =>
  hook.url === body.url && (hook.description ?? "") === body.description && uniqueSorted(hook.events).join() === uniqueSorted(body.events).join();

/** A hook found like `body` already has the program's settings: no secret given or set, and the same active state (also WorkspaceWebhook's). */
export const hookAsProgram = (hook: HookObject, body: HookBody) =>
  body.secret === undefined && hook.secret_set !== true && (hook.active ?? true) === body.active;

/** What a take-over of `hook` says of it (also WorkspaceWebhook's). */
export const hookTakenOver = (hook: HookObject) =>
  `already had a webhook with this URL, events and description (${hook.uuid}, ${hook.active === false ? "inactive" : "active"}${hook.secret_set ? ", with a secret" : ""}), now set to the program's settings`;

/**
 * The body of an update: the old description and active state unless changed, and the secret only when
 * it changed (omitted keeps the current secret; null removes it). Also WorkspaceWebhook's.
 */
export const hookUpdate = (olds: Record<string, unknown>, inputs: { secret?: string }, changed: HookBody) => ({
  description: (olds.description as string | undefined) ?? "",
  active: (olds.active as boolean | undefined) ?? true,
  ...changed,
  ...(secretChanged(olds, inputs) ? { secret: inputs.secret ?? null } : {}),
});

const webhookId = (id: string, props?: Record<string, unknown>) => splitId("webhook", id, ["workspace", "repository", "uid"], props);

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
    const { workspace, repository } = inputs;
    const body: HookBody = { description: "", active: true, ...FIELDS.body<HookBody>(inputs) };
    // A hook has no key the API could refuse a repeat on: one with the same URL, events and
    // description (left by a lost answer or a killed run) is taken over instead of adding another.
    // On a repository this run created, only a lost answer can have left one: it is looked for only then.
    const fresh = isFreshRepository(ctx, workspace, repository);
    const { value, found } = await api.createOnce(
      `the webhook ${body.url} of ${workspace}/${repository}`,
      async () => (await api.listHooks(workspace, repository)).find((hook) => sameHook(hook, body)),
      () => api.createHook(workspace, repository, body),
      { lookFirst: !fresh },
    );
    // Taken over: set it to the program's settings, the secret included (the API never shows it, so a
    // secret given is always written); a hook that already matches and has no secret is left alone.
    // Found on a fresh repository, it is this create's own POST, whose answer was lost.
    const matches = !found || fresh || hookAsProgram(value, body);
    if (!matches) reportTakeOver(ctx, `Webhook: ${workspace}/${repository} ${hookTakenOver(value)}`);
    const live = matches ? value : await api.updateHook(workspace, repository, value.uuid, { ...body, secret: body.secret ?? null });
    return { id: live.uuid, outs: webhookState(live, inputs, inputs.secret) };
  },

  async read({ api }, id, props) {
    const { workspace, repository, uid } = webhookId(id, props);
    const live = await ifFound(api.getHook(workspace, repository, uid));
    if (!live) return {};
    // The API never returns the secret: while the hook still has one, the value last set is what it holds.
    // Pulumi keeps the refreshed input encrypted, like the old one.
    const state = webhookState(live, { workspace, repository }, props?.secret as string | undefined);
    return { id: live.uuid, props: state, inputs: FIELDS.inputsOf(state) };
  },

  async update({ api }, id, olds, news) {
    const inputs = FIELDS.parse(news);
    const live = await api.updateHook(inputs.workspace, inputs.repository, id, hookUpdate(olds, inputs, FIELDS.body<HookBody>(inputs, FIELDS.updateKeys)));
    return { outs: webhookState(live, inputs, inputs.secret) };
  },

  async delete({ api }, id, props) {
    const { workspace, repository, uid } = webhookId(id, props);
    await ifFound(api.deleteHook(workspace, repository, uid));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/**
 * A hook's URL as reports show it: scheme, host and path. A URL may carry credentials in its user
 * part or query (`?token=`), which reports must not spread; a path can too, but it is what tells hooks apart.
 */
export function reportedUrl(url: unknown): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return "(not a URL)";
  }
}

/** A repository's webhooks. */
export const WEBHOOKS: Collection<HookObject> = {
  label: "webhook",
  plural: "webhooks",
  on: REPOSITORIES.label,
  list: (api, { workspace, container }) => api.listHooks(workspace, container!.uuid),
  listed: (hook) => ({
    keys: [hook.uuid],
    id: hook.uuid,
    title: reportedUrl(hook.url),
    detail: `${reportedUrl(hook.url)} on ${[...hook.events].sort().join(", ")}`,
  }),
  ignore: { section: "webhooks", field: "url", values: (hook) => [hook.url] },
};

/** A Webhook holds one hook by UUID; imported one per hook, a secret read from the stack config (Bitbucket never returns it). */
export const discovery: Discovery = {
  claims: claimsOne(WEBHOOKS),
  describe: describeOne("webhook", (o) => reportedUrl(o.url), "repository"),
  search: WEBHOOKS,
  import: attachedImport({
    on: REPOSITORIES,
    counted: "webhooks",
    order: 1,
    read: (api, place) => WEBHOOKS.list(api, place, []),
    declare: (hooks, container) =>
      hooks.map((hook, i) => ({
        name: `${container.key}-webhook-${i + 1}`,
        args: [
          ["workspace", WORKSPACE],
          ["repository", CONTAINER_ID],
          ["url", hook.url],
          ["description", hook.description || undefined],
          ["active", hook.active ?? true],
          ["events", [...hook.events].sort()],
          // Without it in the stack config, `up` would remove the secret.
          ["secret", hook.secret_set ? { configSecret: { repository: container.key, url: hook.url } } : undefined],
        ],
      })),
  }),
  terraform: terraformImport({
    type: "bitbucket_hook",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => {
      const url = String(a.url);
      // The state keeps the secret in plaintext; the program reads it from the stack config instead.
      // A hook with a secret the state lacks (imported into Terraform) needs one too, or `up` would remove it.
      const hasSecret = (typeof a.secret === "string" && a.secret !== "") || a.secret_set === true;
      return [
        {
          name,
          comments: a.skip_cert_verification === true ? ["skip_cert_verification = true is not carried: no counterpart here yet (left as it is)."] : [],
          args: [
            ["workspace", workspaceOf(String(a.owner))],
            ["repository", terraformRepository(a.owner, a.repository)],
            ["url", url],
            ["description", text(a.description) || undefined],
            ["active", typeof a.active === "boolean" ? a.active : undefined],
            ["events", Array.isArray(a.events) ? a.events.map(String).sort() : []],
            ["secret", hasSecret ? { configSecret: { repository: `${String(a.owner)}/${String(a.repository)}`, url } } : undefined],
          ],
        },
      ];
    },
  }),
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
export interface Webhook extends ResourceOutputs<typeof OUTPUTS> {}

/** A repository webhook. ID: the hook's UUID. */
export class Webhook extends BitbucketResource {
  constructor(name: string, args: WebhookArgs, opts?: pulumi.CustomResourceOptions) {
    const props = withOutputs({ ...args, secret: args?.secret === undefined ? undefined : pulumi.secret(args.secret) }, OUTPUTS.keys);
    const additionalSecretOutputs = [...(opts?.additionalSecretOutputs ?? []), ...FIELDS.secretKeys];
    super("Webhook", claims, name, props, { ...opts, additionalSecretOutputs });
  }

  /** Reads an existing webhook: `get(name, "{hook uuid}", { workspace, repository })` or `get(name, "workspace/repository/{hook uuid}")`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: InRepository, opts?: pulumi.CustomResourceOptions): Webhook {
    return Webhook.existing(name, id, state, opts);
  }
}
