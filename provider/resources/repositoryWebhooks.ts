// RepositoryWebhooks: every webhook of one repository, authoritatively, by title (the hook's
// description; "Title" in Bitbucket's UI). A hook the program does not declare is drift, and `up`
// deletes it. Secrets are write-only in the API: the state keeps them (one Pulumi secret, `secrets`)
// only while the hook reports one. ID: `workspace/{repository uuid}`, so a rename changes nothing.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ifFound } from "../client";
import type { HookBody, HookObject } from "../client/api";
import type { Context } from "../context";
import {
  BitbucketResource,
  checkAndDiff,
  compact,
  ownValue,
  RepositoryRef,
  repositoryUuid,
  reportTakeOver,
  ResourceProvider,
  splitId,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, collectionClaim, repositoryRef } from "./claims";
import { argument, fieldTable, Inputs, output, outputTable, ResourceOutputs } from "./fields";
import { mapKeyObject, text, wholeOfRepository, type Discovery } from "./discovery";
import { reportedUrl, uniqueSorted, WebhookEvent, WebhookEvents, WebhookUrl, WEBHOOKS } from "./webhook";

// ---- Fields ------------------------------------------------------------------------------------

export const Title = z.string().min(1, "must not be empty").max(255, "must be at most 255 characters");
export const Entry = z.strictObject({ url: WebhookUrl, events: WebhookEvents, active: z.boolean().default(true) });
export type Entry = z.infer<typeof Entry>;

/** What the provider receives: the class splits each hook's secret off into `secrets` (one Pulumi secret). */
interface RepositoryWebhooksInputs {
  workspace: string;
  repository: string;
  webhooks: Record<string, Entry>;
  /** The hooks' secrets by title, taken from each hook's `secret` and kept as one Pulumi secret, only while Bitbucket reports the hook has one (a secret set outside Pulumi reads `(set outside Pulumi)`). A change updates the hooks in place. */
  secrets?: Record<string, string>;
}

export const FIELDS = fieldTable<RepositoryWebhooksInputs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  webhooks: { schema: z.record(Title, Entry), update: true },
  secrets: { schema: z.record(Title, z.string().max(128, "must be at most 128 characters")).optional(), update: true, secret: true },
});

const ID_PARTS = ["workspace", "repositoryUuid"] as const;

/** RepositoryWebhooks owns every webhook of its repository. */
export const claims = claimRule(["workspace", "repository"], (args) => collectionClaim(repositoryRef(args.workspace, args.repository), "webhooks", "webhooks"));

/** A hook whose secret was set outside Pulumi: its value is unknown, only that it differs from none. */
export const SET_OUTSIDE = "(set outside Pulumi)";

/** The live hooks by title; a hook without a title, or with one already taken, goes by its UUID. */
export function byTitle(hooks: HookObject[]): Map<string, HookObject> {
  const titled = new Map<string, HookObject>();
  for (const hook of hooks) titled.set(hook.description && !titled.has(hook.description) ? hook.description : hook.uuid, hook);
  return titled;
}

const entryOf = (hook: HookObject): Entry => ({ url: hook.url, events: uniqueSorted(hook.events), active: hook.active ?? true });
const sameEntry = (a: Entry, b: Entry) => JSON.stringify(a) === JSON.stringify(b);

interface Ids {
  workspace: string;
  repository: string;
  repositoryUuid: string;
}

/** The hooks' part of the state: by title, their secrets (while a hook has one) and their UUIDs. Also WorkspaceWebhooks'. */
export function hooksState(hooks: Map<string, HookObject>, secrets: Record<string, string | undefined>) {
  const titles = [...hooks.keys()];
  return {
    webhooks: Object.fromEntries(titles.map((t) => [t, entryOf(hooks.get(t)!)])),
    // Kept only while the hook has one; Pulumi stores the map encrypted (additionalSecretOutputs).
    secrets: Object.fromEntries(titles.filter((t) => hooks.get(t)!.secret_set).map((t) => [t, ownValue(secrets, t) ?? SET_OUTSIDE])),
    hookIds: Object.fromEntries(titles.map((t) => [t, hooks.get(t)!.uuid])),
  };
}

const state = (ids: Ids, hooks: Map<string, HookObject>, secrets: Record<string, string | undefined>) => compact({ ...ids, ...hooksState(hooks, secrets) });

