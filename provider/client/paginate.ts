// Pagination: request pagelen=100 (fewer when fewer are wanted) and follow the opaque `next` link
// until it is absent or `limit` values are in hand. The links come from the server, so a listing
// that would not end (a link back to a page already read, one that does not advance, more pages
// than any real list has) is an error rather than a loop: see PageTrail.
import { ApiResponse, buildUrl, displayUrl, RequestSpec, Send } from "./http";

export interface Page<T> {
  values?: T[];
  next?: string;
  size?: number;
}

export const PAGELEN = 100;

/** The most pages one listing reads: 100,000 values at pagelen 100. */
export const MAX_PAGES = 1_000;

/** The answer was not a page of values (say, a file's contents where a directory was expected). */
export class NotAPageError extends Error {
  constructor(spec: RequestSpec) {
    super(`Bitbucket API ${spec.method} ${spec.route} did not answer a page of results.`);
    this.name = "NotAPageError";
  }
}

/** A listing whose `next` links would not end. */
export class PaginationError extends Error {
  readonly method: string;
  /** The listing's first page. */
  readonly url: string;
  /** How many pages were read before it stopped. */
  readonly pages: number;

  constructor(args: { method: string; url: string; pages: number; reason: string; advice: string }) {
    super(`Bitbucket API ${args.method} ${args.url}: pagination did not end: ${args.reason}. ${args.advice}`);
    this.name = "PaginationError";
    this.method = args.method;
    this.url = args.url;
    this.pages = args.pages;
  }
}

const INCONSISTENT = "Bitbucket answered inconsistent pages: retry later, and report it to Atlassian support with this URL if it persists.";

/**
 * The pages one listing has read. `follow` is given each page as it arrives and returns the URL to
 * read next (undefined at the end), or throws a PaginationError when the `next` link was already
 * read, does not advance (the page itself, or an empty page with a next), or would read more than
 * `maxPages` pages. Any client that follows `next` (the provider's, the tests') uses it.
 */
export class PageTrail {
  private readonly read = new Set<string>();

  constructor(
    private readonly method: string,
    /** The listing's first URL, named in errors. */
    private readonly first: string,
    private readonly maxPages = MAX_PAGES,
  ) {}

  get pages(): number {
    return this.read.size;
  }

  follow(url: string, page: Page<unknown> | undefined): string | undefined {
    const here = new URL(url).href;
    this.read.add(here);
    if (!page?.next) return undefined;
    const next = typeof page.next === "string" ? resolve(page.next, here) : undefined;
    if (!next) this.fail(`page ${displayUrl(here)} has a next link that is not a URL`, INCONSISTENT);
    if (next === here) this.fail(`the next link does not advance (page ${displayUrl(here)} links to itself)`, INCONSISTENT);
    if (!page.values?.length)
      this.fail(`the next link does not advance (page ${displayUrl(here)} has no values but links to ${displayUrl(next)})`, INCONSISTENT);
    if (this.read.has(next)) this.fail(`page ${displayUrl(next)} was already read (the next links loop)`, INCONSISTENT);
    if (this.read.size >= this.maxPages)
      this.fail(
        `more than ${this.maxPages} pages`,
        "No list this tool reads should be that long: narrow it (a query, fewer projects) or report it to Atlassian support if the list is not that long.",
      );
    return next;
  }

  private fail(reason: string, advice: string): never {
    throw new PaginationError({ method: this.method, url: displayUrl(this.first), pages: this.read.size, reason, advice });
  }
}

export async function paginate<T>(send: Send, apiUrl: string, spec: RequestSpec, limit = Infinity, maxPages = MAX_PAGES): Promise<T[]> {
  const origin = new URL(apiUrl).origin;
  const out: T[] = [];
  const first: RequestSpec = { ...spec, query: { pagelen: Math.min(PAGELEN, limit), ...spec.query } };
  const firstUrl = buildUrl(apiUrl, first);
  const trail = new PageTrail(spec.method, firstUrl, maxPages);
  let next: RequestSpec | undefined = { ...first, url: firstUrl };
  while (next && out.length < limit) {
    const body: Page<T> | undefined = (await send<Page<T>>(next)).body;
    if (!Array.isArray(body?.values)) throw new NotAPageError(spec);
    out.push(...body.values);
    if (out.length >= limit) break;
    const link = trail.follow(next.url!, body);
    next = link ? { ...spec, url: sameOrigin(link, origin) } : undefined;
  }
  return out.slice(0, limit);
}

/** How many values a list holds: its `size`, read from a one-value page (or counted when absent). */
export async function countValues(send: Send, apiUrl: string, spec: RequestSpec, maxPages = MAX_PAGES): Promise<number> {
  const res: ApiResponse<Page<unknown>> = await send<Page<unknown>>({ ...spec, query: { ...spec.query, pagelen: 1 } });
  if (typeof res.body?.size === "number") return res.body.size;
  return (await paginate(send, apiUrl, spec, Infinity, maxPages)).length;
}

/** The absolute form of a link, or undefined when it is not a URL. */
function resolve(link: string, base: string): string | undefined {
  try {
    return new URL(link, base).href;
  } catch {
    return undefined;
  }
}

/** Credentials go only to the API's own origin. */
function sameOrigin(link: string, origin: string): string {
  if (new URL(link).origin !== origin) throw new Error(`Refusing to follow a pagination link outside ${origin}: ${new URL(link).origin}`);
  return link;
}
