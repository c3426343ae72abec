// Rate limiting and injected faults, off by default, set at start or live through PUT /_emulator/config.
// Each is a layer around the handler that answers a request, like the provider client's layers: the
// server stacks them in the documented order (see faultLayers).
import type { IncomingMessage } from "http";
import { STATUS_CODES } from "http";
import type { RateLimitBudget } from "./auth";
import type { Reply } from "./http";
import { errorReply } from "./wire";

export interface ScriptedFault {
  method?: string;
  /** Matches the request path with or without the `/2.0` prefix. */
  pathPrefix?: string;
  status?: number;
  retryAfterSeconds?: number;
  /** Destroy the socket before doing anything. */
  drop?: boolean;
  /** Apply the request, then destroy the socket without answering. */
  lostResponse?: boolean;
  /** With `status`: the answer's body instead of the spec's error body; a string is sent as is, anything else as JSON. */
  body?: unknown;
  /** The Content-Type of a string `body`. Default `text/plain; charset=utf-8`. */
  contentType?: string;
  /**
   * Rewrites the `next` link of a page of values (a list that would not end): `self` links the page to
   * itself; `repeat` links it back to the first page (its URL without `page`; the first page, asked
   * without `page`, links to `page=1`, the same page under its other address); `endless` serves the
   * first page's values at every `page` and always links to the page after it.
   */
  nextLink?: NextLink;
  times?: number;
}

export const NEXT_LINKS = ["self", "repeat", "endless"] as const;
export type NextLink = (typeof NEXT_LINKS)[number];

/**
 * Bitbucket's rate limit: each credential may send `limit` requests in any rolling `windowMs` (Bitbucket:
 * 1,000 an hour on the repository endpoints), counted per user for API tokens, per access token, per
 * OAuth consumer.
 */
export interface RateLimit {
  limit: number;
  windowMs: number;
  /** Send `Retry-After` with the 429 (seconds until the credential may send again): Bitbucket sends none. */
  retryAfter?: boolean;
}

const RATE_LIMIT_KEYS = ["limit", "windowMs", "retryAfter"];

export interface EmulatorConfig {
  latencyMs: number;
  errorRate: number;
  errorStatuses: number[];
  dropRate: number;
  lostResponseRate: number;
  rateLimit: RateLimit | null;
  /** The budget of requests sent without credentials, per address (Bitbucket: 60 an hour); null: unlimited. */
  anonymousRateLimit: RateLimit | null;
  forkReadyDelayMs: number;
  script: ScriptedFault[];
}

export function defaultConfig(): EmulatorConfig {
  return {
    latencyMs: 0,
    errorRate: 0,
    errorStatuses: [500, 502, 503],
    dropRate: 0,
    lostResponseRate: 0,
    rateLimit: null,
    anonymousRateLimit: null,
    forkReadyDelayMs: 0,
    script: [],
  };
}

export class ConfigError extends Error {}

const isRate = (v: unknown) => typeof v === "number" && v >= 0 && v <= 1;
const isCount = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0;

/** Checks a partial config (from the admin API or the start options) and merges it into `base`. */
export function mergeConfig(base: EmulatorConfig, patch: Record<string, unknown>): EmulatorConfig {
  const next = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    switch (key) {
      case "latencyMs":
      case "forkReadyDelayMs":
        if (!isCount(value)) throw new ConfigError(`${key} must be a number ≥ 0`);
        next[key] = value as number;
        break;
      case "errorRate":
      case "dropRate":
      case "lostResponseRate":
        if (!isRate(value)) throw new ConfigError(`${key} must be a number between 0 and 1`);
        next[key] = value as number;
        break;
      case "errorStatuses":
        if (!Array.isArray(value) || !value.length || !value.every((s) => Number.isInteger(s) && s >= 400 && s <= 599))
          throw new ConfigError("errorStatuses must be a non-empty list of 4xx/5xx codes");
        next.errorStatuses = value as number[];
        break;
      case "rateLimit":
      case "anonymousRateLimit":
        next[key] = checkRateLimit(key, value);
        break;
      case "script":
        if (!Array.isArray(value)) throw new ConfigError("script must be a list");
        next.script = value.map(checkScriptedFault).map((f) => ({ ...f, times: f.times ?? 1 }));
        break;
      default:
        throw new ConfigError(`Unknown config key: ${key}`);
    }
  }
  return next;
}

