// The emulator's state, as one JSON document: each family's objects (their types are in
// families/<family>/model.ts), the credentials, and its persistence (`--data FILE`).
import * as fs from "fs";
import writeFileAtomic from "write-file-atomic";
import type { Repository } from "./families/repositories/model";
import type { User, Workspace } from "./families/workspaces/model";

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
