// Users and workspaces (with their members and groups) as the state holds them.
import type { Hook } from "../hooks/model";
import type { Project } from "../projects/model";
import type { UserGpgKey, UserSshKey } from "../user-keys/model";
import type { PipelineVariable } from "../variables/model";

export interface User {
  uuid: string;
  account_id: string;
  display_name: string;
  nickname: string;
  email: string;
  /** Atlassian API token, used as the Basic password with `email`. */
  apiToken: string | null;
  /** That token's granular scopes (`read:repository:bitbucket`…); absent: every scope; empty: none (refused). */
  apiTokenScopes?: string[];
  created_on: string;
  /** SSH keys (`/users/{selected_user}/ssh-keys`); absent in older data files. */
  sshKeys?: UserSshKey[];
  /** GPG keys (`/users/{selected_user}/gpg-keys`); absent in older data files. */
  gpgKeys?: UserGpgKey[];
}

export interface Group {
  slug: string;
  name: string;
  memberUuids: string[];
}

export interface Workspace {
  uuid: string;
  slug: string;
  name: string;
  is_private: boolean;
  ownerUuid: string;
  memberUuids: string[];
  groups: Group[];
  projects: Project[];
  created_on: string;
  /** Workspace webhooks; absent in older data files. */
  hooks?: Hook[];
  /** Workspace pipeline variables; absent in older data files. */
  pipelineVariables?: PipelineVariable[];
}
