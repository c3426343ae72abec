// A user's SSH and GPG keys as the state holds them.

export interface UserSshKey {
  /** `{uuid}`: the key's id in URLs. */
  uuid: string;
  /** `<type> <base64>`: Bitbucket keeps the comment apart. */
  key: string;
  comment: string;
  label: string;
  created_on: string;
  last_used: string | null;
}

/** A user's GPG key: the armored block as added, and what it was read to hold (rules/gpg-key.ts). */
export interface UserGpgKey {
  key: string;
  fingerprint: string;
  keyId: string;
  name: string;
  createdOn: string;
  expiresOn: string | null;
  addedOn: string;
  subkeys: string[];
}
