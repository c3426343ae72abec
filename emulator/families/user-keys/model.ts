// A user's SSH keys as the state holds them.

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
