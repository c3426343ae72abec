// Pagination: request pagelen=100 (fewer when fewer are wanted) and follow the opaque `next` link
// until it is absent or `limit` values are in hand.
import { ApiResponse, RequestSpec, Send } from "./http";

export interface Page<T> {
  values?: T[];
  next?: string;
  size?: number;
}

export const PAGELEN = 100;

/** The answer was not a page of values (say, a file's contents where a directory was expected). */
export class NotAPageError extends Error {
  constructor(spec: RequestSpec) {
    super(`Bitbucket API ${spec.method} ${spec.route} did not answer a page of results.`);
    this.name = "NotAPageError";
  }
}

export async function paginate<T>(send: Send, apiUrl: string, spec: RequestSpec, limit = Infinity): Promise<T[]> {
  const origin = new URL(apiUrl).origin;
  const out: T[] = [];
  let next: RequestSpec | undefined = { ...spec, query: { pagelen: Math.min(PAGELEN, limit), ...spec.query } };
  while (next && out.length < limit) {
    const body: Page<T> | undefined = (await send<Page<T>>(next)).body;
    if (!Array.isArray(body?.values)) throw new NotAPageError(spec);
    out.push(...body.values);
    next = body.next ? { ...spec, url: sameOrigin(body.next, origin) } : undefined;
  }
  return out.slice(0, limit);
}

/** How many values a list holds: its `size`, read from a one-value page (or counted when absent). */
export async function countValues(send: Send, apiUrl: string, spec: RequestSpec): Promise<number> {
  const res: ApiResponse<Page<unknown>> = await send<Page<unknown>>({ ...spec, query: { ...spec.query, pagelen: 1 } });
  if (typeof res.body?.size === "number") return res.body.size;
  return (await paginate(send, apiUrl, spec)).length;
}

/** Credentials go only to the API's own origin. */
function sameOrigin(link: string, origin: string): string {
  if (new URL(link).origin !== origin) throw new Error(`Refusing to follow a pagination link outside ${origin}: ${new URL(link).origin}`);
  return link;
}
