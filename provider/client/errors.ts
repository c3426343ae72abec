// Errors raised by the client. Every message says what failed (the method and the concrete URL, so
// the repository or object is named; never headers or body), the status, the API's own message, and
// what a person can do about it.

export interface ApiErrorBody {
  message?: string;
  /** A string; an object where Bitbucket sends one (a missing scope's `{required, granted}`). */
  detail?: unknown;
  fields?: Record<string, unknown>;
  data?: Record<string, unknown>;
}

/** The scopes a 403 names (`detail: {required, granted}`, lists of scope names), if it names them. */
function scopesOf(detail: unknown): { required: string[]; granted: string[] } | undefined {
  if (!detail || typeof detail !== "object") return undefined;
  const names = (v: unknown) => (Array.isArray(v) && v.every((s) => typeof s === "string") ? (v as string[]) : undefined);
  const required = names((detail as Record<string, unknown>).required);
  const granted = names((detail as Record<string, unknown>).granted);
  return required && granted ? { required, granted } : undefined;
}

/** The detail as text: Bitbucket's own words, or the scopes it names; other objects as (bounded) JSON. */
function detailText(detail: unknown): string | undefined {
  if (detail === undefined || detail === null || detail === "") return undefined;
  if (typeof detail === "string") return detail;
  const scopes = scopesOf(detail);
  if (scopes) return `Required scopes: ${scopes.required.join(", ") || "none"}; the credentials have: ${scopes.granted.join(", ") || "none"}`;
  return JSON.stringify(detail).slice(0, 300);
}

/** What to do about a missing scope: the scopes to add (all the required ones when implied scopes blur it). */
function scopeHint(scopes: { required: string[]; granted: string[] }): string {
  const missing = scopes.required.filter((s) => !scopes.granted.includes(s));
  return (
    `The credentials lack a scope this call needs: use an API token, access token or OAuth consumer that also has ${(missing.length ? missing : scopes.required).join(", ")} ` +
    "(a token's scopes are chosen when it is created: create one with them)."
  );
}

const HINTS: Record<number, string> = {
  400: "The request was rejected as invalid: check the values named above.",
  401: "Authentication failed: check the credentials (bitbucket:email + bitbucket:apiToken, bitbucket:accessToken, or bitbucket:oauthClientId + bitbucket:oauthClientSecret, or the BITBUCKET_* environment variables) and which of them is in use.",
  402: "The workspace's plan limit was reached: upgrade the plan or remove users.",
  403: "The credentials lack the right to do this: managing repositories, webhooks and permissions needs an admin of the repository or workspace.",
  404: "It does not exist or is not visible to these credentials: check the workspace and repository names (or UUIDs).",
  409: "It conflicts with the current state: another change happened at the same time or the name is taken; retry after checking.",
  429: "Bitbucket's rate limit was reached and waiting it out would take longer than bitbucket:rateLimitWaitSeconds allows: wait for the rolling hour to free up, allow a longer wait, or run with lower parallelism (pulumi up --parallel 1).",
};

function hintFor(status: number, authKind?: string): string {
  if (status === 403 && authKind === "bearer")
    return "The access token lacks the right to do this: repository/project/workspace access tokens cannot manage permissions (permissions-config) and need the matching scopes; use an API token or OAuth consumer of an admin for that.";
  if (HINTS[status]) return HINTS[status];
  if (status >= 500) return "Bitbucket had a server-side problem: retry later.";
  return "";
}

export class BitbucketApiError extends Error {
  readonly status: number;
  readonly method: string;
  /** The spec's path template, e.g. `/repositories/{workspace}/{repo_slug}`. */
  readonly route: string;
  /** The concrete URL the request went to. */
  readonly url: string;
  readonly apiMessage?: string;
  /** The answer's detail as text (a missing scope's `{required, granted}` spelled out). */
  readonly detail?: string;
  /** The scopes a missing-scope 403 names. */
  readonly scopes?: { required: string[]; granted: string[] };
  readonly fields?: Record<string, unknown>;
  readonly hint: string;
  /** The answer's Retry-After header (seconds or an HTTP date), if any. */
  readonly retryAfter?: string;
  /** How many times the request was sent (more than 1 when it was retried). */
  attempts = 1;

  constructor(args: {
    status: number;
    method: string;
    route: string;
    url: string;
    body?: ApiErrorBody;
    hint?: string;
    authKind?: string;
    retryAfter?: string;
  }) {
    const { status, method, route, url, body } = args;
    const scopes = status === 403 ? scopesOf(body?.detail) : undefined;
    const hint = args.hint ?? (scopes ? scopeHint(scopes) : hintFor(status, args.authKind));
    const message = typeof body?.message === "string" ? body.message : undefined;
    const detail = detailText(body?.detail);
    const parts = [`Bitbucket API ${method} ${url} failed with ${status}`];
    if (message) parts[0] += `: ${message}`;
    if (detail) parts.push(detail);
    if (body?.fields && Object.keys(body.fields).length > 0) parts.push(`Fields: ${JSON.stringify(body.fields)}`);
    if (hint) parts.push(hint);
    super(parts.map((p) => p.replace(/[.\s]+$/, "")).join(". ") + ".");
    this.name = "BitbucketApiError";
    this.status = status;
    this.method = method;
    this.route = route;
    this.url = url;
    this.apiMessage = message;
    this.detail = detail;
    this.scopes = scopes;
    this.fields = body?.fields;
    this.hint = hint;
    this.retryAfter = args.retryAfter;
  }
}

/** The request got no HTTP answer (connection refused, reset, timed out). */
export class BitbucketNetworkError extends Error {
  readonly method: string;
  readonly route: string;
  readonly url: string;
  readonly idempotent: boolean;
  /** Why there was no answer: timed out, refused, reset... */
  readonly reason: string;
  /** How many times the request was sent (more than 1 when it was retried). */
  attempts = 1;

  constructor(args: { method: string; route: string; url: string; cause: unknown; idempotent: boolean }) {
    const reason = describeCause(args.cause);
    const advice = args.idempotent
      ? "Check the API URL and the network, then retry."
      : "The request may or may not have been applied (it was not retried to avoid a duplicate): check Bitbucket for it before running again.";
    super(`Bitbucket API ${args.method} ${args.url}: no response (${reason}). ${advice}`);
    this.name = "BitbucketNetworkError";
    this.method = args.method;
    this.route = args.route;
    this.url = args.url;
    this.idempotent = args.idempotent;
    this.reason = reason;
  }
}

function describeCause(cause: unknown): string {
  // Duck-typed: errors thrown inside Node's fetch may come from another realm.
  const e = cause as { name?: string; message?: string; code?: string; cause?: { message?: string; code?: string } } | undefined;
  const inner = e?.cause && typeof e.cause === "object" ? e.cause : undefined;
  if (inner?.code) return `${inner.code}${inner.message ? `: ${inner.message}` : ""}`;
  if (inner?.message) return inner.message;
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return "timed out";
  return e?.message ?? String(cause);
}

export function isNotFound(err: unknown): boolean {
  return err instanceof BitbucketApiError && err.status === 404;
}

/** The answer to a request, or undefined when what it addresses is gone (404). */
export async function ifFound<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The API refused to create something because one with that key already exists. */
export function isAlreadyExists(err: unknown): err is BitbucketApiError {
  return err instanceof BitbucketApiError && (err.status === 400 || err.status === 409) && /already exists/i.test(`${err.apiMessage} ${err.detail ?? ""}`);
}
