// Deploy keys (of a repository or of a project) as the state holds them.

export interface DeployKey {
  /** Numeric, unique across the emulator (Bitbucket's ids are global). */
  id: number;
  /** `<type> <base64>`: Bitbucket keeps the comment apart. */
  key: string;
  comment: string;
  label: string;
  created_on: string;
  last_used: string | null;
  /** Who added it (a user's `{uuid}`); null for an access token. */
  addedByUuid: string | null;
}