function checkRateLimit(key: string, value: unknown): RateLimit | null {
  if (value === null) return null;
  const rl = value as RateLimit;
  const valid =
    typeof rl === "object" &&
    !Array.isArray(rl) &&
    Object.keys(rl).every((k) => RATE_LIMIT_KEYS.includes(k)) &&
    Number.isInteger(rl.limit) &&
    rl.limit > 0 &&
    isCount(rl.windowMs) &&
    rl.windowMs > 0 &&
    (rl.retryAfter === undefined || typeof rl.retryAfter === "boolean");
  if (!valid) throw new ConfigError(`${key} must be null or { limit > 0, windowMs > 0, retryAfter?: boolean }`);
  return { limit: rl.limit, windowMs: rl.windowMs, ...(rl.retryAfter ? { retryAfter: true } : {}) };
}

function checkScriptedFault(f: unknown, index: number): ScriptedFault {
  if (typeof f !== "object" || f === null || Array.isArray(f)) throw new ConfigError(`script[${index}] must be an object`);
  const fault = f as ScriptedFault;
  if (fault.nextLink !== undefined && !NEXT_LINKS.includes(fault.nextLink))
    throw new ConfigError(`script[${index}].nextLink must be one of ${NEXT_LINKS.join(", ")}`);
  if (fault.contentType !== undefined && typeof fault.contentType !== "string") throw new ConfigError(`script[${index}].contentType must be a string`);
  if ((fault.body !== undefined || fault.contentType !== undefined) && !fault.status)
    throw new ConfigError(`script[${index}]: body and contentType need a status`);
  if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times >= 1)) throw new ConfigError(`script[${index}].times must be an integer ≥ 1`);
  return fault;
}

/** Consumes the first scripted fault that matches the request. */
export function takeScriptedFault(config: EmulatorConfig, method: string, path: string): ScriptedFault | undefined {
  const apiPath = path.startsWith("/2.0/") ? path.slice(4) : path;
  const index = config.script.findIndex(
    (f) => (!f.method || f.method.toUpperCase() === method) && (!f.pathPrefix || path.startsWith(f.pathPrefix) || apiPath.startsWith(f.pathPrefix)),
  );
  if (index < 0) return undefined;
  const fault = config.script[index];
  fault.times = (fault.times ?? 1) - 1;
  if (fault.times <= 0) config.script.splice(index, 1);
  return fault;
}

/** Rolling windows, one per budget: at most `limit` requests in any `windowMs`. */
export class RateLimiter {
  private stamps = new Map<string, number[]>();

  /** Records the request and returns null, or returns the seconds until the budget allows one again. */
  take(key: string, now: number, rl: RateLimit): number | null {
    const stamps = this.stamps.get(key) ?? [];
    this.stamps.set(key, stamps);
    while (stamps.length && stamps[0] <= now - rl.windowMs) stamps.shift();
    if (stamps.length >= rl.limit) return Math.max(1, Math.ceil((stamps[0] + rl.windowMs - now) / 1000));
    stamps.push(now);
    return null;
  }

  remaining(key: string, now: number, rl: RateLimit): number {
    return Math.max(0, rl.limit - (this.stamps.get(key) ?? []).filter((t) => t > now - rl.windowMs).length);
  }

  reset(): void {
    this.stamps.clear();
  }
}

/** The share of the budget below which `X-RateLimit-NearLimit` says true. */
const NEAR_LIMIT_SHARE = 0.05;

/** What Bitbucket tells access tokens about their budget (API tokens and OAuth consumers are told nothing). */
function rateLimitHeaders(rl: RateLimit, remaining: number): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(rl.limit),
    "X-RateLimit-Resource": "api",
    "X-RateLimit-NearLimit": String(remaining < rl.limit * NEAR_LIMIT_SHARE),
  };
}

/** One API request on its way through the layers. */
export interface Exchange {
  method: string;
  url: URL;
  req: IncomingMessage;
  /** The scripted fault this request consumed, if one matched. */
  scripted?: ScriptedFault;
}

/** A reply; or no answer at all: the connection dropped before anything happened, or the reply lost after the write. */
export type Outcome = { reply: Reply; lost?: boolean } | { dropped: true };
export type Handler = (exchange: Exchange) => Promise<Outcome>;
export type Layer = (next: Handler) => Handler;

