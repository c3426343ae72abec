// What every route handler works with: the request context, the reply, errors in the spec's shape, pagination.
import type { IncomingMessage } from "http";
import { filterByQuery, QueryError, sortByField } from "./bbql";
import type { Caller } from "./auth";
import type { State } from "./store";

export interface Ctx {
  req: IncomingMessage;
  method: string;
  url: URL;
  /** `http://host:port` as the client addressed us; links and `next` URLs are built on it. */
  base: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  caller: Caller | null;
  state: State;
  now: number;
  forkReadyDelayMs: number;
  hookEvents: readonly string[];
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Plain-text body (file contents from /src). */
  text?: string;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public detail?: string,
    public headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The spec's `error` definition: `{type: "error", error: {message, detail?, data?}}`. */
export function errorBody(message: string, detail?: string): unknown {
  return { type: "error", error: detail === undefined ? { message } : { message, detail } };
}

export const badRequest = (message: string, detail?: string) => new ApiError(400, message, detail);
export const notFound = (message: string) => new ApiError(404, message);
export const forbidden = (message: string) => new ApiError(403, message);

export const MAX_PAGELEN = 100;

/** Filters (`q`), sorts (`sort`) and pages (`page`, `pagelen`) rendered objects into a paginated body. */
export function paginate(ctx: Ctx, items: unknown[], opts: { defaultPagelen?: number; query?: boolean } = {}): Reply {
  const pagelen = Number(ctx.query.get("pagelen") ?? opts.defaultPagelen ?? 10);
  const page = Number(ctx.query.get("page") ?? 1);
  if (!Number.isInteger(pagelen) || pagelen < 1 || pagelen > MAX_PAGELEN) throw badRequest(`Invalid pagelen: must be an integer between 1 and ${MAX_PAGELEN}`);
  if (!Number.isInteger(page) || page < 1) throw badRequest("Invalid page: must be a positive integer");
  let selected = items;
  if (opts.query !== false) {
    try {
      selected = sortByField(filterByQuery(items, ctx.query.get("q")), ctx.query.get("sort"));
    } catch (e) {
      if (e instanceof QueryError) throw badRequest("Invalid query", e.message);
      throw e;
    }
  }
  const start = (page - 1) * pagelen;
  const body: Record<string, unknown> = {
    pagelen,
    size: selected.length,
    values: selected.slice(start, start + pagelen),
    page,
  };
  const pageUrl = (n: number) => {
    const u = new URL(ctx.url.pathname, ctx.base);
    ctx.query.forEach((v, k) => k !== "page" && u.searchParams.append(k, v));
    u.searchParams.set("page", String(n));
    return u.toString();
  };
  if (start + pagelen < selected.length) body.next = pageUrl(page + 1);
  if (page > 1) body.previous = pageUrl(page - 1);
  return { status: 200, body };
}
