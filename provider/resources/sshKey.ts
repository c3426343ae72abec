// SshKey: an SSH public key of a user's account (`/users/{selected_user}/ssh-keys`), for git over SSH
// as that user. The Pulumi ID is the key's `{uuid}`; the state also holds the user. Bitbucket cannot
// change a key's key: a new key replaces, a new label updates in place. The key is validated as
// DeployKey's (one definition: a private key is refused and never quoted).
import * as pulumi from "@pulumi/pulumi";
import { BitbucketApiError, ifFound } from "../client";
import type { SshKeyBody, SshKeyObject } from "../client/api";
import type { Context } from "../context";
import { keyIdentity, parsePublicKey, sameKey } from "../../rules/ssh-key";
import { BitbucketResource, checkAndDiff, compact, reportTakeOver, ResourceProvider, splitId, UserRef, withOutputs } from "./common";
import { claimRule, itemClaim } from "./claims";
import { terraformImport, text, type Discovery } from "./discovery";
import { DeployKeyLabel, PublicKeyText, sameKeyAsOld } from "./deployKey";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<SshKeyArgs>()({
  user: { schema: UserRef, replace: true },
  key: { schema: PublicKeyText, api: "key", replace: true },
  label: { schema: DeployKeyLabel, api: "label", absent: "", update: true },
});

/** A key belongs to one account in all of Bitbucket: two SshKeys with one key fight, whatever their users. */
export const claims = claimRule(["key"], (args) => {
  const parsed = typeof args.key === "string" ? parsePublicKey(args.key) : undefined;
  return itemClaim("Bitbucket", "SSH keys", parsed && "type" in parsed ? keyIdentity(parsed) : undefined, "one SSH key (matched by its public key)", "key");
});

/** The key as the program spells it while Bitbucket holds that key (Bitbucket may keep or drop the comment). */
const stateKey = (live: SshKeyObject, spelled: unknown) =>
  typeof spelled === "string" && sameKey(spelled, live.key) ? spelled : live.comment ? `${live.key} ${live.comment}` : live.key;

function sshKeyState(live: SshKeyObject, user: string, spelled: unknown) {
  return compact({
    user,
    ...FIELDS.state(live),
    key: stateKey(live, spelled),
    keyUuid: live.uuid,
    fingerprint: live.fingerprint,
    lastUsed: live.last_used,
  });
}

const sshKeyId = (id: string, props?: Record<string, unknown>) => splitId("SSH key", id, ["user", "keyUuid"], props);

/** Bitbucket's refusal of a key already on an account (the answer to a retried POST whose first answer was lost). */
const isKeyTaken = (err: unknown): err is BitbucketApiError =>
  err instanceof BitbucketApiError && err.status === 400 && /already added/i.test(`${err.apiMessage ?? ""} ${err.detail ?? ""}`);

/**
 * Adds the key, never twice: when Bitbucket answers that it is already there and this user holds it
 * (a lost answer, a killed run, or added by hand), it is taken over, relabelled when its label differs
 * (and said so). Held by another account, the refusal stands.
 */
async function addOnce(ctx: Context, user: string, body: SshKeyBody): Promise<SshKeyObject> {
  const { api } = ctx;
  try {
    return await api.createSshKey(user, body);
  } catch (err) {
    if (!isKeyTaken(err)) throw err;
    const existing = (await api.listSshKeys(user)).find((k) => sameKey(body.key, k.key));
    if (!existing) throw err;
    if ((existing.label ?? "") === (body.label ?? "")) return existing;
    reportTakeOver(ctx, `SshKey: ${user} already had this key (${existing.uuid}, labelled "${existing.label ?? ""}"), now labelled "${body.label ?? ""}"`);
    return api.updateSshKey(user, existing.uuid, { key: existing.comment ? `${existing.key} ${existing.comment}` : existing.key, label: body.label });
  }
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  ...checkAndDiff(FIELDS, false, sameKeyAsOld),

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    const live = await addOnce(ctx, inputs.user, { key: inputs.key, label: inputs.label ?? "" });
    return { id: live.uuid, outs: sshKeyState(live, inputs.user, inputs.key) };
  },

  async read({ api }, id, props) {
    const { user, keyUuid } = sshKeyId(id, props);
    const live = await ifFound(api.getSshKey(user, keyUuid));
    if (!live) return {};
    const state = sshKeyState(live, user, props?.key);
    return { id: live.uuid, props: state, inputs: FIELDS.inputsOf(state) };
  },

  async update({ api }, id, olds, news) {
    const inputs = FIELDS.parse(news);
    // The PUT carries the same key (as it was added); only the label changes.
    const live = await api.updateSshKey(inputs.user, id, { key: String(olds.key), label: inputs.label ?? "" });
    return { outs: sshKeyState(live, inputs.user, olds.key) };
  },

  async delete({ api }, id, props) {
    const { user, keyUuid } = sshKeyId(id, props);
    await ifFound(api.deleteSshKey(user, keyUuid));
  },
};

// ---- Import from a Terraform state -------------------------------------------------------------

// bitbucket_ssh_key: user, key, label (uuid, comment read-only). Creation takes over the user's key with
// the same type and body, relabelled when its label differs.
export const discovery: Discovery = {
  terraform: terraformImport({
    type: "bitbucket_ssh_key",
    order: 3,
    declare: ({ attributes: a, name }) => [
      {
        name,
        comments: ["A user's own key: `up` needs that user's credentials (Bitbucket lets a user manage only their own keys)."],
        args: [
          ["user", String(a.user)],
          ["key", String(a.key)],
          ["label", text(a.label) || undefined],
        ],
      },
    ],
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface SshKeyArgs {
  /** The user whose account holds the key: Atlassian account id or `{uuid}`. The credentials must be that user's (Bitbucket lets a user manage only their own keys). Changing it replaces the key. */
  user: pulumi.Input<string>;
  /** The OpenSSH public key, `<type> <base64> [comment]` (a `.pub` file's line); the types DeployKey takes. A private key is refused (and never quoted). Only the type and the body are compared: a changed comment is no change. Another key replaces the SshKey (Bitbucket cannot change a key). */
  key: pulumi.Input<string>;
  /** The key's label in Bitbucket, at most 255 characters. Default: empty. Updates in place. */
  label?: pulumi.Input<string>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The key as the program spells it while Bitbucket holds that key. */
  key: argument(),
  label: argument("always set"),
  /** The key's `{uuid}` in Bitbucket (also the resource ID). */
  keyUuid: output<string>(),
  /** The key's SHA-256 fingerprint as Bitbucket gives it. */
  fingerprint: output<string | undefined>(),
  /** When the key was last used, if ever. */
  lastUsed: output<string | undefined>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface SshKey extends ResourceOutputs<typeof OUTPUTS> {}

/** An SSH public key of a user's account. ID: the key's `{uuid}`. */
export class SshKey extends BitbucketResource {
  constructor(name: string, args: SshKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super("SshKey", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing key: `get(name, "user/{key uuid}")` or `get(name, "{key uuid}", { user })`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: { user?: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions): SshKey {
    return SshKey.existing(name, id, state, opts);
  }
}