const WRITE_METHODS = new Set(["POST", "PUT", "DELETE", "PATCH"]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chance = (rate: number) => rate > 0 && Math.random() < rate;
const injected = (status: number, headers: Record<string, string> = {}) => errorReply(status, STATUS_CODES[status] ?? "Injected fault", headers);

/** Takes the first matching scripted fault; a scripted drop ends the request here. */
const scriptedDrop =
  (config: () => EmulatorConfig): Layer =>
  (next) =>
  async (x) => {
    x.scripted = takeScriptedFault(config(), x.method, x.url.pathname);
    return x.scripted?.drop ? { dropped: true } : next(x);
  };

/**
 * Beyond the credential's budget, 429 with Bitbucket's message (and Retry-After only when the limit asks
 * for it); access tokens' answers carry the X-RateLimit headers. A request that names no valid
 * credential spends no budget (it is answered 401); an anonymous read spends its address's budget.
 */
const rateLimit =
  (config: () => EmulatorConfig, limiter: RateLimiter, budgetOf: (req: IncomingMessage) => RateLimitBudget | undefined): Layer =>
  (next) =>
  async (x) => {
    const budget = budgetOf(x.req);
    const rl = budget?.anonymous ? config().anonymousRateLimit : config().rateLimit;
    if (!rl || !budget) return next(x);
    const now = Date.now();
    const retryAfter = limiter.take(budget.key, now, rl);
    const headers = budget.accessToken ? rateLimitHeaders(rl, limiter.remaining(budget.key, now, rl)) : {};
    if (retryAfter !== null) {
      if (rl.retryAfter) headers["Retry-After"] = String(retryAfter);
      return { reply: errorReply(429, "Rate limit for this resource has been exceeded", headers) };
    }
    const outcome = await next(x);
    if ("reply" in outcome) outcome.reply.headers = { ...outcome.reply.headers, ...headers };
    return outcome;
  };

const scriptedStatus: Layer = (next) => async (x) => {
  const f = x.scripted;
  if (!f?.status) return next(x);
  const headers: Record<string, string> = f.retryAfterSeconds !== undefined ? { "Retry-After": String(f.retryAfterSeconds) } : {};
  if (f.body === undefined) return { reply: injected(f.status, headers) };
  if (typeof f.body === "string") return { reply: { status: f.status, text: f.body, contentType: f.contentType, headers } };
  return { reply: { status: f.status, body: f.body, headers } };
};

/** A page of values whose `next` link would not let a client finish (see ScriptedFault.nextLink). */
const scriptedNextLink: Layer = (next) => async (x) => {
  const how = x.scripted?.nextLink;
  if (!how) return next(x);
  const asked = x.url;
  const pageUrl = (page: number | undefined) => {
    const u = new URL(asked.href);
    if (page === undefined) u.searchParams.delete("page");
    else u.searchParams.set("page", String(page));
    return u.href;
  };
  const page = Number(asked.searchParams.get("page") ?? 1);
  // `endless`: the operation serves the first page whatever page was asked.
  const outcome = await next(how === "endless" ? { ...x, url: new URL(pageUrl(undefined)) } : x);
  const body = "reply" in outcome ? (outcome.reply.body as { values?: unknown; next?: string } | undefined) : undefined;
  if (!("reply" in outcome) || outcome.reply.status !== 200 || !Array.isArray(body?.values)) return outcome;
  if (how === "self") body.next = asked.href;
  else if (how === "repeat") body.next = pageUrl(asked.searchParams.has("page") ? undefined : 1);
  else body.next = pageUrl(page + 1);
  return outcome;
};

const latency =
  (config: () => EmulatorConfig): Layer =>
  (next) =>
  async (x) => {
    if (config().latencyMs > 0) await sleep(config().latencyMs);
    return next(x);
  };

const randomDrop =
  (config: () => EmulatorConfig): Layer =>
  (next) =>
  async (x) =>
    chance(config().dropRate) ? { dropped: true } : next(x);

const randomError =
  (config: () => EmulatorConfig): Layer =>
  (next) =>
  async (x) => {
    const c = config();
    if (!chance(c.errorRate)) return next(x);
    return { reply: injected(c.errorStatuses[Math.floor(Math.random() * c.errorStatuses.length)]) };
  };

/** A successful write is applied, then its answer is lost (the client cannot tell whether it happened). */
const lostResponse =
  (config: () => EmulatorConfig): Layer =>
  (next) =>
  async (x) => {
    const outcome = await next(x);
    const succeededWrite = "reply" in outcome && WRITE_METHODS.has(x.method) && outcome.reply.status < 400;
    if (succeededWrite && (x.scripted?.lostResponse || chance(config().lostResponseRate))) return { ...outcome, lost: true };
    return outcome;
  };

/**
 * The order of effects on an API request: scripted drop, rate limit, scripted status, scripted next link,
 * latency, random drop, random error, the operation, lost response.
 */
export function faultLayers(config: () => EmulatorConfig, limiter: RateLimiter, budgetOf: (req: IncomingMessage) => RateLimitBudget | undefined): Layer[] {
  return [
    scriptedDrop(config),
    rateLimit(config, limiter, budgetOf),
    scriptedStatus,
    scriptedNextLink,
    latency(config),
    randomDrop(config),
    randomError(config),
    lostResponse(config),
  ];
}

/** Wraps `handler` in `layers`, the first outermost. */
export function stack(layers: Layer[], handler: Handler): Handler {
  return layers.reduceRight((inner, layer) => layer(inner), handler);
}
