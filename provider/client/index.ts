// The client: request core + OAuth renewal + concurrency cap + retries, and the typed API on top.
import type { Tuning } from "../config";
import { Api, createApi } from "./api";
import { createAuth, Credentials, withAuthRenewal } from "./auth";
import { createRequestCore, describeRequest, FetchLike, RequestSpec, Send } from "./http";
import { MAX_PAGES } from "./paginate";
import { createReads, Reads } from "./reads";
import { RequestLedger, withLedger } from "./cost";
import { createOnceWith, DEFAULT_RETRY, Notify, RetryOptions, Sleep, withConcurrencyLimit, withRetries } from "./retry";

export interface ClientOptions {
  /** Injected fetch (node-fetch, a recorder...). Default: Node's built-in fetch. */
  fetch?: FetchLike;
  retry?: Partial<RetryOptions>;
  /** Most requests in flight at once. Default 8. */
  concurrency?: number;
  /** Per-request timeout in ms. Default 60000. */
  timeoutMs?: number;
  /** Where retries and waits are reported as they happen. Default: standard error (see notifyOnStderr). */
  notify?: Notify;
  /** The most pages one listing reads before it is an error. Default MAX_PAGES (1,000). */
  maxPages?: number;
  /** How the client waits out rate limiting (429s). Default: a timer. */
  sleep?: Sleep;
  /** Counts the requests sent (the cost of a run). Default: a ledger of the client's own (Client.ledger). */
  ledger?: RequestLedger;
  /** How long a list's answer serves later reads of its collection (merge.ts). Default RECENT_LIST_MS; 0: only its window's. */
  recentListMs?: number;
  /** Whether a read alone lists its collection, for the reads that follow (merge.ts): in a refresh. Default: never. */
  listAlone?: () => boolean;
}

export interface Client {
  apiUrl: string;
  /** Sends no credentials: reads public objects only (the read functions with none configured). */
  anonymous: boolean;
  send: Send;
  api: Api;
  /** The endpoints the read functions use. */
  reads: Reads;
  /** Every request the client sent: the run's cost in Bitbucket's budget. */
  ledger: RequestLedger;
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * The Pulumi CLI shows each line a dynamic provider writes to standard error while the operation
 * runs (on the stack's row, then under "Diagnostics"), so retries and waits are seen live.
 */
export const notifyOnStderr: Notify = (message) => {
  process.stderr.write(`bitbucket: ${message}\n`);
};

/** `tuning` is what the user set (bitbucket:* / BITBUCKET_*); it wins over `options`, which wins over defaults. */
export function createClient(settings: { apiUrl: string; credentials: Credentials; tuning?: Tuning }, options: ClientOptions = {}): Client {
  const fetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const tuning = settings.tuning ?? {};
  const auth = createAuth(settings.credentials, settings.apiUrl, fetch);
  const core = createRequestCore({
    apiUrl: settings.apiUrl,
    fetch,
    authorization: () => auth.authorization(),
    timeoutMs: tuning.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    authKind: settings.credentials.kind,
  });
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...options.retry };
  if (tuning.attempts !== undefined) retry.attempts = tuning.attempts;
  if (tuning.rateLimitWaitMs !== undefined) retry.rateLimitWaitMs = tuning.rateLimitWaitMs;
  const reporting = { notify: options.notify ?? notifyOnStderr, describe: (spec: RequestSpec) => describeRequest(settings.apiUrl, spec) };
  const ledger = options.ledger ?? new RequestLedger();
  const send = withRetries(
    withConcurrencyLimit(withAuthRenewal(withLedger(core, ledger), auth), tuning.concurrency ?? options.concurrency ?? DEFAULT_CONCURRENCY, reporting.notify),
    retry,
    reporting,
    options.sleep,
  );
  const maxPages = options.maxPages ?? MAX_PAGES;
  return {
    apiUrl: settings.apiUrl,
    anonymous: settings.credentials.kind === "anonymous",
    send,
    api: createApi(send, settings.apiUrl, createOnceWith(retry, reporting), maxPages, { recentMs: options.recentListMs, listAlone: options.listAlone }),
    reads: createReads(send, settings.apiUrl, maxPages),
    ledger,
  };
}

export { BitbucketApiError, BitbucketNetworkError, ifFound, isAlreadyExists, isNotFound } from "./errors";
export { MAX_PAGES, PaginationError } from "./paginate";
export type { Credentials } from "./auth";
export { addCosts, describeCost, parseCost, RequestLedger, type RequestCost } from "./cost";
