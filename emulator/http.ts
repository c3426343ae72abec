// What every route works with: the request context, the reply, the request body, pagination.
import type { Caller } from "./auth";
import { filterByQuery, QueryError, sortByField } from "./bbql";
import { badRequest } from "./errors";
import type { State } from "./store";
import type { View } from "./view";

/** A route reads the request from here, calls its family's backend, and renders with the context as its `View`. */
export interface Ctx extends View {
  method: string;
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** The fields of a form body (multipart/form-data or application/x-www-form-urlencoded), in order; absent for JSON. */
  form?: readonly FormField[];
  caller: Caller;
  /** The state, for the renderers only: routes change it through backend operations. */
  readonly state: Readonly<State>;
}

/** One field of a form body; `filename`: it came as a file part (multipart/form-data). */
export interface FormField {
  name: string;
  value: string;
  filename?: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Plain-text body (file contents from /src). */
  text?: string;
  /** The Content-Type of `text`. Default `text/plain; charset=utf-8`. */
  contentType?: string;
}

export const ok = (body: unknown, headers?: Record<string, string>): Reply => ({ status: 200, body, headers });
export const created = (body: unknown, headers?: Record<string, string>): Reply => ({ status: 201, body, headers });
export const noContent = (): Reply => ({ status: 204 });

/** The JSON body as an object (`{}` when there is none). */
export function bodyObject(ctx: Ctx): Record<string, unknown> {
  const b = ctx.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== "object" || Array.isArray(b)) throw badRequest("Request body must be a JSON object");
  return b as Record<string, unknown>;
}

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
