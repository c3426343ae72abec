// In-memory state of the emulator, and its JSON persistence (`--data FILE`).
import * as fs from "fs";
import writeFileAtomic from "write-file-atomic";

export type Permission = "read" | "write" | "admin";
/** On a project, `create-repo` is write on its repositories plus the right to create repositories in it. */
export type ProjectPermission = Permission | "create-repo";
export type ForkPolicy = "allow_forks" | "no_public_forks" | "no_forks";

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
}

export interface Group {
  slug: string;
  name: string;
  memberUuids: string[];
}

export interface Project {
  key: string;
  uuid: string;
  name: string;
  description: string;
  is_private: boolean;
  created_on: string;
  updated_on: string;
  /** Explicit grants, inherited by the project's repositories: group slug → permission. */
  groupPermissions: Record<string, ProjectPermission>;
  /** user uuid → permission. */
  userPermissions: Record<string, ProjectPermission>;
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
}

export interface Commit {
  hash: string;
  message: string;
  date: string;
  authorUuid: string;
  parents: string[];
  /** The files the commit changed (a clean merge changes none of its own); absent in older data files, which then match no `path=`. */
  paths?: string[];
}

export interface Branch {
  name: string;
  target: string;
}

export interface Tag {
  name: string;
  target: string;
  message: string;
  date: string;
  taggerUuid: string;
}

export interface PullRequest {
  id: number;
  title: string;
  description: string;
  state: "OPEN" | "MERGED" | "DECLINED" | "SUPERSEDED";
  authorUuid: string;
  sourceBranch: string;
  destinationBranch: string;
  created_on: string;
  updated_on: string;
}

export interface Hook {
  uuid: string;
  url: string;
  description: string;
  active: boolean;
  events: string[];
  secret: string | null;
  created_at: string;
}

export interface Repository {
  uuid: string;
  workspaceUuid: string;
  slug: string;
  name: string;
  description: string;
  is_private: boolean;
  fork_policy: ForkPolicy;
  language: string;
  // No has_issues / has_wiki: issues and wikis were sunset on 2026-08-20 (render.ts reads them false).
  website: string | null;
  projectKey: string;
  mainbranch: string;
  parentUuid: string | null;
  created_on: string;
  updated_on: string;
  size: number;
  /** Epoch ms before which a new fork answers 404 (the real service needs a moment to copy it). */
  readyAt: number;
  commits: Commit[];
  branches: Branch[];
  tags: Tag[];
  /** One tree for the whole history: the emulator does not version file contents. */
  files: Record<string, string>;
  pullrequests: PullRequest[];
  watcherUuids: string[];
  hooks: Hook[];
  groupPermissions: Record<string, Permission>;
  userPermissions: Record<string, Permission>;
  overrideSettings: { default_merge_strategy: boolean; branching_model: boolean };
  /** Whether Bitbucket Pipelines runs for this repository (`pipelines_config.enabled`); absent in older data files. */
  pipelinesEnabled?: boolean;
}

/** A further API token of a user, with its own granular scopes (a user may create several). */
export interface ApiToken {
  token: string;
  userUuid: string;
  /** Granular scopes; absent: every scope; empty: a token created without scopes, which Bitbucket refuses. */
  scopes?: string[];
}

export interface AccessToken {
  token: string;
  workspaceSlug: string;
  /** Classic scopes (`repository`, `webhook`…); absent: every scope. */
  scopes?: string[];
}

export interface OAuthClient {
  clientId: string;
  secret: string;
  userUuid: string;
  /** Classic scopes its tokens are issued with; absent: every scope. */
  scopes?: string[];
}

export interface State {
  users: User[];
  workspaces: Workspace[];
  repositories: Repository[];
  /** Absent in older data files. */
  apiTokens?: ApiToken[];
  accessTokens: AccessToken[];
  oauthClients: OAuthClient[];
}

export function loadState(file: string): State | null {
  if (!fs.existsSync(file)) return null;
  return upgrade(JSON.parse(fs.readFileSync(file, "utf8")) as State);
}

/** Fills the fields a data file written by an older emulator lacks. */
function upgrade(state: State): State {
  for (const ws of state.workspaces)
    for (const p of ws.projects) {
      p.description ??= "";
      p.updated_on ??= p.created_on;
      p.groupPermissions ??= {};
      p.userPermissions ??= {};
    }
  return state;
}

/** Writes the whole state; write-file-atomic renames a temp file, so a crash never leaves half a file. */
export function saveState(file: string, state: State): void {
  writeFileAtomic.sync(file, JSON.stringify(state, null, 2) + "\n");
}
