// An operation of the API as the spec names it: a method and a path template. The router, the scopes
// check and the request log know operations by these two, whichever family serves them.

export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface Operation {
  method: Method;
  /** The spec's path template (without `/2.0`); the request log and counters report it. */
  template: string;
}

/** An operation Atlassian removed: the router answers it 410, naming what serves instead. */
export interface RemovedEndpoint extends Operation {
  method: "GET";
  /** What serves instead. */
  instead: string;
}
