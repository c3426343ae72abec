// What the admin API reports: every API request with its route template and outcome, and counters per route.

export interface RequestLogEntry {
  method: string;
  path: string;
  /** The spec's path template, null when no route matched (OAuth: `/site/oauth2/access_token`). */
  route: string | null;
  status: number;
  ms: number;
  /** Why there was no answer: the connection was dropped, or the write was applied and its response lost. */
  fault?: "drop" | "lostResponse";
}

export class RequestLog {
  entries: RequestLogEntry[] = [];
  /** `"METHOD template"` (or `"METHOD (unmatched)"`) → requests. */
  byRoute: Record<string, number> = {};

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
    const key = `${entry.method} ${entry.route ?? "(unmatched)"}`;
    this.byRoute[key] = (this.byRoute[key] ?? 0) + 1;
  }

  clear(): void {
    this.entries = [];
    this.byRoute = {};
  }
}
