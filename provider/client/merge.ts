// Read merging: reads of one object each, of the same listable collection, that come together (a
// refresh, `drift --from-state`) are served by one list of that collection instead of one GET each.
// Bitbucket's budget is about 1,000 requests an hour, and it lists what we read one by one.
//
// A read waits a short window for others of its collection, then the window's list is sent — after
// every read it serves was issued, and after every write of this client that was in flight when the
// window closed, so it sees every write that started before any of its reads.
// The Pulumi engine has only `--parallel` reads in flight, so one repository's grants rarely come in one
// window: a list's answer also serves the reads of its collection that come in the next few seconds
// (RECENT_LIST_MS), each object once (a second read of it asks again), unless this client started a write
// after (or while) it was sent — so no write of the same run is hidden; what it answers is what a read made
// a moment earlier would have answered.
// An object the list does not return is read on its own (its GET says whether it is gone: a list
// filtered or paged oddly never makes a resource "deleted"); a list that fails (refused, or longer than
// MERGED_LIST_PAGES) sends each read on its own, then and for the rest of the run. A read alone in its window sends its own GET, or in a refresh (`listAlone`) the list of its
// collection when it is listed whole: one request, like the GET, that serves the reads after it.
import type { RequestSpec, Send } from "./http";

export const MERGE_WINDOW_MS = 5;
/** How long a list's answer serves further reads of its collection (none when this client wrote since). */
export const RECENT_LIST_MS = 3_000;
/** The most pages a merged list reads: a longer collection is read object by object (a list costs no more than its reads). */
export const MERGED_LIST_PAGES = 2;

/** A listable collection whose reads of one object may be served together. */
export interface MergedList<T> {
  /** Reads with the same key share a list: the collection and where it is (workspace, repository...). */
  key: string;
  /** The collection, or the part of it that holds `ids` (a BBQL filter); paginated and bounded. */
  list(ids: string[]): Promise<T[]>;
  /** Whether the listed `value` is the object that a GET of `id` answers. */
  matches(value: T, id: string): boolean;
  /** Most ids one list serves (a BBQL filter's length); unset: the collection is listed whole. */
  chunk?: number;
}

