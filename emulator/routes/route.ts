// A route: the spec's path template, a method, and a handler that parses the request, calls one backend
// operation and renders what it returns.
import type { RepoRef } from "../backend";
import type { Ctx, Reply } from "../http";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** `template` is the spec's path template (without `/2.0`); the request log and counters report it. */
export interface Route {
  method: Method;
  template: string;
  handler: (ctx: Ctx) => Reply;
}

/** The repository a `/repositories/{workspace}/{repo_slug}/…` URL addresses. */
export function repoRef(ctx: Ctx): RepoRef {
  return { workspace: ctx.params.workspace, repo: ctx.params.repo_slug };
}
