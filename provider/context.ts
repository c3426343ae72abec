// What a resource's create, read, update and delete receive: the API client and the runtime options.
// The runtime builds it for each call (provider/runtime.ts); tests may build one with any Api.
import type { ClientOptions } from "./client";
import type { Api } from "./client/api";
import type { FreshRepositories } from "./resources/fresh";

export interface RuntimeOptions extends ClientOptions {
  /** How long Fork.create waits for a new fork to become usable, in ms. Default 300000. */
  forkReadyTimeoutMs?: number;
  /** First delay between fork readiness polls, in ms. Default 500. */
  forkPollMs?: number;
}

export interface Context {
  api: Api;
  options: RuntimeOptions;
  /** Take over what already exists where a create would put it (bitbucket:adoptExisting; see Settings). */
  adoptExisting: boolean;
  /** The repositories this process created: creates on them need not look before writing (resources/fresh.ts). Unset: always look. */
  fresh?: FreshRepositories;
}

/** What check may know besides the inputs, when the settings resolve and the kind accepts the credentials. */
export interface CheckContext {
  /**
   * Looks up a member of a workspace by account id or `{uuid}` (undefined: not a member), when the
   * settings resolve. Check reads through it only to tell whether two spellings name one user.
   */
  member?(workspace: string, user: string): Promise<WorkspaceMember | undefined>;
}

export interface WorkspaceMember {
  uuid?: string;
  account_id?: string;
  display_name?: string;
}