interface PendingRead<T> {
  id: string;
  single: () => Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

interface Batch<T> {
  collection: MergedList<T>;
  reads: PendingRead<T>[];
}

/** Reads `id` of `collection`, merged with the window's other reads of it; `single` is its own GET. */
export type ReadMerger = <T>(collection: MergedList<T>, id: string, single: () => Promise<T>) => Promise<T>;

export interface ReadMerging {
  merge: ReadMerger;
  /** `send` with its writes watched: a merged list waits for those in flight when its window closes. */
  watchWrites(send: Send): Send;
}

export interface MergeOptions {
  windowMs?: number;
  /** RECENT_LIST_MS by default; 0: a list serves only the reads of its window. */
  recentMs?: number;
  /**
   * Whether a read alone in its window lists its collection (listed whole) rather than sending its GET: when
   * more reads of it are coming (a refresh). Not for a look before a create: a miss in the list costs a GET
   * more (a list never says "gone"). Default: never.
   */
  listAlone?: () => boolean;
  now?: () => number;
}

/** A list's answer kept for the reads after it: what it returned, when it was sent, the ids it has answered. */
interface RecentList {
  values: unknown[];
  sentAt: number;
  served: Set<string>;
}

export function createReadMerging({
  windowMs = MERGE_WINDOW_MS,
  recentMs = RECENT_LIST_MS,
  listAlone = () => false,
  now = Date.now,
}: MergeOptions = {}): ReadMerging {
  const open = new Map<string, Batch<unknown>>();
  const recent = new Map<string, RecentList>();
  // The lists in flight that will be remembered if no write starts before they answer.
  const listing = new Map<string, Promise<void>>();
  // Collections whose list failed (refused, longer than MERGED_LIST_PAGES...): read object by object from then on.
  const unlistable = new Set<string>();
  const writesInFlight = new Set<Promise<void>>();
  // Counts the writes this client started: a list remembered is one with no write started since it was sent.
  let writesStarted = 0;
  const watchWrites =
    (send: Send): Send =>
    <T>(spec: RequestSpec) => {
      if (spec.method !== "GET") {
        writesStarted++;
        recent.clear();
      }
      const answer = send<T>(spec);
      if (spec.method !== "GET") {
        const settled = answer.then(
          () => undefined,
          () => undefined,
        );
        writesInFlight.add(settled);
        void settled.then(() => writesInFlight.delete(settled));
      }
      return answer;
    };
  /** The list of `collection`, remembered when listed whole and no write of this client was in flight or started meanwhile. */
  const listed = <T>(collection: MergedList<T>, ids: string[]): Promise<T[]> => {
    const sentAt = now();
    // A filter of the ids asked holds nothing for the reads after it.
    const quiet = writesInFlight.size === 0 && recentMs > 0 && collection.chunk === undefined;
    const started = writesStarted;
    const done = (async () => {
      try {
        const values = await collection.list(ids);
        if (quiet && started === writesStarted) {
          for (const [key, list] of recent) if (sentAt - list.sentAt > recentMs) recent.delete(key);
          recent.set(collection.key, { values, sentAt, served: new Set(ids) });
        }
        return values;
      } catch (err) {
        unlistable.add(collection.key);
        throw err;
      }
    })();
    if (quiet) {
      // Settles once the answer is remembered (or failed): the reads that join it look then.
      const settled = done.then(
        () => undefined,
        () => undefined,
      );
      listing.set(collection.key, settled);
      void settled.then(() => {
        if (listing.get(collection.key) === settled) listing.delete(collection.key);
      });
    }
    return done;
  };
  const remembered = <T>(collection: MergedList<T>, id: string): T | undefined => {
    const list = recent.get(collection.key);
    if (!list) return undefined;
    if (now() - list.sentAt > recentMs) {
      recent.delete(collection.key);
      return undefined;
    }
    // Each object once: a second read of it (a check after a change made elsewhere) asks again.
    if (list.served.has(id)) return undefined;
    const found = (list.values as T[]).find((value) => collection.matches(value, id));
    if (found === undefined) return undefined;
    list.served.add(id);
    return structuredClone(found);
  };
  const serve = async <T>(batch: Batch<T>, alone: "get" | "list"): Promise<void> => {
    if (batch.reads.length > 1) await Promise.all([...writesInFlight]);
    return serveBatch(batch, listed, alone);
  };
  const merge = <T>(collection: MergedList<T>, id: string, single: () => Promise<T>): Promise<T> => {
    if (unlistable.has(collection.key)) return single();
    const known = remembered(collection, id);
    if (known !== undefined) return Promise.resolve(known);
    // A list of the collection already on its way: its answer, if it holds the object, rather than a list more.
    const coming = listing.get(collection.key);
    if (coming) return coming.then(() => remembered(collection, id) ?? inWindow(collection, id, single));
    return inWindow(collection, id, single);
  };
  const inWindow = <T>(collection: MergedList<T>, id: string, single: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      let batch = open.get(collection.key) as Batch<T> | undefined;
      if (!batch) {
        const opened: Batch<T> = { collection, reads: [] };
        open.set(collection.key, opened as Batch<unknown>);
        // Asked now: the operation that opened the window is the caller's.
        const alone = recentMs > 0 && collection.chunk === undefined && listAlone() ? "list" : "get";
        // The batch closes before its list is sent: a later read opens the next window and list.
        setTimeout(() => {
          open.delete(collection.key);
          void serve(opened, alone);
        }, windowMs);
        batch = opened;
      }
      batch.reads.push({ id, single, resolve, reject });
    });
  return { merge, watchWrites };
}

function readAlone<T>(read: PendingRead<T>): Promise<void> {
  return read.single().then(read.resolve, read.reject);
}

type Lister = <T>(collection: MergedList<T>, ids: string[]) => Promise<T[]>;

async function serveBatch<T>(batch: Batch<T>, listed: Lister, alone: "get" | "list"): Promise<void> {
  const { collection, reads } = batch;
  if (reads.length === 1 && alone === "get") return readAlone(reads[0]);
  const ids = [...new Set(reads.map((r) => r.id))];
  const size = collection.chunk ?? ids.length;
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
  await Promise.all(
    chunks.map(async (chunk) => {
      const inChunk = reads.filter((r) => chunk.includes(r.id));
      if (inChunk.length === 1 && alone === "get") return readAlone(inChunk[0]);
      let values: T[] | undefined;
      try {
        values = await listed(collection, chunk);
      } catch {
        // Each read on its own: its GET's answer (or error) is its own, and a failed list never says "gone".
        values = undefined;
      }
      await Promise.all(
        inChunk.map((read) => {
          const found = values?.find((value) => collection.matches(value, read.id));
          if (found === undefined) return readAlone(read);
          read.resolve(structuredClone(found));
        }),
      );
    }),
  );
}
