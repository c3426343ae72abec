// What every family of endpoints is built on: the layered `send` (http.ts, auth.ts, retry.ts) and the
// helpers that read one object, a list (over paginate.ts) and a list's size. Only the families in this
// folder know the API's paths; answers are parsed with zod, loosely (unknown fields pass through).
import { z } from "zod";
import type { RequestSpec, Send } from "../http";
import { countValues, MAX_PAGES, paginate } from "../paginate";

export interface ListOptions {
  /** Most values to return; pages stop once this many are in hand. Default: all. */
  limit?: number;
  q?: string;
  sort?: string;
}

export interface EndpointContext {
  send: Send;
  /** Sends `spec` and parses the answer's body with `schema`. */
  request<T>(schema: z.ZodType<T>, spec: RequestSpec): Promise<T>;
  get<T>(schema: z.ZodType<T>, route: string, params?: Record<string, string>, extra?: Partial<RequestSpec>): Promise<T>;
  /** Every value of a list (or `options.limit` of them), each parsed with `schema`. */
  list<T>(schema: z.ZodType<T>, route: string, params: Record<string, string>, options?: ListOptions, extra?: Partial<RequestSpec>): Promise<T[]>;
  /** Sends a DELETE; its answer carries nothing. */
  delete(route: string, params: Record<string, string>): Promise<void>;
  /** How many values a list holds (paginate.ts, countValues). */
  count(route: string, params: Record<string, string>): Promise<number>;
}

/** `maxPages`: the most pages one listing reads (paginate.ts). */
export function endpointContext(send: Send, apiUrl: string, maxPages = MAX_PAGES): EndpointContext {
  const request = async <T>(schema: z.ZodType<T>, spec: RequestSpec): Promise<T> => schema.parse((await send(spec)).body);
  return {
    send,
    request,
    get: (schema, route, params = {}, extra = {}) => request(schema, { method: "GET", route, params, ...extra }),
    async list<T>(schema: z.ZodType<T>, route: string, params: Record<string, string>, options: ListOptions = {}, extra: Partial<RequestSpec> = {}) {
      const query = { q: options.q, sort: options.sort, ...extra.query };
      const values = await paginate<unknown>(send, apiUrl, { method: "GET", route, params, ...extra, query }, options.limit, maxPages);
      return values.map((v) => schema.parse(v));
    },
    async delete(route, params) {
      await send({ method: "DELETE", route, params });
    },
    count: (route, params) => countValues(send, apiUrl, { method: "GET", route, params }, maxPages),
  };
}

export const REPOSITORY = "/repositories/{workspace}/{repo_slug}";
export const PROJECT = "/workspaces/{workspace}/projects/{project_key}";
export const repositoryParams = (workspace: string, repo_slug: string) => ({ workspace, repo_slug });
export const projectParams = (workspace: string, project_key: string) => ({ workspace, project_key });

/** The last path segment of a Location header: a moved object's new slug or key. */
export function lastSegment(location: string | null): string | undefined {
  if (!location) return undefined;
  const path = new URL(location, "http://x").pathname.replace(/\/+$/, "");
  const last = path.split("/").pop();
  return last ? decodeURIComponent(last) : undefined;
}

export const Link = z.looseObject({ href: z.string() });
export const Links = z.looseObject({ html: Link.optional() }).nullish();
/** Absent or null in the answer: undefined in the result. */
export const maybe = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
