// In-flight read merging: reads of one object each, of the same listable collection, that are in flight
// together (a refresh, `drift --from-state`) are served by one list of that collection instead of one
// GET each. Bitbucket's budget is about 1,000 requests an hour, and it lists what we read one by one.
//
// Not a cache: a read waits a short window for others of its collection, then the window's list is
// sent — after every read it serves was issued, and after every write of this client that was in
// flight when the window closed, so it sees every write that started before any of its reads. Nothing
// is kept once the list has answered.
// An object the list does not return is read on its own (its GET says whether it is gone: a list
// filtered or paged oddly never makes a resource "deleted"); a list that fails sends each read on its
// own; a read alone in its window stays a single GET, cheaper than a list.
import type { RequestSpec, Send } from "./http";

export const MERGE_WINDOW_MS = 5;

/** A listable collection whose reads of one object may be served together. */
export interface MergedList<T> {
  /** Reads with the same key share a list: the collection and where it is (workspace, repository...). */
  key: string;
  /** The collection, or the part of it that holds `ids` (a BBQL filter); paginated and bounded. */
  list(ids: string[]): Promise<T[]>;
  /** Whether the listed `value` is the object that a GET of `id` answers. */
  matches(value: T, id: string): boolean;
  /** Most ids one list serves (a BBQL filter's length); default: all of the window's. */
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

export function createReadMerging(windowMs = MERGE_WINDOW_MS): ReadMerging {
  const open = new Map<string, Batch<unknown>>();
  const writesInFlight = new Set<Promise<void>>();
  const watchWrites =
    (send: Send): Send =>
    <T>(spec: RequestSpec) => {
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
  const serve = async <T>(batch: Batch<T>): Promise<void> => {
    if (batch.reads.length > 1) await Promise.all([...writesInFlight]);
    return serveBatch(batch);
  };
  const merge = <T>(collection: MergedList<T>, id: string, single: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      let batch = open.get(collection.key) as Batch<T> | undefined;
      if (!batch) {
        const opened: Batch<T> = { collection, reads: [] };
        open.set(collection.key, opened as Batch<unknown>);
        // The batch closes before its list is sent: a later read opens the next window and list.
        setTimeout(() => {
          open.delete(collection.key);
          void serve(opened);
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

async function serveBatch<T>(batch: Batch<T>): Promise<void> {
  const { collection, reads } = batch;
  if (reads.length === 1) return readAlone(reads[0]);
  const ids = [...new Set(reads.map((r) => r.id))];
  const size = collection.chunk ?? ids.length;
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
  await Promise.all(
    chunks.map(async (chunk) => {
      const inChunk = reads.filter((r) => chunk.includes(r.id));
      if (inChunk.length === 1) return readAlone(inChunk[0]);
      let listed: T[] | undefined;
      try {
        listed = await collection.list(chunk);
      } catch {
        // Each read on its own: its GET's answer (or error) is its own, and a failed list never says "gone".
        listed = undefined;
      }
      await Promise.all(
        inChunk.map((read) => {
          const found = listed?.find((value) => collection.matches(value, read.id));
          if (found === undefined) return readAlone(read);
          read.resolve(structuredClone(found));
        }),
      );
    }),
  );
}
