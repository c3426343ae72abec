// A user's SSH keys as the API renders them (the spec's ssh_account_key): the key without its comment,
// which comes apart; the SHA-256 fingerprint as OpenSSH prints it (base64, unpadded).
import { createHash } from "crypto";
import { api, link, View } from "../../view";
import { renderUser } from "../workspaces/render";
import type { User } from "../workspaces/model";
import type { UserGpgKey, UserSshKey } from "./model";

export const sshFingerprint = (key: string) =>
  createHash("sha256")
    .update(Buffer.from(key.split(" ")[1], "base64"))
    .digest("base64")
    .replace(/=+$/, "");

export function renderSshKey(view: View, user: User, k: UserSshKey): Record<string, unknown> {
  return {
    type: "ssh_key",
    uuid: k.uuid,
    key: k.key,
    ...(k.comment ? { comment: k.comment } : {}),
    label: k.label,
    created_on: k.created_on,
    ...(k.last_used ? { last_used: k.last_used } : {}),
    fingerprint: sshFingerprint(k.key),
    owner: renderUser(view, user),
    links: { self: link(api(view, `/users/${encodeURIComponent(user.uuid)}/ssh-keys/${encodeURIComponent(k.uuid)}`)) },
  };
}

/** The spec's GPG_account_key: the subkeys as keys of their own, each with its parent's fingerprint. */
export function renderGpgKey(view: View, user: User, k: UserGpgKey): Record<string, unknown> {
  const self = (fingerprint: string) => link(api(view, `/users/${encodeURIComponent(user.uuid)}/gpg-keys/${fingerprint}`));
  const common = {
    type: "gpg_key",
    owner: renderUser(view, user),
    created_on: k.createdOn,
    added_on: k.addedOn,
    ...(k.expiresOn ? { expires_on: k.expiresOn } : {}),
  };
  return {
    ...common,
    key: k.key,
    key_id: k.keyId,
    fingerprint: k.fingerprint,
    name: k.name,
    subkeys: k.subkeys.map((fingerprint) => ({
      ...common,
      key_id: fingerprint.slice(-16),
      fingerprint,
      parent_fingerprint: k.fingerprint,
      links: { self: self(fingerprint) },
    })),
    links: { self: self(k.fingerprint) },
  };
}
