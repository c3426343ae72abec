// DeployKey: an SSH public key with read access to one repository. The Pulumi ID is the key's numeric
// id; the state also holds the workspace and the repository's UUID, by which it is addressed (a
// rename changes nothing). Bitbucket cannot change a key's key: a new key replaces, a new label
// updates in place. The key is not a secret, but what a refusal was given may be a private key: no
// message ever quotes it.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { BitbucketApiError, ifFound } from "../client";
import type { DeployKeyBody, DeployKeyObject } from "../client/api";
import type { Context } from "../context";
import { keyIdentity, parsePublicKey, sameKey } from "../../rules/ssh-key";
import {
  BitbucketResource,
  checkAndDiff,
  InRepository,
  compact,
  isUnknown,
  repositoryObjectId,
  RepositoryRef,
  repositoryUuid,
  reportTakeOver,
  ResourceProvider,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, itemClaim, repositoryRef } from "./claims";
import { attachedImport, CONTAINER_ID, terraformImport, text, WORKSPACE, claimsOne, type Collection, type Discovery } from "./discovery";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { REPOSITORIES, terraformRepository } from "./repository";

// ---- Fields ------------------------------------------------------------------------------------

/**
 * An OpenSSH public key (`<type> <base64> [comment]`). Its refusals carry no input, so neither the
 * check's message nor a log quotes what was given.
 */
export const PublicKeyText = z.string().superRefine((value, ctx) => {
  const parsed = parsePublicKey(value);
  if ("refused" in parsed) ctx.addIssue({ code: "custom", message: parsed.refused, input: undefined });
});

export const DeployKeyLabel = z.string().max(255, "must be at most 255 characters").optional();

export const FIELDS = fieldTable<DeployKeyArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  key: { schema: PublicKeyText, api: "key", replace: true },
  label: { schema: DeployKeyLabel, api: "label", absent: "", update: true },
});

/** The key as the program spells it: the comment is not part of the key, so its change is no change. */
export const keyText = (live: DeployKeyObject) => (live.comment ? `${live.key} ${live.comment}` : live.key);

/** The state's key: the program's spelling while the live key is the same key (Bitbucket may keep or drop the comment). */
export const stateKey = (live: DeployKeyObject, spelled: unknown) => (typeof spelled === "string" && sameKey(spelled, live.key) ? spelled : keyText(live));

/** The new inputs as the diff sees them: a key of the same type and body as the old one is the old one. */
export const sameKeyAsOld = (olds: Record<string, unknown>, news: Record<string, unknown>) =>
  typeof olds.key === "string" && typeof news.key === "string" && !isUnknown(news.key) && sameKey(olds.key, news.key) ? { ...news, key: olds.key } : news;

/** One deploy key: a repository's (or a project's) key with this type and body. */
export const keyClaim = (owner: string | undefined, key: unknown) => {
  const parsed = typeof key === "string" ? parsePublicKey(key) : undefined;
  return itemClaim(owner, "deploy keys", parsed && "type" in parsed ? keyIdentity(parsed) : undefined, "one deploy key (matched by its public key)", "key");
};

/** A DeployKey owns the repository's key with its type and body (Bitbucket holds a key once per repository). */
export const claims = claimRule(["workspace", "repository", "key"], (args) => keyClaim(repositoryRef(args.workspace, args.repository), args.key));

/** Bitbucket's refusal of a key already added where it was to be added (the answer to a retried POST whose first answer was lost). */
const isKeyTaken = (err: unknown): err is BitbucketApiError =>
  err instanceof BitbucketApiError && err.status === 400 && /already added/i.test(`${err.apiMessage ?? ""} ${err.detail ?? ""}`);

/** Where a key is added: its listing, its POST, and what a take-over does when the label differs. */
export interface KeyPlace {
  what: string;
  list(): Promise<DeployKeyObject[]>;
  add(): Promise<DeployKeyObject>;
  relabel(existing: DeployKeyObject): Promise<DeployKeyObject>;
}

/**
 * Adds the key, never twice: when Bitbucket answers that it is already there (a lost answer, a killed
 * run, or a key added by hand), the key with the same type and body is taken over, relabelled when its
 * label differs (and said so); an identical one silently.
 */
export async function addKeyOnce(ctx: Context, place: KeyPlace, body: DeployKeyBody): Promise<DeployKeyObject> {
  try {
    return await place.add();
  } catch (err) {
    if (!isKeyTaken(err)) throw err;
    const existing = (await place.list()).find((k) => sameKey(body.key, k.key));
    if (!existing) throw err;
    if ((existing.label ?? "") === (body.label ?? "")) return existing;
    reportTakeOver(
      ctx,
      `${place.what} already had this key (deploy key ${existing.id}, labelled "${existing.label ?? ""}"), now labelled "${body.label ?? ""}"`,
    );
    return place.relabel(existing);
  }
}

function deployKeyState(live: DeployKeyObject, ids: { workspace: string; repository: string; repositoryUuid: string }, spelled: unknown) {
  return compact({ ...ids, ...FIELDS.state(live), key: stateKey(live, spelled), keyId: String(live.id), lastUsed: live.last_used });
}

