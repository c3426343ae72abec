// The one HTTP client the tests use to talk to the emulator: its /2.0 API (as a chosen caller, keeping
// what the spec-conformance check needs) and its admin API (/_emulator: request log, counters, config).
import { authorizationHeader, CREDENTIALS } from "../../emulator/seed";
import { MAX_PAGES, PageTrail } from "../../provider/client/paginate";

export type Auth = { kind: "basic"; username: string; password: string } | { kind: "bearer"; token: string } | { header: string } | null;

export interface ApiResponse {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  contentType: string;
  text: string;
  body: any;
}

/** Calls the API at `apiUrl` (`…/2.0`), as the acme owner unless told otherwise. */
export class Client {
  constructor(
    private base: string,
    private defaultAuth: Auth = CREDENTIALS.owner,
  ) {}

  /** `form`: a form body (multipart/form-data for FormData, urlencoded for URLSearchParams) instead of JSON. */
  async request(
    method: string,
    path: string,
    opts: { body?: unknown; form?: FormData | URLSearchParams; auth?: Auth; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse> {
    const auth = opts.auth === undefined ? this.defaultAuth : opts.auth;
    const headers: Record<string, string> = { ...opts.headers };
    if (auth) headers.Authorization = "header" in auth ? auth.header : authorizationHeader(auth);
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    const url = this.url(path);
    const res = await fetch(url, { method, headers, body: opts.form ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
    const text = await res.text();
    const contentType = res.headers.get("content-type") ?? "";
    return {
      method,
      path: new URL(url).pathname + new URL(url).search,
      status: res.status,
      headers: res.headers,
      contentType,
      text,
      body: contentType.includes("json") && text ? JSON.parse(text) : undefined,
    };
  }

  /** The address `request` sends `path` to. */
  url(path: string): string {
    return path.startsWith("http") ? path : `${this.base}${path}`;
  }

  /**
   * Every value of a list, following `next` by the provider's rule (PageTrail): a link back to a page
   * already read, one that does not advance, or more than `maxPages` pages is an error, not a loop.
   */
  async listAll(path: string, opts: { auth?: Auth; maxPages?: number } = {}): Promise<any[]> {
    const values: unknown[] = [];
    const trail = new PageTrail("GET", this.url(path), opts.maxPages ?? MAX_PAGES);
    for (let url: string | undefined = this.url(path); url;) {
      const res = await this.request("GET", url, opts);
      if (res.status !== 200 || !Array.isArray(res.body?.values)) throw new Error(`GET ${url} did not answer a page: ${res.status} ${res.text.slice(0, 200)}`);
      values.push(...res.body.values);
      url = trail.follow(url, res.body);
    }
    return values;
  }

  get = (path: string, opts?: { auth?: Auth }) => this.request("GET", path, opts);
  post = (path: string, body?: unknown, opts?: { auth?: Auth }) => this.request("POST", path, { ...opts, body });
  put = (path: string, body?: unknown, opts?: { auth?: Auth }) => this.request("PUT", path, { ...opts, body });
  delete = (path: string, opts?: { auth?: Auth }) => this.request("DELETE", path, opts);
}

/** A call to the admin API of the emulator at `url` (without `/2.0`); throws on an error status. */
export async function admin(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export interface LoggedRequest {
  method: string;
  path: string;
  route: string | null;
  status: number;
  fault?: string;
}

export const requests = (url: string): Promise<LoggedRequest[]> => admin(url, "GET", "/requests");
export const counters = (url: string): Promise<{ total: number; byRoute: Record<string, number> }> => admin(url, "GET", "/counters");
export const clearRequests = (url: string) => admin(url, "DELETE", "/requests");
export const setConfig = (url: string, patch: Record<string, unknown>) => admin(url, "PUT", "/config", patch);