/** Where a set of hooks lives (a repository's, a workspace's), by the calls that list and change them. */
export interface HookPlace {
  /** "acme/platform-api", for the take-over message. */
  what: string;
  list(): Promise<HookObject[]>;
  create(body: HookBody): Promise<HookObject>;
  update(uid: string, body: HookBody): Promise<HookObject>;
  delete(uid: string): Promise<unknown>;
}

/**
 * Makes the place's hooks exactly the declared ones: creates the missing, updates the changed
 * (a secret counts as changed when it differs from the one last set), deletes the undeclared.
 * `onTakeOver` (creation) hears which hooks that were there it changes or deletes (by title: URLs may hold tokens).
 * Returns the hooks by title, in declared order (so the state reads like the program).
 */
export async function applyHooks(
  place: HookPlace,
  inputs: { webhooks: Record<string, Entry>; secrets?: Record<string, string> },
  previousSecrets: Record<string, string>,
  onTakeOver?: (found: string) => void,
): Promise<Map<string, HookObject>> {
  const live = byTitle(await place.list());
  const secrets = inputs.secrets ?? {};
  const result = new Map<string, HookObject>();
  const writes: Promise<unknown>[] = [];
  const changed: string[] = [];
  for (const [title, entry] of Object.entries(inputs.webhooks)) {
    const hook = live.get(title);
    const secret = ownValue(secrets, title);
    const secretChanged = secret !== ownValue(previousSecrets, title) || (secret === undefined && hook?.secret_set === true);
    const body: HookBody = { description: title, ...entry };
    if (!hook) writes.push(place.create({ ...body, secret }).then((h) => result.set(title, h)));
    else if (!sameEntry(entryOf(hook), entry) || secretChanged) {
      changed.push(`${JSON.stringify(title)}: updated`);
      writes.push(place.update(hook.uuid, secretChanged ? { ...body, secret: secret ?? null } : body).then((h) => result.set(title, h)));
    } else result.set(title, hook);
  }
  for (const [title, hook] of live)
    if (!Object.hasOwn(inputs.webhooks, title)) {
      changed.push(`${JSON.stringify(title)}: deleted`);
      writes.push(ifFound(place.delete(hook.uuid)));
    }
  if (changed.length > 0) onTakeOver?.(`${place.what} already had webhooks this resource changes (${changed.join(", ")})`);
  await Promise.all(writes);
  return new Map(Object.keys(inputs.webhooks).map((t) => [t, result.get(t)!]));
}

/** A repository's hooks, addressed by its UUID. */
const repositoryHooks = ({ api }: Context, ids: Ids): HookPlace => ({
  what: `${ids.workspace}/${ids.repository}`,
  list: () => api.listHooks(ids.workspace, ids.repositoryUuid),
  create: (body) => api.createHook(ids.workspace, ids.repositoryUuid, body),
  update: (uid, body) => api.updateHook(ids.workspace, ids.repositoryUuid, uid, body),
  delete: (uid) => api.deleteHook(ids.workspace, ids.repositoryUuid, uid),
});

async function apply(
  ctx: Context,
  ids: Ids,
  inputs: Inputs<typeof FIELDS.rows>,
  previousSecrets: Record<string, string>,
  onTakeOver?: (found: string) => void,
) {
  return state(ids, await applyHooks(repositoryHooks(ctx, ids), inputs, previousSecrets, onTakeOver), inputs.secrets ?? {});
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  // Old and new may be the same repository (slug vs {uuid}): remove the old hooks before creating the new ones.
  ...checkAndDiff(FIELDS, true, (_olds, news) => ({ ...news, secrets: news.secrets ?? {} })),

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    const uuid = await repositoryUuid(ctx.api, inputs.workspace, inputs.repository);
    const ids = { workspace: inputs.workspace, repository: inputs.repository, repositoryUuid: uuid };
    const outs = await apply(ctx, ids, inputs, {}, (found) => reportTakeOver(ctx, `RepositoryWebhooks: ${found}`));
    return { id: `${inputs.workspace}/${uuid}`, outs };
  },

  async read({ api }, id, props) {
    const ids = splitId("repository webhooks", id, ID_PARTS, props);
    const hooks = await ifFound(api.listHooks(ids.workspace, ids.repositoryUuid));
    if (!hooks) return {};
    const outs = state(
      { ...ids, repository: (props?.repository as string | undefined) ?? ids.repositoryUuid },
      byTitle(hooks),
      (props?.secrets ?? {}) as Record<string, string>,
    );
    return { id, props: outs, inputs: FIELDS.inputsOf(outs) };
  },

  async update(ctx, id, olds, news) {
    const inputs = FIELDS.parse(news);
    const ids = { ...splitId("repository webhooks", id, ID_PARTS), repository: inputs.repository };
    return { outs: await apply(ctx, ids, inputs, (olds.secrets ?? {}) as Record<string, string>) };
  },

  async delete({ api }, id, props) {
    const ids = splitId("repository webhooks", id, ID_PARTS, props);
    const hookIds = Object.values((props.hookIds ?? {}) as Record<string, string>);
    await Promise.all(hookIds.map((uid) => ifFound(api.deleteHook(ids.workspace, ids.repositoryUuid, uid))));
  },
};

