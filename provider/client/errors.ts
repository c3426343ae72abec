// Errors raised by the client. Every message says what failed (the method and the concrete URL, so
// the repository or object is named; never headers or body), the status, the API's own message, and
// what a person can do about it.

export interface ApiErrorBody {
  message?: string;
  detail?: string;
  fields?: Record<string, unknown>;
  /** What a 403 for a credential without a scope names: `detail: { required: [...], granted: [...] }`. */
  scopes?: { required: string[]; granted: string[] };
}

const MAX_TEXT = 300;

/** A value of an error body as one line of text (at most 300 characters), or undefined when it is none. */
export function asText(value: unknown): string | undefined {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value !== "string") return undefined;
  // Server text goes into messages and terminals: no control characters, one line, bounded.
  // eslint-disable-next-line no-control-regex
  const line = value.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, " ").trim();
  if (!line) return undefined;
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT - 1)}…` : line;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(asText).filter((s): s is string => s !== undefined) : []);

/** `detail` of any JSON shape as text; arrays joined, objects as compact JSON. */
function detailText(detail: unknown): string | undefined {
  if (Array.isArray(detail))
    return asText(
      detail
        .map((d) => detailText(d) ?? "")
        .filter(Boolean)
        .join("; "),
    );
  if (isRecord(detail)) return asText(JSON.stringify(detail));
  return asText(detail);
}

/**
 * What an error answer says, whatever its shape: Bitbucket's `{type: "error", error: {message, detail,
 * fields}}` with a `detail` of any JSON type, an OAuth-style `{error, error_description}`, a bare
 * `{message}`, plain text, or an HTML page (its title). Nothing of it is trusted beyond being text.
 */
export function readErrorBody(body: unknown, contentType: string | null, statusText: string): ApiErrorBody {
  const fallback = asText(statusText);
  if (typeof body === "string") {
    const html = /html/i.test(contentType ?? "") || /^\s*</.test(body);
    if (!html) return { message: asText(body) ?? fallback };
    const title = asText(/<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]);
    return { message: title ? `${title} (an HTML page)` : (fallback ?? "an HTML page") };
  }
  if (!isRecord(body)) return { message: fallback, detail: body === undefined || body === null ? undefined : detailText(body) };
  const error = body.error;
  if (!isRecord(error)) {
    const message = detailText(body.error_description) ?? asText(error) ?? detailText(body.message) ?? fallback;
    return { message, detail: detailText(body.detail) };
  }
  const out: ApiErrorBody = { message: detailText(error.message) ?? fallback };
  const detail = error.detail;
  if (isRecord(detail) && Array.isArray(detail.required)) out.scopes = { required: strings(detail.required), granted: strings(detail.granted) };
  else out.detail = detailText(detail);
  if (isRecord(error.fields)) out.fields = error.fields;
  return out;
}

/** The scopes a 403 says are required and not granted (all the required ones when it names none missing). */
export function missingScopes(scopes: { required: string[]; granted: string[] }): string[] {
  const missing = scopes.required.filter((s) => !scopes.granted.includes(s));
  return missing.length > 0 ? missing : scopes.required;
}

function scopeHint(missing: string[], authKind?: string): string {
  const list = missing.join(", ");
  if (authKind === "basic") return `Create an API token with the scopes ${list} and set it as bitbucket:apiToken (or BITBUCKET_API_TOKEN)`;
  if (authKind === "bearer") return `Create an access token with the scopes ${list} and set it as bitbucket:accessToken (or BITBUCKET_ACCESS_TOKEN)`;
  if (authKind === "oauth") return `Give the OAuth consumer the permissions ${list} in its settings in Bitbucket; the next run fetches a token with them`;
  return `Create an API token or access token with the scopes ${list} and use it instead`;
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

/** How to configure credentials, for messages of reads made without them. */
export const HOW_TO_CONFIGURE =
  "set bitbucket:email + bitbucket:apiToken (secret), bitbucket:accessToken (secret) or bitbucket:oauthClientId + bitbucket:oauthClientSecret (secret) with `pulumi config set [--secret]`, or the BITBUCKET_EMAIL + BITBUCKET_API_TOKEN, BITBUCKET_ACCESS_TOKEN or BITBUCKET_OAUTH_CLIENT_ID + BITBUCKET_OAUTH_CLIENT_SECRET environment variables";

const ANONYMOUS_HINTS: Record<number, string> = {
  401: `Bitbucket answers this to an account only; reading it needs credentials: ${HOW_TO_CONFIGURE}.`,
  403: `Bitbucket shows this only to an account with access to it (it may be private); reading it needs credentials: ${HOW_TO_CONFIGURE}.`,
  404: `It is private or does not exist; reading it needs credentials: ${HOW_TO_CONFIGURE}. Check the workspace and repository names (or UUIDs) too.`,
  429: `Bitbucket's anonymous budget (60 requests an hour per address) is spent: wait for the rolling hour to free up, or read with credentials, which have their own budget: ${HOW_TO_CONFIGURE}.`,
};

function hintFor(status: number, authKind?: string): string {
  if (authKind === "anonymous" && ANONYMOUS_HINTS[status]) return ANONYMOUS_HINTS[status];
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
  /** The scopes a 403 says the credential lacks, when it says. */
  readonly missingScopes?: string[];
  /** The scopes a missing-scope 403 names: those required and those the credential has. */
  readonly scopes?: { required: string[]; granted: string[] };
  readonly hint: string;
  /** The answer's Retry-After header (seconds or an HTTP date), if any. */
  readonly retryAfter?: string;
  /** The answer's headers (the X-RateLimit ones tell how much budget is left). */
  readonly headers?: Headers;
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
    headers?: Headers;
  }) {
    const { status, method, route, url, body } = args;
    const missing = body?.scopes && missingScopes(body.scopes);
    const hint = args.hint ?? (missing?.length ? scopeHint(missing, args.authKind) : hintFor(status, args.authKind));
    const parts = [`Bitbucket API ${method} ${url} failed with ${status}`];
    if (body?.message) parts[0] += `: ${body.message}`;
    if (body?.detail) parts.push(body.detail);
    if (missing?.length) parts.push(`Missing scopes: ${missing.join(", ")} (granted: ${body!.scopes!.granted.join(", ") || "none"})`);
    if (body?.fields && Object.keys(body.fields).length > 0) parts.push(`Fields: ${asText(JSON.stringify(body.fields))}`);
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
    this.missingScopes = missing;
    this.scopes = body?.scopes;
    this.hint = hint;
    this.retryAfter = args.retryAfter;
    this.headers = args.headers;
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
