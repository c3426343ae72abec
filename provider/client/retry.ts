// Retries and the concurrency cap, as layers around a Send.
// - 429: the request was not processed, so it is sent again after waiting, without using up an
//   attempt (a rate-limit burst must not fail an `up` that waiting would finish), at most
//   MAX_RATE_LIMIT_WAITS times. Bitbucket's limit is a budget per rolling hour and its 429s carry no
//   Retry-After: the whole client then pauses (RateLimitPause) in growing steps suited to an hour,
//   until a request gets through or the steps add up to `rateLimitWaitMs`. A 429 that does carry
//   Retry-After is waited as it asks, while that request's waits add up to no more than `rateLimitWaitMs`.
// - X-RateLimit-NearLimit (sent to access tokens only): while Bitbucket says the budget is nearly
//   spent, requests go one at a time (withConcurrencyLimit), to spend less of it before a 429 comes.
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

/** Waits `ms`; injected in tests, so that they need not wait. */
export type Sleep = (ms: number) => Promise<void>;

const sleepFor: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
/** The time of day `ms` from now, as a person running `pulumi up` reads it (UTC: CI logs are). */
const clock = (ms: number) => `${new Date(Date.now() + ms).toISOString().slice(11, 19)} UTC`;

/** First wait after a 429 without Retry-After; each next one doubles. */
export const RATE_LIMIT_FIRST_WAIT_MS = 30_000;
/** Longest single wait after a 429 without Retry-After: a rolling hour frees some of its budget well within it. */
export const RATE_LIMIT_LONGEST_WAIT_MS = 600_000;

/**
 * The waits after 429s without Retry-After, in order (30 s, 60 s, 120 s... up to 10 min each), the
 * last one shortened so that they add up to exactly `totalMs`.
 */
export function rateLimitWaits(totalMs: number): number[] {
  const waits: number[] = [];
  for (let sum = 0, step = RATE_LIMIT_FIRST_WAIT_MS; sum < totalMs; step = Math.min(step * 2, RATE_LIMIT_LONGEST_WAIT_MS)) {
    waits.push(Math.min(step, totalMs - sum));
    sum += waits[waits.length - 1];
  }
  return waits;
}

/**
 * The client's pause after a 429 without Retry-After. Its requests share Bitbucket's budget, so they
 * all hold back while it lasts and the pause is reported once, however many requests it stops. The
 * pauses grow (rateLimitWaits) while nothing gets through; an answer that is not a 429 starts them over.
 */
class RateLimitPause {
  private waits: number[];
  private taken = 0;
  private current: Promise<void> | undefined;
  /** Counts the pauses begun: a 429 to a request sent before the latest began is already waited out by it. */
  epoch = 0;

  constructor(
    totalMs: number,
    private sleep: Sleep,
    private notify?: Notify,
  ) {
    this.waits = rateLimitWaits(totalMs);
  }

  /** Resolves when no pause is under way. */
  async holdBack(): Promise<void> {
    while (this.current) await this.current;
  }

  /** A request sent during `sentIn` got an answer through the rate limit (one sent before the latest pause tells nothing new). */
  passed(sentIn: number): void {
    if (sentIn === this.epoch) this.taken = 0;
  }

  /**
   * Waits out the 429 answered to a request sent during `sentIn`: the pause begun since, or a new one.
   * False when the pauses already add up to the whole `rateLimitWaitMs`.
   */
  async waitOut(sentIn: number, request: string): Promise<boolean> {
    if (sentIn === this.epoch && !this.current) {
      if (this.taken >= this.waits.length) return false;
      const ms = this.waits[this.taken++];
      this.epoch++;
      this.notify?.(
        `Bitbucket's rate limit is reached (${request} answered 429): waiting ${seconds(ms)} (until ${clock(ms)}) before sending again, wait ${this.taken} of ${this.waits.length}; ` +
          `up to ${seconds(this.waits.reduce((a, b) => a + b, 0))} in all (bitbucket:rateLimitWaitSeconds).`,
      );
      this.current = this.sleep(ms).then(() => {
        this.current = undefined;
      });
    }
    await this.holdBack();
    return true;
  }
}