// ---- Drift search -------------------------------------------------------------------------------

/** RepositoryWebhooks holds every webhook of its repository: the search leaves them to its diff. */
export const discovery: Discovery = {
  ...wholeOfRepository(WEBHOOKS),
  // `webhooks.<key>...`: the hook the program names <key>, by its UUID once made, with its URL.
  describeField: (field, outputs) => {
    const object = mapKeyObject(field, { webhooks: { label: "webhook" } });
    if (!object) return undefined;
    const uuid = text(ownValue((outputs.hookIds ?? {}) as Record<string, unknown>, object.id));
    const url = reportedUrl(ownValue((outputs.webhooks ?? {}) as Record<string, { url?: unknown } | undefined>, object.id)?.url);
    return { ...object, id: uuid ?? object.id, name: url ? `${object.id}: ${url}` : object.id };
  },
};

// ---- Resource class ----------------------------------------------------------------------------

/** One webhook of a RepositoryWebhooks, the title being its key. */
export interface RepositoryWebhook {
  /** Where events are delivered: an http(s) URL that is not an internal address. */
  url: pulumi.Input<string>;
  /** At least one event name (e.g. `repo:push`); order and duplicates do not matter. */
  events: pulumi.Input<pulumi.Input<WebhookEvent>[]>;
  /** Whether deliveries are sent. Default: true. */
  active?: pulumi.Input<boolean>;
  /** Secret (≤ 128 characters) Bitbucket signs deliveries with; kept in the state only as a Pulumi secret. Unset: no secret. */
  secret?: pulumi.Input<string>;
}

/** The arguments with each hook's secret split off into `secrets`, one Pulumi secret, so the rest of each hook stays readable in diffs (also WorkspaceWebhooks'). */
export function withSecretsApart<A extends { webhooks: Record<string, RepositoryWebhook> }>(args: A | undefined) {
  if (!args) return args;
  const webhooks = Object.fromEntries(Object.entries(args.webhooks ?? {}).map(([title, { secret: _secret, ...hook }]) => [title, hook]));
  const secrets = Object.fromEntries(Object.entries(args.webhooks ?? {}).flatMap(([title, hook]) => (hook.secret === undefined ? [] : [[title, hook.secret]])));
  return { ...args, webhooks, secrets: pulumi.secret(secrets) };
}

export interface RepositoryWebhooksArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the resource. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id`. The resource addresses the repository by UUID either way. Changing it replaces the resource. */
  repository: pulumi.Input<string>;
  /**
   * Every webhook of the repository, by title (the hook's description, at most 255 characters). A hook
   * Bitbucket has that is not listed is drift and `up` deletes it; `{}` means no webhooks at all.
   */
  webhooks: Record<string, RepositoryWebhook>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The hooks by title: url, sorted events, active (their secrets are apart, in `secrets`). */
  webhooks: argument(),
  /** The repository's UUID (part of the ID), whatever `repository` gives. */
  repositoryUuid: output<string>(),
  /** The hooks' UUIDs by title. */
  hookIds: output<Record<string, string>>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface RepositoryWebhooks extends ResourceOutputs<typeof OUTPUTS> {}

/** All the webhooks of a repository. ID: `workspace/{repository uuid}`. */
export class RepositoryWebhooks extends BitbucketResource {
  constructor(name: string, args: RepositoryWebhooksArgs, opts?: pulumi.CustomResourceOptions) {
    const props = withOutputs(withSecretsApart(args), OUTPUTS.keys);
    const additionalSecretOutputs = [...(opts?.additionalSecretOutputs ?? []), ...FIELDS.secretKeys];
    super("RepositoryWebhooks", claims, name, props, { ...opts, additionalSecretOutputs });
  }

  /** Reads the webhooks of a repository by ID `workspace/{repository uuid}`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): RepositoryWebhooks {
    return RepositoryWebhooks.existing(name, id, undefined, opts);
  }
}
