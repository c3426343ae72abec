// Rate limiting and injected faults, off by default, set at start or live through PUT /_emulator/config.

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
  times?: number;
}

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface EmulatorConfig {
  latencyMs: number;
  errorRate: number;
  errorStatuses: number[];
  dropRate: number;
  lostResponseRate: number;
  rateLimit: RateLimit | null;
  forkReadyDelayMs: number;
  script: ScriptedFault[];
}

export function defaultConfig(): EmulatorConfig {
  return { latencyMs: 0, errorRate: 0, errorStatuses: [500, 502, 503], dropRate: 0, lostResponseRate: 0, rateLimit: null, forkReadyDelayMs: 0, script: [] };
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
      case "rateLimit": {
        const rl = value as RateLimit | null;
        if (rl !== null && !(rl && Number.isInteger(rl.limit) && rl.limit > 0 && isCount(rl.windowMs) && rl.windowMs > 0))
          throw new ConfigError("rateLimit must be null or { limit > 0, windowMs > 0 }");
        next.rateLimit = rl && { limit: rl.limit, windowMs: rl.windowMs };
        break;
      }
      case "script":
        if (!Array.isArray(value)) throw new ConfigError("script must be a list");
        next.script = (value as ScriptedFault[]).map((f) => ({ ...f, times: f.times ?? 1 }));
        break;
      default:
        throw new ConfigError(`Unknown config key: ${key}`);
    }
  }
  return next;
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

/** A rolling window: at most `limit` requests in any `windowMs`. */
export class RateLimiter {
  private stamps: number[] = [];

  /** Records the request and returns null, or returns the seconds until one is allowed again. */
  take(now: number, rl: RateLimit): number | null {
    while (this.stamps.length && this.stamps[0] <= now - rl.windowMs) this.stamps.shift();
    if (this.stamps.length >= rl.limit) return Math.max(1, Math.ceil((this.stamps[0] + rl.windowMs - now) / 1000));
    this.stamps.push(now);
    return null;
  }

  remaining(now: number, rl: RateLimit): number {
    return Math.max(0, rl.limit - this.stamps.filter((t) => t > now - rl.windowMs).length);
  }

  reset(): void {
    this.stamps = [];
  }
}