export function withRetries(send: Send, options: RetryOptions, reporting?: RetryReporting, sleep: Sleep = sleepFor): Send {
  const total = Math.max(1, options.attempts);
  const pause = new RateLimitPause(options.rateLimitWaitMs, sleep, reporting?.notify);
  return async function retrying<T>(spec: RequestSpec) {
    let attempts = 0;
    let waitedMs = 0;
    const report = (err: unknown, next: string) =>
      reporting?.notify(`${reporting.describe(spec)}: ${failureOf(err)} on attempt ${attempts} of ${total}; ${next}.`);
    /** One attempt; the 429s it meets are waited out within it. */
    const attempt = async () => {
      attempts++;
      for (let limited = 0; ; limited++) {
        await pause.holdBack();
        const sentIn = pause.epoch;
        try {
          const response = await send<T>(spec);
          pause.passed(sentIn);
          return response;
        } catch (err) {
          if (!isRateLimited(err)) {
            if (err instanceof BitbucketApiError) pause.passed(sentIn);
            throw err;
          }
          if (limited >= MAX_RATE_LIMIT_WAITS) throw tooManyRateLimits(err);
          const retryAfter = retryAfterMs(err);
          if (retryAfter === undefined) {
            if (!(await pause.waitOut(sentIn, reporting?.describe(spec) ?? spec.route))) throw err;
            continue;
          }
          if (waitedMs + retryAfter > options.rateLimitWaitMs) throw err;
          waitedMs += retryAfter;
          report(err, `waiting ${seconds(retryAfter)} (Retry-After), then sending it again`);
          await sleep(retryAfter);
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

/** `createOnce(what, find, create, options)`: see createOnceWith. */
export type CreateOnce = <T>(
  what: string,
  find: () => Promise<T | undefined>,
  create: () => Promise<T>,
  options?: { lookFirst?: boolean },
) => Promise<{ value: T; found: boolean }>;

/**
 * Creation of something the API cannot dedupe (a POST with no key in its URL), made at most once:
 * `find` looks for what an earlier request may have created (a killed run, or something made by hand
 * that would be duplicated) before the POST, unless `lookFirst` is false (nothing can be there: see
 * resources/fresh.ts), and always after a POST that got no answer or a 5xx; the POST is sent again
 * only when `find` proves nothing was created. `found` says the value came from `find`.
 */
export function createOnceWith(options: RetryOptions, reporting?: RetryReporting): CreateOnce {
  const total = Math.max(1, options.attempts);
  return async (what, find, create, { lookFirst = true } = {}) => {
    let look = lookFirst;
    return backOff(
      async () => {
        const existing = look ? await find() : undefined;
        look = true;
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

/** What `X-RateLimit-NearLimit` says (Bitbucket sends it to access tokens only); undefined when absent. */
function nearLimit(headers: Headers | undefined): boolean | undefined {
  const said = headers?.get("x-ratelimit-nearlimit")?.trim().toLowerCase();
  return said === "true" ? true : said === "false" ? false : undefined;
}

/**
 * At most `concurrency` requests in flight; one at a time while Bitbucket says the rate-limit budget is
 * nearly spent, until an answer to a request sent since says it is not (an older answer may predate it).
 */
export function withConcurrencyLimit(send: Send, concurrency: number, notify?: Notify): Send {
  const limit = pLimit(Math.max(1, concurrency));
  const oneAtATime = pLimit(1);
  let paced = false;
  /** Counts the times pacing began: only an answer to a request sent since the latest may end it. */
  let epoch = 0;
  const heed = (said: boolean | undefined, sentIn: number) => {
    if (said === true && !paced) {
      paced = true;
      epoch++;
      notify?.("Bitbucket says its rate limit is nearly spent (X-RateLimit-NearLimit): sending one request at a time until it frees up.");
    } else if (said === false && paced && sentIn === epoch) {
      paced = false;
      notify?.(`Bitbucket's rate limit is no longer nearly spent: back to ${Math.max(1, concurrency)} requests at a time.`);
    }
  };
  const sendHeeding = async <T>(spec: RequestSpec) => {
    const sentIn = epoch;
    try {
      const response = await send<T>(spec);
      heed(nearLimit(response.headers), sentIn);
      return response;
    } catch (err) {
      // A refusal (a 429 above all) carries the headers too: pace before the next request, not after the next answer.
      if (err instanceof BitbucketApiError) heed(nearLimit(err.headers), sentIn);
      throw err;
    }
  };
  return <T>(spec: RequestSpec) => limit(() => (paced ? oneAtATime(() => sendHeeding<T>(spec)) : sendHeeding<T>(spec)));
}
