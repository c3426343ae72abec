// A user's SSH keys as the API renders them (the spec's ssh_account_key): the key without its comment,
// which comes apart; the SHA-256 fingerprint as OpenSSH prints it (base64, unpadded).
import { createHash } from "crypto";
import { api, link, View } from "../../view";
import { renderUser } from "../workspaces/render";
import type { User } from "../workspaces/model";
import type { UserSshKey } from "./model";

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
