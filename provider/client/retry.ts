// Retries and the concurrency cap, as layers around a Send.
// - 429: the request was not processed, so it is sent again after waiting (Retry-After, else a
//   backoff delay) without using up an attempt, while the waits of one request add up to no more
//   than `rateLimitWaitMs` (a rate-limit burst must not fail an `up` that waiting would finish) and
//   no more than MAX_RATE_LIMIT_WAITS of them.
// - 5xx and network errors (timeouts included): retried, up to `attempts` in all, only when the
//   request is idempotent (GET/PUT/DELETE, or a POST marked idempotent because its URL is the
//   object's key), so a lost answer cannot create a duplicate (see createOnceWith for the others).
// Each retry and wait is reported as it happens (the person running `pulumi` sees it live), naming
// the request's URL and the attempt. Backoff is exponential with full jitter (exponential-backoff);
// the cap is p-limit, applied per attempt so that a request waiting to retry does not hold a slot.
import { backOff } from "exponential-backoff";
import pLimit from "p-limit";
import { BitbucketApiError, BitbucketNetworkError } from "./errors";
import { isIdempotent, RequestSpec, Send } from "./http";

export interface RetryOptions {
  /** Total attempts, including the first. Default 5. */
  attempts: number;
  /** First backoff delay in ms (doubled each time, full jitter). Default 500. */
  startingDelayMs: number;
  /** Longest backoff delay in ms. Default 30000. */
  maxDelayMs: number;
  /** Longest time one request waits out 429s in all, in ms. Default 600000. */
  rateLimitWaitMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, startingDelayMs: 500, maxDelayMs: 30_000, rateLimitWaitMs: 600_000 };

/** The most 429s one request waits out, whatever they ask: a `Retry-After: 0` repeated forever would wait no time at all. */
export const MAX_RATE_LIMIT_WAITS = 100;

/** Receives one line per retry or wait, while it happens. */
export type Notify = (message: string) => void;

export interface RetryReporting {
  notify: Notify;
  /** The request as a person reads it: method and concrete URL (never credentials). */
  describe: (spec: RequestSpec) => string;
}

/** Whether a failed attempt is worth another (429s are waited out within the attempt). */
export function shouldRetry(err: unknown, spec: RequestSpec): boolean {
  if (err instanceof BitbucketApiError) return err.status >= 500 && isIdempotent(spec);
  if (err instanceof BitbucketNetworkError) return err.idempotent;
  return false;
}

const isRateLimited = (err: unknown): err is BitbucketApiError => err instanceof BitbucketApiError && err.status === 429;

/** Retry-After in ms (seconds or an HTTP date), or undefined. */
export function retryAfterMs(err: unknown, now = Date.now()): number | undefined {
  const raw = err instanceof BitbucketApiError ? err.retryAfter : undefined;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What went wrong with one attempt, in a few words. */
function failureOf(err: unknown): string {
  if (err instanceof BitbucketApiError)
    return err.status === 429 ? "rate limited (429)" : `answered ${err.status}${err.apiMessage ? ` (${err.apiMessage})` : ""}`;
  if (err instanceof BitbucketNetworkError) return `no response: ${err.reason}`;
  return String(err);
}

function tooManyRateLimits(err: BitbucketApiError): BitbucketApiError {
  return new BitbucketApiError({
    status: err.status,
    method: err.method,
    route: err.route,
    url: err.url,
    body: { message: err.apiMessage, detail: err.detail },
    retryAfter: err.retryAfter,
    hint: `Bitbucket answered 429 (rate limited) ${MAX_RATE_LIMIT_WAITS + 1} times in a row to this request: wait for the rate limit to free up, or run with lower parallelism (pulumi up --parallel 1)`,
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export function withRetries(send: Send, options: RetryOptions, reporting?: RetryReporting): Send {
  const total = Math.max(1, options.attempts);
  return async function retrying<T>(spec: RequestSpec) {
    let attempts = 0;
    let waitedMs = 0;
    const report = (err: unknown, next: string) =>
      reporting?.notify(`${reporting.describe(spec)}: ${failureOf(err)} on attempt ${attempts} of ${total}; ${next}.`);
    /** One attempt; the 429s it meets are waited out within it. */
    const attempt = async () => {
      attempts++;
      for (let limited = 0; ; limited++) {
        try {
          return await send<T>(spec);
        } catch (err) {
          if (!isRateLimited(err)) throw err;
          if (limited >= MAX_RATE_LIMIT_WAITS) throw tooManyRateLimits(err);
          const retryAfter = retryAfterMs(err);
          const wait = retryAfter ?? Math.min(options.maxDelayMs, options.startingDelayMs * 2 ** limited);
          if (waitedMs + wait > options.rateLimitWaitMs) throw err;
          waitedMs += wait;
          report(err, `waiting ${seconds(wait)}${retryAfter === undefined ? "" : " (Retry-After)"}, then sending it again`);
          await sleep(wait);
        }
      }
    };
    try {
      return await backOff(attempt, {
        numOfAttempts: total,
        startingDelay: options.startingDelayMs,
        maxDelay: options.maxDelayMs,
        timeMultiple: 2,
        jitter: "full",
        retry: (err: unknown, n: number) => {
          if (n >= total || !shouldRetry(err, spec)) return false;
          report(err, "retrying");
          return true;
        },
      });
    } catch (err) {
      if (err instanceof BitbucketApiError || err instanceof BitbucketNetworkError) err.attempts = attempts;
      throw err;
    }
  };
}

/** A request that got no answer or a 5xx: it may or may not have been applied. */
function unanswered(err: unknown): boolean {
  return err instanceof BitbucketNetworkError || (err instanceof BitbucketApiError && err.status >= 500);
}

/** `createOnce(what, find, create)`: see createOnceWith. */
export type CreateOnce = <T>(what: string, find: () => Promise<T | undefined>, create: () => Promise<T>) => Promise<{ value: T; found: boolean }>;

/**
 * Creation of something the API cannot dedupe (a POST with no key in its URL), made at most once:
 * `find` looks for what an earlier request may have created (a lost answer, a killed run) before
 * the POST, and again after a POST that got no answer or a 5xx; the POST is sent (again) only when
 * `find` proves nothing was created. `found` says the value came from `find`.
 */
export function createOnceWith(options: RetryOptions, reporting?: RetryReporting): CreateOnce {
  const total = Math.max(1, options.attempts);
  return async (what, find, create) => {
    return backOff(
      async () => {
        const existing = await find();
        return existing === undefined ? { value: await create(), found: false } : { value: existing, found: true };
      },
      {
        numOfAttempts: total,
        startingDelay: options.startingDelayMs,
        maxDelay: options.maxDelayMs,
        timeMultiple: 2,
        jitter: "full",
        retry: (err: unknown, attempt: number) => {
          if (attempt >= total || !unanswered(err)) return false;
          reporting?.notify(`creating ${what}: ${failureOf(err)} on attempt ${attempt} of ${total}; looking for it before sending it again.`);
          return true;
        },
      },
    );
  };
}

export function withConcurrencyLimit(send: Send, concurrency: number): Send {
  const limit = pLimit(Math.max(1, concurrency));
  return <T>(spec: RequestSpec) => limit(() => send<T>(spec));
}
