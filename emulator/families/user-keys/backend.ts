// A user's SSH and GPG keys (`/users/{selected_user}/ssh-keys`, `…/gpg-keys`). The rules: only the user manages their keys
// (another user, or an access token, which has no user, is 403); the key is an OpenSSH public key
// (rules/ssh-key.ts; a refusal never quotes it); a key (type and body, whatever the comment) belongs to
// one account only (400 for a second, whoever holds it); a PUT may change the label and the comment,
// never the key. A GPG key is one armored public key block (rules/gpg-key.ts; a private block refused,
// never quoted), on one account only, addressed by its fingerprint; it has no PUT.
import { findUser } from "../../access";
import type { Caller } from "../../auth";
import { Db, timestamp } from "../../db";
import { badRequest, forbidden, invalidField, notFound } from "../../errors";
import { newUuid } from "../../ids";
import { keyIdentity } from "../../../rules/ssh-key";
import { parseGpgPublicKey } from "../../../rules/gpg-key";
import { checkKey, checkLabel } from "../deploy-keys/backend";
import type { User } from "../workspaces/model";
import type { UserGpgKey, UserSshKey } from "./model";

type Body = Record<string, unknown>;

export class UserKeys {
  constructor(private readonly db: Db) {}

  /** The user `selected` names (account id or `{uuid}`), when the caller is that user. */
  private owner(caller: Caller, selected: string): User {
    const user = findUser(this.db.state, selected);
    if (!user) throw notFound(`User ${selected} not found`);
    if (caller.kind !== "user" || caller.user.uuid !== user.uuid) throw forbidden("You can only manage your own keys");
    return user;
  }

  private find(user: User, keyId: string): UserSshKey {
    const found = (user.sshKeys ?? []).find((k) => k.uuid.toLowerCase() === keyId.toLowerCase());
    if (!found) throw notFound(`SSH key ${keyId} not found`);
    return found;
  }

  sshKeys(caller: Caller, selected: string): { user: User; keys: UserSshKey[] } {
    const user = this.owner(caller, selected);
    return { user, keys: user.sshKeys ?? [] };
  }

  sshKey(caller: Caller, selected: string, keyId: string): { user: User; key: UserSshKey } {
    const user = this.owner(caller, selected);
    return { user, key: this.find(user, keyId) };
  }

  addSshKey(caller: Caller, selected: string, body: Body): { user: User; key: UserSshKey } {
    const user = this.owner(caller, selected);
    const parsed = checkKey(body.key);
    const label = checkLabel(body.label);
    if (this.db.state.users.some((u) => (u.sshKeys ?? []).some((k) => k.key === keyIdentity(parsed))))
      throw badRequest("Someone has already added that SSH key.");
    const key: UserSshKey = {
      uuid: newUuid(),
      key: keyIdentity(parsed),
      comment: parsed.comment,
      label,
      created_on: timestamp(this.db.now()),
      last_used: null,
    };
    user.sshKeys = [...(user.sshKeys ?? []), key];
    return { user, key };
  }

  updateSshKey(caller: Caller, selected: string, keyId: string, body: Body): { user: User; key: UserSshKey } {
    const user = this.owner(caller, selected);
    const key = this.find(user, keyId);
    const parsed = checkKey(body.key);
    if (keyIdentity(parsed) !== key.key) throw invalidField("key", "a key cannot change: add another key instead");
    key.label = "label" in body ? checkLabel(body.label) : key.label;
    key.comment = parsed.comment;
    return { user, key };
  }

  deleteSshKey(caller: Caller, selected: string, keyId: string): void {
    const user = this.owner(caller, selected);
    const gone = this.find(user, keyId);
    user.sshKeys = (user.sshKeys ?? []).filter((k) => k !== gone);
  }

  gpgKeys(caller: Caller, selected: string): { user: User; keys: UserGpgKey[] } {
    const user = this.owner(caller, selected);
    return { user, keys: user.gpgKeys ?? [] };
  }

  private findGpg(user: User, fingerprint: string): UserGpgKey {
    const found = (user.gpgKeys ?? []).find((k) => k.fingerprint === fingerprint.toUpperCase());
    if (!found) throw notFound(`GPG key ${fingerprint} not found`);
    return found;
  }

  gpgKey(caller: Caller, selected: string, fingerprint: string): { user: User; key: UserGpgKey } {
    const user = this.owner(caller, selected);
    return { user, key: this.findGpg(user, fingerprint) };
  }

  addGpgKey(caller: Caller, selected: string, body: Body): { user: User; key: UserGpgKey } {
    const user = this.owner(caller, selected);
    if (typeof body.key !== "string") throw invalidField("key", "must be a string");
    const parsed = parseGpgPublicKey(body.key);
    if ("refused" in parsed) throw invalidField("key", `the key ${parsed.refused}`);
    const name = checkLabel(body.name);
    if (this.db.state.users.some((u) => (u.gpgKeys ?? []).some((k) => k.fingerprint === parsed.fingerprint)))
      throw badRequest("Someone has already added that GPG key.");
    const key: UserGpgKey = {
      key: body.key,
      fingerprint: parsed.fingerprint,
      keyId: parsed.keyId,
      name,
      createdOn: parsed.createdOn,
      expiresOn: parsed.expiresOn ?? null,
      addedOn: timestamp(this.db.now()),
      subkeys: parsed.subkeys,
    };
    user.gpgKeys = [...(user.gpgKeys ?? []), key];
    return { user, key };
  }

  deleteGpgKey(caller: Caller, selected: string, fingerprint: string): void {
    const user = this.owner(caller, selected);
    const gone = this.findGpg(user, fingerprint);
    user.gpgKeys = (user.gpgKeys ?? []).filter((k) => k !== gone);
  }
}
