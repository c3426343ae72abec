// /repositories/{workspace}/{repo_slug}/branch-restrictions[/{id}].
import { bodyObject, created, noContent, ok, paginate } from "../../http";
import { repoRef, Route } from "../../route";
import { repoUrl } from "../repositories/render";
import type { BranchRestrictions } from "./backend";
import { renderBranchRestriction } from "./render";

const LIST = "/repositories/{workspace}/{repo_slug}/branch-restrictions";
const ONE = `${LIST}/{id}`;

export const restrictionRoutes: Route<BranchRestrictions>[] = [
  {
    method: "GET",
    template: LIST,
    handler: (ctx, restrictions) => {
      const filter = { kind: ctx.query.get("kind") ?? undefined, pattern: ctx.query.get("pattern") ?? undefined };
      const { repo, restrictions: listed } = restrictions.list(ctx.caller, repoRef(ctx), filter);
      return paginate(
        ctx,
        listed.map((r) => renderBranchRestriction(ctx, repo, r)),
        { query: false },
      );
    },
  },
  {
    method: "POST",
    template: LIST,
    handler: (ctx, restrictions) => {
      const { repo, restriction } = restrictions.create(ctx.caller, repoRef(ctx), bodyObject(ctx));
      return created(renderBranchRestriction(ctx, repo, restriction), { Location: `${repoUrl(ctx, repo)}/branch-restrictions/${restriction.id}` });
    },
  },
  {
    method: "GET",
    template: ONE,
    handler: (ctx, restrictions) => {
      const { repo, restriction } = restrictions.get(ctx.caller, repoRef(ctx), ctx.params.id);
      return ok(renderBranchRestriction(ctx, repo, restriction));
    },
  },
  {
    method: "PUT",
    template: ONE,
    handler: (ctx, restrictions) => {
      const { repo, restriction } = restrictions.update(ctx.caller, repoRef(ctx), ctx.params.id, bodyObject(ctx));
      return ok(renderBranchRestriction(ctx, repo, restriction));
    },
  },
  {
    method: "DELETE",
    template: ONE,
    handler: (ctx, restrictions) => {
      restrictions.delete(ctx.caller, repoRef(ctx), ctx.params.id);
      return noContent();
    },
  },
];
