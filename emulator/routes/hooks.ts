// /repositories/{workspace}/{repo_slug}/hooks[/{uid}].
import { bodyObject, noContent, ok, paginate } from "../http";
import { renderHook, repoUrl } from "../render";
import { repoRef, Route } from "./route";

export const hookRoutes: Route[] = [
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/hooks",
    handler: (ctx) => {
      const { repo, hooks } = ctx.backend.hooks.list(ctx.caller, repoRef(ctx));
      return paginate(
        ctx,
        hooks.map((h) => renderHook(ctx, repo, h)),
        { query: false },
      );
    },
  },
  {
    method: "POST",
    template: "/repositories/{workspace}/{repo_slug}/hooks",
    handler: (ctx) => {
      const { repo, hook } = ctx.backend.hooks.create(ctx.caller, repoRef(ctx), bodyObject(ctx));
      return { status: 201, body: renderHook(ctx, repo, hook), headers: { Location: `${repoUrl(ctx, repo)}/hooks/${encodeURIComponent(hook.uuid)}` } };
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/hooks/{uid}",
    handler: (ctx) => {
      const { repo, hook } = ctx.backend.hooks.get(ctx.caller, repoRef(ctx), ctx.params.uid);
      return ok(renderHook(ctx, repo, hook));
    },
  },
  {
    method: "PUT",
    template: "/repositories/{workspace}/{repo_slug}/hooks/{uid}",
    handler: (ctx) => {
      const { repo, hook } = ctx.backend.hooks.update(ctx.caller, repoRef(ctx), ctx.params.uid, bodyObject(ctx));
      return ok(renderHook(ctx, repo, hook));
    },
  },
  {
    method: "DELETE",
    template: "/repositories/{workspace}/{repo_slug}/hooks/{uid}",
    handler: (ctx) => {
      ctx.backend.hooks.delete(ctx.caller, repoRef(ctx), ctx.params.uid);
      return noContent();
    },
  },
];
