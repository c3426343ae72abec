// GpgKey: an OpenPGP public key of a user's account (`/users/{selected_user}/gpg-keys`), so Bitbucket
// shows the user's signed commits as verified. The Pulumi ID is the key's fingerprint; the state also
// holds the user. Bitbucket has no PUT for GPG keys: another key or another name replaces. The block
// is read at preview (rules/gpg-key.ts, the emulator's reader too): a private key block is refused and
// never quoted; the fingerprint, key id and expiry are outputs read back from Bitbucket.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ifFound } from "../client";
import type { GpgKeyBody, GpgKeyObject } from "../client/api";
import { parseGpgPublicKey } from "../../rules/gpg-key";
import { BitbucketResource, checkAndDiff, compact, isUnknown, reportTakeOver, ResourceProvider, splitId, UserRef, withOutputs } from "./common";
import { claimRule, itemClaim } from "./claims";
import { DeployKeyLabel } from "./deployKey";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";

// ---- Fields ------------------------------------------------------------------------------------

/** One ASCII-armored OpenPGP public key block. Its refusals carry no input, so no message quotes what was given. */
export const GpgPublicKeyText = z.string().superRefine((value, ctx) => {
  const parsed = parseGpgPublicKey(value);
  if ("refused" in parsed) ctx.addIssue({ code: "custom", message: parsed.refused, input: undefined });
});

export const FIELDS = fieldTable<GpgKeyArgs>()({
  user: { schema: UserRef, replace: true },
  key: { schema: GpgPublicKeyText, replace: true },
  // No PUT: a new name replaces the key (removed, then added again).
  name: { schema: DeployKeyLabel, api: "name", absent: "", replace: true },
});

const fingerprintOf = (key: unknown) => {
  const parsed = typeof key === "string" ? parseGpgPublicKey(key) : undefined;
  return parsed && "fingerprint" in parsed ? parsed.fingerprint : undefined;
};

/** A key belongs to one account in all of Bitbucket: two GpgKeys with one fingerprint fight. */
export const claims = claimRule(["key"], (args) =>
  itemClaim("Bitbucket", "GPG keys", fingerprintOf(args.key), "one GPG key (matched by its fingerprint)", "key"),
);

/** The state: the program's block while Bitbucket holds a key of that fingerprint (Bitbucket may re-armor it). */
function gpgKeyState(live: GpgKeyObject, user: string, spelled: unknown) {
  const key = typeof spelled === "string" && fingerprintOf(spelled) === live.fingerprint.toUpperCase() ? spelled : live.key;
  return compact({
    user,
    key,
    name: live.name ?? "",
    fingerprint: live.fingerprint,
    keyId: live.key_id,
    createdOn: live.created_on,
    expiresOn: live.expires_on,
    lastUsed: live.last_used,
  });
}

const gpgKeyId = (id: string, props?: Record<string, unknown>) => splitId("GPG key", id, ["user", "fingerprint"], props);

/** The new inputs as the diff sees them: a block of the same fingerprint as the old one is the old one. */
const sameKeyAsOld = (olds: Record<string, unknown>, news: Record<string, unknown>) =>
  !isUnknown(news.key) && fingerprintOf(olds.key) !== undefined && fingerprintOf(olds.key) === fingerprintOf(news.key) ? { ...news, key: olds.key } : news;

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  // Old and new may be one key (the same fingerprint under another name): the old goes first.
  ...checkAndDiff(FIELDS, true, sameKeyAsOld),

  async create(ctx, raw) {
    const { api } = ctx;
    const inputs = FIELDS.parse(raw);
    const fingerprint = fingerprintOf(inputs.key)!;
    const body: GpgKeyBody = { key: inputs.key, name: inputs.name ?? "" };
    // Looked for first: a lost answer, a killed run or a key added by hand is taken over, never added twice.
    const { value, found } = await api.createOnce(
      `the GPG key ${fingerprint} of ${inputs.user}`,
      async () => (await api.listGpgKeys(inputs.user)).find((k) => k.fingerprint.toUpperCase() === fingerprint),
      () => api.createGpgKey(inputs.user, body),
    );
    let live = value;
    if (found && (value.name ?? "") !== body.name) {
      // No PUT: the key is added again under the program's name.
      reportTakeOver(ctx, `GpgKey: ${inputs.user} already had this key (${fingerprint}, named "${value.name ?? ""}"), now added again named "${body.name}"`);
      await api.deleteGpgKey(inputs.user, value.fingerprint);
      live = await api.createGpgKey(inputs.user, body);
    }
    return { id: live.fingerprint, outs: gpgKeyState(live, inputs.user, inputs.key) };
  },

  async read({ api }, id, props) {
    const { user, fingerprint } = gpgKeyId(id, props);
    const live = await ifFound(api.getGpgKey(user, fingerprint));
    if (!live) return {};
    const state = gpgKeyState(live, user, props?.key);
    return { id: live.fingerprint, props: state, inputs: FIELDS.inputsOf(state) };
  },

  // Every argument replaces: an update never comes (the engine replaces instead).
  async update(_ctx, id) {
    throw new Error(`GPG key ${id}: Bitbucket cannot change a GPG key; it is replaced instead.`);
  },

  async delete({ api }, id, props) {
    const { user, fingerprint } = gpgKeyId(id, props);
    await ifFound(api.deleteGpgKey(user, fingerprint));
  },
};

// ---- Resource class ----------------------------------------------------------------------------

export interface GpgKeyArgs {
  /** The user whose account holds the key: Atlassian account id or `{uuid}`. The credentials must be that user's. Changing it replaces the key. */
  user: pulumi.Input<string>;
  /** One ASCII-armored OpenPGP public key block (`gpg --armor --export <key id>`), version 4. A private key block is refused (and never quoted). A block of the same fingerprint (re-exported, other armor headers) is no change; another key replaces. */
  key: pulumi.Input<string>;
  /** The key's name in Bitbucket, at most 255 characters. Default: empty. Bitbucket cannot rename a GPG key: a new name replaces it (removed, then added again). */
  name?: pulumi.Input<string>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The block as the program spells it while Bitbucket holds a key of that fingerprint. */
  key: argument(),
  name: argument("always set"),
  /** The key's fingerprint (also the resource ID). */
  fingerprint: output<string>(),
  /** The key id: the fingerprint's last 16 hex digits. */
  keyId: output<string | undefined>(),
  /** When the key was made (its creation time, not when it was added). */
  createdOn: output<string | undefined>(),
  /** When the key expires; absent: never. */
  expiresOn: output<string | undefined>(),
  /** When the key last verified a commit, if ever. */
  lastUsed: output<string | undefined>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface GpgKey extends ResourceOutputs<typeof OUTPUTS> {}

/** An OpenPGP public key of a user's account (verified commits). ID: the key's fingerprint. */
export class GpgKey extends BitbucketResource {
  constructor(name: string, args: GpgKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super("GpgKey", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing key: `get(name, "user/FINGERPRINT")` or `get(name, "FINGERPRINT", { user })`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: { user?: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions): GpgKey {
    return GpgKey.existing(name, id, state, opts);
  }
}
