// /repositories/{workspace}, /repositories/{workspace}/{repo_slug} and its /forks.
import { ok, paginate, bodyObject, noContent, created } from "../../http";
import { repoRef, Route } from "../../route";
import type { Repositories } from "./backend";
import { renderRepository, repoUrl } from "./render";

export const repositoryRoutes: Route<Repositories>[] = [
  {
    method: "GET",
    template: "/repositories/{workspace}",
    handler: (ctx, repositories) => {
      const repos = repositories.list(ctx.caller, ctx.params.workspace, ctx.query.get("role"));
      return paginate(
        ctx,
        repos.map((r) => renderRepository(ctx, r)),
      );
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}",
    handler: (ctx, repositories) => ok(renderRepository(ctx, repositories.get(ctx.caller, repoRef(ctx)))),
  },
  {
    method: "POST",
    template: "/repositories/{workspace}/{repo_slug}",
    handler: (ctx, repositories) => ok(renderRepository(ctx, repositories.create(ctx.caller, repoRef(ctx), bodyObject(ctx)))),
  },
  {
    method: "PUT",
    template: "/repositories/{workspace}/{repo_slug}",
    handler: (ctx, repositories) => {
      const { repo, created, moved } = repositories.put(ctx.caller, repoRef(ctx), bodyObject(ctx));
      // The spec: on an update, Location "is only provided when the repository's name is changed".
      const headers: Record<string, string> = created || moved ? { Location: repoUrl(ctx, repo) } : {};
      return { status: created ? 201 : 200, body: renderRepository(ctx, repo), headers };
    },
  },
  {
    method: "DELETE",
    template: "/repositories/{workspace}/{repo_slug}",
    handler: (ctx, repositories) => {
      repositories.delete(ctx.caller, repoRef(ctx));
      return noContent();
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/forks",
    handler: (ctx, repositories) =>
      paginate(
        ctx,
        repositories.forks(ctx.caller, repoRef(ctx)).map((r) => renderRepository(ctx, r)),
      ),
  },
  {
    method: "POST",
    template: "/repositories/{workspace}/{repo_slug}/forks",
    handler: (ctx, repositories) => {
      const fork = repositories.fork(ctx.caller, repoRef(ctx), bodyObject(ctx));
      return created(renderRepository(ctx, fork), { Location: repoUrl(ctx, fork) });
    },
  },
];
