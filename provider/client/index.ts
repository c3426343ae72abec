// The client: request core + OAuth renewal + concurrency cap + retries, and the typed API on top.
import { Api, createApi } from "./api";
import { createAuth, Credentials, withAuthRenewal } from "./auth";
import { createRequestCore, FetchLike, Send } from "./http";
import { createReads, Reads } from "./reads";
import { DEFAULT_RETRY, RetryOptions, withConcurrencyLimit, withRetries } from "./retry";

export interface ClientOptions {
  /** Injected fetch (node-fetch, a recorder...). Default: Node's built-in fetch. */
  fetch?: FetchLike;
  retry?: Partial<RetryOptions>;
  /** Most requests in flight at once. Default 8. */
  concurrency?: number;
  /** Per-request timeout in ms. Default 60000. */
  timeoutMs?: number;
}

export interface Client {
  apiUrl: string;
  send: Send;
  api: Api;
  /** The endpoints the read functions use. */
  reads: Reads;
}

export const DEFAULT_CONCURRENCY = 8;

export function createClient(settings: { apiUrl: string; credentials: Credentials }, options: ClientOptions = {}): Client {
  const fetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const auth = createAuth(settings.credentials, settings.apiUrl, fetch);
  const core = createRequestCore({
    apiUrl: settings.apiUrl,
    fetch,
    authorization: () => auth.authorization(),
    timeoutMs: options.timeoutMs ?? 60_000,
    authKind: settings.credentials.kind,
  });
  const send = withRetries(withConcurrencyLimit(withAuthRenewal(core, auth), options.concurrency ?? DEFAULT_CONCURRENCY), {
    ...DEFAULT_RETRY,
    ...options.retry,
  });
  return { apiUrl: settings.apiUrl, send, api: createApi(send, settings.apiUrl), reads: createReads(send, settings.apiUrl) };
}

export { BitbucketApiError, BitbucketNetworkError, ifFound, isAlreadyExists, isNotFound } from "./errors";
export type { Credentials } from "./auth";
