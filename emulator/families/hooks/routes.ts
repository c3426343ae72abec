// /repositories/{workspace}/{repo_slug}/hooks[/{uid}].
import { bodyObject, created, noContent, ok, paginate } from "../../http";
import { repoRef, Route } from "../../route";
import { repoUrl } from "../repositories/render";
import type { Hooks } from "./backend";
import { renderHook } from "./render";

export const hookRoutes: Route<Hooks>[] = [
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/hooks",
    handler: (ctx, hooks) => {
      const { repo, hooks: listed } = hooks.list(ctx.caller, repoRef(ctx));
      return paginate(
        ctx,
        listed.map((h) => renderHook(ctx, repo, h)),
        { query: false },
      );
    },
  },
  {
    method: "POST",
    template: "/repositories/{workspace}/{repo_slug}/hooks",
    handler: (ctx, hooks) => {
      const { repo, hook } = hooks.create(ctx.caller, repoRef(ctx), bodyObject(ctx));
      return created(renderHook(ctx, repo, hook), { Location: `${repoUrl(ctx, repo)}/hooks/${encodeURIComponent(hook.uuid)}` });
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/hooks/{uid}",
    handler: (ctx, hooks) => {
      const { repo, hook } = hooks.get(ctx.caller, repoRef(ctx), ctx.params.uid);
      return ok(renderHook(ctx, repo, hook));
    },
  },
  {
    method: "PUT",
    template: "/repositories/{workspace}/{repo_slug}/hooks/{uid}",
    handler: (ctx, hooks) => {
      const { repo, hook } = hooks.update(ctx.caller, repoRef(ctx), ctx.params.uid, bodyObject(ctx));
      return ok(renderHook(ctx, repo, hook));
    },
  },
  {
    method: "DELETE",
    template: "/repositories/{workspace}/{repo_slug}/hooks/{uid}",
    handler: (ctx, hooks) => {
      hooks.delete(ctx.caller, repoRef(ctx), ctx.params.uid);
      return noContent();
    },
  },
];
