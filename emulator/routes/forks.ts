// /repositories/{workspace}/{repo_slug}/forks.
import { bodyObject, paginate } from "../http";
import { renderRepository, repoUrl } from "../render";
import { repoRef, Route } from "./route";

export const forkRoutes: Route[] = [
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/forks",
    handler: (ctx) =>
      paginate(
        ctx,
        ctx.backend.repositories.forks(ctx.caller, repoRef(ctx)).map((r) => renderRepository(ctx, r)),
      ),
  },
  {
    method: "POST",
    template: "/repositories/{workspace}/{repo_slug}/forks",
    handler: (ctx) => {
      const fork = ctx.backend.repositories.fork(ctx.caller, repoRef(ctx), bodyObject(ctx));
      return { status: 201, body: renderRepository(ctx, fork), headers: { Location: repoUrl(ctx, fork) } };
    },
  },
];