/** The ID is the key's id; `get` also accepts `workspace/repository/id`. */
function deployKeyId(id: string, props?: Record<string, unknown>) {
  const parts = repositoryObjectId("deploy key", id, ["workspace", "repository", "keyId"], props);
  if (!/^[0-9]+$/.test(parts.keyId)) throw new Error(`Cannot address deploy key ${id}: its id must be a number (the key's id in Bitbucket).`);
  return parts;
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  ...checkAndDiff(FIELDS, false, sameKeyAsOld),

  async create(ctx, raw) {
    const { api } = ctx;
    const inputs = FIELDS.parse(raw);
    const { workspace, repository } = inputs;
    const uuid = await repositoryUuid(api, workspace, repository);
    const body: DeployKeyBody = { key: inputs.key, label: inputs.label ?? "" };
    const live = await addKeyOnce(
      ctx,
      {
        what: `DeployKey: ${workspace}/${repository}`,
        list: () => api.listDeployKeys(workspace, uuid),
        add: () => api.createDeployKey(workspace, uuid, body),
        relabel: (existing) => api.updateDeployKey(workspace, uuid, String(existing.id), { key: keyText(existing), label: body.label }),
      },
      body,
    );
    return { id: String(live.id), outs: deployKeyState(live, { workspace, repository, repositoryUuid: uuid }, inputs.key) };
  },

  async read({ api }, id, props) {
    const { workspace, repository, keyId, at } = deployKeyId(id, props);
    const live = await ifFound(api.getDeployKey(workspace, at, keyId));
    if (!live) return {};
    // A `get` by `workspace/slug/id` learns the UUID with one GET.
    const uuid = text(props?.repositoryUuid) ?? (await repositoryUuid(api, workspace, at));
    const state = deployKeyState(live, { workspace, repository, repositoryUuid: uuid }, props?.key);
    return { id: keyId, props: state, inputs: FIELDS.inputsOf(state) };
  },

  async update({ api }, id, olds, news) {
    const inputs = FIELDS.parse(news);
    const at = text(olds.repositoryUuid) ?? inputs.repository;
    // The PUT carries the same key (as it was added); only the label changes.
    const live = await api.updateDeployKey(inputs.workspace, at, id, { key: String(olds.key), label: inputs.label ?? "" });
    return { outs: deployKeyState(live, { workspace: inputs.workspace, repository: inputs.repository, repositoryUuid: at }, olds.key) };
  },

  async delete({ api }, id, props) {
    const { workspace, keyId, at } = deployKeyId(id, props);
    await ifFound(api.deleteDeployKey(workspace, at, keyId));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** "ssh-ed25519 AAAAC3NzaC1l…": the type and the first 12 characters of the body, enough to tell keys apart. */
export const keySummary = (k: DeployKeyObject) => {
  const [type, body = ""] = k.key.split(" ");
  return `${type} ${body.slice(0, 12)}…`;
};

/** A repository's deploy keys. */
export const DEPLOY_KEYS: Collection<DeployKeyObject> = {
  label: "deploy key",
  plural: "deploy keys",
  on: REPOSITORIES.label,
  list: (api, { workspace, container }) => api.listDeployKeys(workspace, container!.uuid),
  listed: (k) => ({ keys: [String(k.id)], id: String(k.id), detail: `${k.label || "(no label)"} (${keySummary(k)})` }),
};

/** A DeployKey holds one key by id; imported one per key of each imported repository. */
export const discovery: Discovery = {
  claims: claimsOne(DEPLOY_KEYS, "keyId"),
  search: DEPLOY_KEYS,
  import: attachedImport({
    on: REPOSITORIES,
    counted: "deploy keys",
    order: 4,
    read: (api, place) => DEPLOY_KEYS.list(api, place, []),
    declare: (keys, container) =>
      keys.map((k, i) => ({
        name: `${container.key}-deploy-key-${i + 1}`,
        args: [
          ["workspace", WORKSPACE],
          ["repository", CONTAINER_ID],
          ["key", keyText(k)],
          ["label", k.label || undefined],
        ],
      })),
  }),
  terraform: terraformImport({
    type: "bitbucket_deploy_key",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => [
      {
        name,
        args: [
          ["workspace", workspaceOf(String(a.workspace))],
          ["repository", terraformRepository(a.workspace, a.repository)],
          ["key", String(a.key)],
          ["label", text(a.label) || undefined],
        ],
      },
    ],
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface DeployKeyArgs {
  /** Workspace slug (or `{uuid}`) of the repository. Changing it replaces the key. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id` (the UUID) so a rename changes nothing. Changing it replaces the key. */
  repository: pulumi.Input<string>;
  /** The OpenSSH public key, `<type> <base64> [comment]` (a `.pub` file's line); types ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521 and the sk- security keys. A private key is refused (and never quoted). Only the type and the body are compared: a changed comment is no change. Another key replaces the deploy key (Bitbucket cannot change a key). */
  key: pulumi.Input<string>;
  /** The key's label in Bitbucket, at most 255 characters. Default: empty. Updates in place. */
  label?: pulumi.Input<string>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The key as the program spells it while Bitbucket holds that key (Bitbucket may keep or drop the comment). */
  key: argument(),
  label: argument("always set"),
  /** The repository's UUID, by which the key is addressed. */
  repositoryUuid: output<string>(),
  /** The key's id in Bitbucket (also the resource ID). */
  keyId: output<string>(),
  /** When the key was last used, if ever. */
  lastUsed: output<string | undefined>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface DeployKey extends ResourceOutputs<typeof OUTPUTS> {}

/** A repository's deploy key: an SSH public key with read access to the repository. ID: the key's id (a number). */
export class DeployKey extends BitbucketResource {
  constructor(name: string, args: DeployKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super("DeployKey", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing deploy key: `get(name, "workspace/repository/id")` or `get(name, "id", { workspace, repository })`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: InRepository, opts?: pulumi.CustomResourceOptions): DeployKey {
    return DeployKey.existing(name, id, state, opts);
  }
}
