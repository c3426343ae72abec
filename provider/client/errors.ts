// Errors raised by the client. Every message says what failed (the method and the concrete URL, so
// the repository or object is named; never headers or body), the status, the API's own message, and
// what a person can do about it.

export interface ApiErrorBody {
  message?: string;
  detail?: string;
  fields?: Record<string, unknown>;
  data?: Record<string, unknown>;
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
  readonly detail?: string;
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
    const hint = args.hint ?? hintFor(status, args.authKind);
    const parts = [`Bitbucket API ${method} ${url} failed with ${status}`];
    if (body?.message) parts[0] += `: ${body.message}`;
    if (body?.detail) parts.push(body.detail);
    if (body?.fields && Object.keys(body.fields).length > 0) parts.push(`Fields: ${JSON.stringify(body.fields)}`);
    if (hint) parts.push(hint);
    super(parts.map((p) => p.replace(/[.\s]+$/, "")).join(". ") + ".");
    this.name = "BitbucketApiError";
    this.status = status;
    this.method = method;
    this.route = route;
    this.url = url;
    this.apiMessage = body?.message;
    this.detail = body?.detail;
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
