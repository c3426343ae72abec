// The request core: one HTTP exchange with the API. It builds the URL from a path template and its
// parameters (refusing any that would change the endpoint), sends JSON, parses JSON, and maps non-2xx answers to
// BitbucketApiError and missing answers to BitbucketNetworkError. Retries, the concurrency cap and
// pagination are separate layers (retry.ts, paginate.ts) wrapped around it in client/index.ts.
// Keep-alive is Node fetch's default (undici keeps connections open per origin).
import { BitbucketApiError, BitbucketNetworkError, readErrorBody } from "./errors";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;
export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface RequestSpec {
  method: Method;
  /** The spec's path template, e.g. `/repositories/{workspace}/{repo_slug}`. */
  route: string;
  /** Values for the template's `{placeholders}`; each is URL-encoded (so `{uuid}` braces are too). */
  params?: Record<string, string>;
  /** Params that span several path segments (a file path): each segment is encoded, the slashes kept. */
  multiSegment?: string[];
  /** An array repeats the parameter (`state=OPEN&state=MERGED`). */
  query?: Record<string, string | number | string[] | undefined>;
  body?: unknown;
  /** An absolute URL to use instead of route + params (pagination's `next`). */
  url?: string;
  /** Whether sending twice cannot do harm. Default: every method except POST. */
  idempotent?: boolean;
  /** Form-encoded body instead of JSON (OAuth token endpoint). */
  form?: Record<string, string>;
  /** A multipart/form-data body instead of JSON: fields in order, a `filename` makes a file part (`POST …/src`). */
  multipart?: readonly FormPart[];
  /** Answer the body as text, unparsed (file contents). */
  text?: boolean;
}

/** One part of a multipart/form-data body; with `filename`, a file part whose content is `value` (UTF-8). */
export interface FormPart {
  name: string;
  value: string;
  filename?: string;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export type Send = <T = unknown>(spec: RequestSpec) => Promise<ApiResponse<T>>;

export function isIdempotent(spec: RequestSpec): boolean {
  return spec.idempotent ?? spec.method !== "POST";
}

export function buildUrl(apiUrl: string, spec: RequestSpec): string {
  if (spec.url) return spec.url;
  const path = spec.route.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = spec.params?.[name];
    if (value === undefined || value === "") throw new Error(`Missing path parameter ${name} for ${spec.route}`);
    const segments = spec.multiSegment?.includes(name) ? value.split("/") : [value];
    // `.`, `..` and empty segments would be resolved away by the URL parser (even when encoded) and move the request elsewhere.
    if (segments.some((s) => s === "" || s === "." || s === ".."))
      throw new Error(`Path parameter ${name} for ${spec.route} must not be empty, "." or ".." (or contain such a segment): ${JSON.stringify(value)}`);
    return segments.map(encodeURIComponent).join("/");
  });
  const url = new URL(apiUrl.replace(/\/+$/, "") + path);
  for (const [k, v] of Object.entries(spec.query ?? {})) {
    for (const item of Array.isArray(v) ? v : v === undefined ? [] : [v]) url.searchParams.append(k, String(item));
  }
  return url.toString();
}

export interface CoreOptions {
  apiUrl: string;
  fetch: FetchLike;
  /** Returns the Authorization header value for the next request; empty: none (anonymous). */
  authorization: () => Promise<string>;
  timeoutMs: number;
  userAgent?: string;
  /** basic | bearer | oauth | anonymous: lets 403 messages say what the credential type cannot do. */
  authKind?: string;
}

export function createRequestCore(options: CoreOptions): Send {
  return async function send<T>(spec: RequestSpec): Promise<ApiResponse<T>> {
    const url = buildUrl(options.apiUrl, spec);
    const shown = displayUrl(url);
    const authorization = await options.authorization();
    const headers: Record<string, string> = {
      accept: "application/json",
      ...(authorization && { authorization }),
      "user-agent": options.userAgent ?? "pulumi-bitbucket-cloud",
    };
    let payload: string | FormData | undefined;
    if (spec.multipart) {
      // fetch writes the content type with its boundary.
      const form = new FormData();
      for (const part of spec.multipart)
        if (part.filename === undefined) form.append(part.name, part.value);
        else form.append(part.name, new Blob([part.value], { type: "application/octet-stream" }), part.filename);
      payload = form;
    } else if (spec.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      payload = new URLSearchParams(spec.form).toString();
    } else if (spec.body !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(spec.body);
    }
    const signal = AbortSignal.timeout(options.timeoutMs);
    const noAnswer = (cause: unknown) =>
      new BitbucketNetworkError({
        method: spec.method,
        route: spec.route,
        url: shown,
        cause: signal.aborted ? new Error(`no answer within ${options.timeoutMs / 1000} s (bitbucket:timeoutSeconds)`) : cause,
        idempotent: isIdempotent(spec),
      });
    let res: Response;
    try {
      res = await options.fetch(url, { method: spec.method, headers, body: payload, signal });
    } catch (cause) {
      throw noAnswer(cause);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (cause) {
      throw noAnswer(cause);
    }
    const body = spec.text && res.ok ? text : parseJson(text);
    if (!res.ok) {
      throw new BitbucketApiError({
        status: res.status,
        method: spec.method,
        route: spec.route,
        url: shown,
        body: readErrorBody(body, res.headers.get("content-type"), res.statusText),
        authKind: options.authKind,
        retryAfter: res.headers.get("retry-after") ?? undefined,
        headers: res.headers,
      });
    }
    return { status: res.status, headers: res.headers, body: body as T };
  };
}

/** A URL as a person reads it: the braces of a `{uuid}` shown as braces. */
export function displayUrl(url: string): string {
  return url.replace(/%7B/gi, "{").replace(/%7D/gi, "}");
}

/** The request as a person reads it: method and concrete URL. */
export function describeRequest(apiUrl: string, spec: RequestSpec): string {
  try {
    return `${spec.method} ${displayUrl(buildUrl(apiUrl, spec))}`;
  } catch {
    return `${spec.method} ${spec.route}`;
  }
}

/** The JSON a body holds; the text itself when it is not JSON; undefined when empty. */
export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
