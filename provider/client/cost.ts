// The cost of a run in Bitbucket's request budget: every request sent (each retry and each 429 too:
// Bitbucket counts what it receives), by method and by family, and what the X-RateLimit headers
// (sent to access tokens only) last said about the budget. The provider writes it to
// `bitbucket:costReport`; `drift` and `import` print it and put it in their reports.
import { BitbucketApiError } from "./errors";
import type { ApiResponse, RequestSpec, Send } from "./http";

/** What the X-RateLimit headers last said (Bitbucket sends them to access tokens only). */
export interface RateLimitSeen {
  /** Requests the credential may send per rolling hour (X-RateLimit-Limit). */
  limit?: number;
  /** The budget the requests spend (X-RateLimit-Resource). */
  resource?: string;
  /** Whether Bitbucket said the budget is nearly spent (X-RateLimit-NearLimit). */
  nearLimit?: boolean;
}

/** The JSON form: `requestCost` of the drift report (schemas/drift-report.v1.json) and the cost report file. */
export interface RequestCost {
  /** Requests sent, retries and rate-limited ones included. */
  requests: number;
  /** By HTTP method: `{ "GET": 120, "PUT": 40 }`. */
  byMethod: Record<string, number>;
  /** By method and family (the fixed segments of the route): `{ "GET repositories/hooks": 100 }`. */
  byFamily: Record<string, number>;
  /** Requests Bitbucket answered 429 (rate limited). */
  rateLimited: number;
  /** By what they were sent for, when the ledger is told (the provider: the resource kind, `{ "Webhook": 100 }`). */
  byKind?: Record<string, number>;
  /** Present when Bitbucket sent X-RateLimit headers (access tokens). */
  rateLimit?: RateLimitSeen;
}

/** A request's family: the fixed segments of its route (`/repositories/{workspace}/{repo_slug}/hooks/{uid}` -> `repositories/hooks`). */
export function familyOf(route: string): string {
  const fixed = route
    .split("?")[0]
    .split("/")
    .filter((segment) => segment !== "" && !segment.startsWith("{"));
  return fixed.join("/") || "/";
}

const sortedRecord = (counts: Map<string, number>) => Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));

export class RequestLedger {
  private byKind = new Map<string, number>();
  private byMethod = new Map<string, number>();
  private byFamily = new Map<string, number>();
  private total = 0;
  private limited = 0;
  private seen: RateLimitSeen | undefined;
  /** `sentFor` names what the request in progress is sent for (the provider: the kind whose operation sends it). */
  constructor(private sentFor?: () => string | undefined) {}

  record(spec: RequestSpec, outcome: { headers?: Headers; status?: number }): void {
    this.total++;
    const key = `${spec.method} ${familyOf(spec.route)}`;
    this.byMethod.set(spec.method, (this.byMethod.get(spec.method) ?? 0) + 1);
    this.byFamily.set(key, (this.byFamily.get(key) ?? 0) + 1);
    const kind = this.sentFor?.();
    if (kind) this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
    if (outcome.status === 429) this.limited++;
    const limit = outcome.headers?.get("x-ratelimit-limit");
    const resource = outcome.headers?.get("x-ratelimit-resource");
    const near = outcome.headers?.get("x-ratelimit-nearlimit")?.trim().toLowerCase();
    if (limit || resource || near)
      this.seen = {
        ...(limit && Number.isFinite(Number(limit)) && { limit: Number(limit) }),
        ...(resource && { resource }),
        ...((near === "true" || near === "false") && { nearLimit: near === "true" }),
      };
  }

  get requests(): number {
    return this.total;
  }

  cost(): RequestCost {
    return {
      requests: this.total,
      byMethod: sortedRecord(this.byMethod),
      byFamily: sortedRecord(this.byFamily),
      rateLimited: this.limited,
      ...(this.byKind.size > 0 && { byKind: sortedRecord(this.byKind) }),
      ...(this.seen && { rateLimit: { ...this.seen } }),
    };
  }
}

/** The cost of two parts of one run (the drift command's own requests and those of the preview's provider). */
export function addCosts(a: RequestCost, b: RequestCost | undefined): RequestCost {
  if (!b) return a;
  const add = (x: Record<string, number>, y: Record<string, number>) => {
    const sum = new Map(Object.entries(x));
    for (const [k, n] of Object.entries(y)) sum.set(k, (sum.get(k) ?? 0) + n);
    return sortedRecord(sum);
  };
  const rateLimit = b.rateLimit ?? a.rateLimit;
  const byKind = a.byKind || b.byKind ? add(a.byKind ?? {}, b.byKind ?? {}) : undefined;
  return {
    requests: a.requests + b.requests,
    byMethod: add(a.byMethod, b.byMethod),
    byFamily: add(a.byFamily, b.byFamily),
    rateLimited: a.rateLimited + b.rateLimited,
    ...(byKind && { byKind }),
    ...(rateLimit && { rateLimit }),
  };
}

/** A cost report the provider wrote (bitbucket:costReport), or undefined when there is none or it is not one. */
export function parseCost(text: string): RequestCost | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<RequestCost>;
    const counts = (r: unknown): r is Record<string, number> => typeof r === "object" && r !== null && Object.values(r).every((n) => typeof n === "number");
    if (typeof parsed.requests !== "number" || !counts(parsed.byMethod) || !counts(parsed.byFamily)) return undefined;
    return {
      requests: parsed.requests,
      byMethod: parsed.byMethod,
      byFamily: parsed.byFamily,
      rateLimited: typeof parsed.rateLimited === "number" ? parsed.rateLimited : 0,
      ...(counts(parsed.byKind) && { byKind: parsed.byKind }),
      ...(parsed.rateLimit && { rateLimit: parsed.rateLimit }),
    };
  } catch {
    return undefined;
  }
}

/** One line a person reads: "312 API requests (GET 200, PUT 112); 3 answered 429 (rate limited); rate-limit budget 1000 requests (api), nearly spent, ...". */
export function describeCost(cost: RequestCost): string {
  const methods = Object.entries(cost.byMethod)
    .map(([method, n]) => `${method} ${n}`)
    .join(", ");
  const parts = [`${cost.requests} API request${cost.requests === 1 ? "" : "s"}${methods ? ` (${methods})` : ""}`];
  if (cost.rateLimited > 0) parts.push(`${cost.rateLimited} answered 429 (rate limited)`);
  const rl = cost.rateLimit;
  if (rl)
    parts.push(
      `rate-limit budget${rl.limit !== undefined ? ` ${rl.limit} requests` : ""}${rl.resource ? ` (${rl.resource})` : ""}` +
        (rl.nearLimit === undefined ? "" : rl.nearLimit ? ", nearly spent" : ", not nearly spent") +
        (rl.limit !== undefined ? `, at most ${Math.max(0, rl.limit - cost.requests)} left after this run's` : ""),
    );
  else parts.push("Bitbucket sent no rate-limit headers (it sends them to access tokens only)");
  return parts.join("; ");
}

/** Counts every request `send` sends, answered or not. */
export function withLedger(send: Send, ledger: RequestLedger): Send {
  return async function counted<T>(spec: RequestSpec): Promise<ApiResponse<T>> {
    try {
      const response = await send<T>(spec);
      ledger.record(spec, response);
      return response;
    } catch (err) {
      ledger.record(spec, err instanceof BitbucketApiError ? { status: err.status, headers: err.headers } : {});
      throw err;
    }
  };
}
