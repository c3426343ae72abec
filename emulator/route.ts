// A route: an operation and a handler that parses the request, calls one operation of its family's
// backend and renders what it returns. A family is its routes and the backend they call; `family`
// binds the two over the emulator's state, so a route sees its own family's backend only.
import type { RepoRef } from "./access";
import type { Db } from "./db";
import type { Ctx, Reply } from "./http";
import type { Operation, RemovedEndpoint } from "./operation";

export interface Route<B> extends Operation {
  handler: (ctx: Ctx, backend: B) => Reply;
}

/** A route with its family's backend: what the router finds and the server runs. */
export interface BoundRoute extends Operation {
  handler: (ctx: Ctx) => Reply;
}

/** A row of the families table (`families/index.ts`). */
export interface Family {
  name: string;
  /** The operations it serves. */
  routes: readonly Operation[];
  /** The operations of the family that Atlassian removed (answered 410). */
  removed: readonly RemovedEndpoint[];
  /** Its routes, calling a backend made over `db`. */
  bind(db: Db): BoundRoute[];
}

export function family<B>(name: string, backend: (db: Db) => B, routes: readonly Route<B>[], removed: readonly RemovedEndpoint[] = []): Family {
  return {
    name,
    routes: routes.map(({ method, template }) => ({ method, template })),
    removed,
    bind(db) {
      const bound = backend(db);
      return routes.map(({ method, template, handler }) => ({ method, template, handler: (ctx) => handler(ctx, bound) }));
    },
  };
}

/** The repository a `/repositories/{workspace}/{repo_slug}/…` URL addresses. */
export function repoRef(ctx: Ctx): RepoRef {
  return { workspace: ctx.params.workspace, repo: ctx.params.repo_slug };
}
