// /repositories/{workspace} and /repositories/{workspace}/{repo_slug}.
import { ok, paginate, bodyObject, noContent } from "../http";
import { renderRepository, repoUrl } from "../render";
import { repoRef, Route } from "./route";

export const repositoryRoutes: Route[] = [
  {
    method: "GET",
    template: "/repositories/{workspace}",
    handler: (ctx) => {
      const repos = ctx.backend.repositories.list(ctx.caller, ctx.params.workspace, ctx.query.get("role"));
      return paginate(
        ctx,
        repos.map((r) => renderRepository(ctx, r)),
      );
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}",
    handler: (ctx) => ok(renderRepository(ctx, ctx.backend.repositories.get(ctx.caller, repoRef(ctx)))),
  },
  {
    method: "POST",
    template: "/repositories/{workspace}/{repo_slug}",
    handler: (ctx) => ok(renderRepository(ctx, ctx.backend.repositories.create(ctx.caller, repoRef(ctx), bodyObject(ctx)))),
  },
  {
    method: "PUT",
    template: "/repositories/{workspace}/{repo_slug}",
    handler: (ctx) => {
      const { repo, created, moved } = ctx.backend.repositories.put(ctx.caller, repoRef(ctx), bodyObject(ctx));
      // The spec: on an update, Location "is only provided when the repository's name is changed".
      const headers: Record<string, string> = created || moved ? { Location: repoUrl(ctx, repo) } : {};
      return { status: created ? 201 : 200, body: renderRepository(ctx, repo), headers };
    },
  },
  {
    method: "DELETE",
    template: "/repositories/{workspace}/{repo_slug}",
    handler: (ctx) => {
      ctx.backend.repositories.delete(ctx.caller, repoRef(ctx));
      return noContent();
    },
  },
];
