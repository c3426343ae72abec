// /repositories/{workspace}/{repo_slug}/default-reviewers[/{target_username}]: reviewers render as the
// spec's account (a user).
import { noContent, ok, paginate } from "../../http";
import { repoRef, Route } from "../../route";
import { renderUser } from "../workspaces/render";
import type { DefaultReviewers } from "./backend";

const REVIEWERS = "/repositories/{workspace}/{repo_slug}/default-reviewers";
const REVIEWER = `${REVIEWERS}/{target_username}`;

export const defaultReviewerRoutes: Route<DefaultReviewers>[] = [
  {
    method: "GET",
    template: REVIEWERS,
    handler: (ctx, reviewers) =>
      paginate(
        ctx,
        reviewers.list(ctx.caller, repoRef(ctx)).map((u) => renderUser(ctx, u)),
        { query: false },
      ),
  },
  {
    method: "GET",
    template: REVIEWER,
    handler: (ctx, reviewers) => ok(renderUser(ctx, reviewers.get(ctx.caller, repoRef(ctx), ctx.params.target_username))),
  },
  {
    method: "PUT",
    template: REVIEWER,
    handler: (ctx, reviewers) => ok(renderUser(ctx, reviewers.add(ctx.caller, repoRef(ctx), ctx.params.target_username))),
  },
  {
    method: "DELETE",
    template: REVIEWER,
    handler: (ctx, reviewers) => {
      reviewers.remove(ctx.caller, repoRef(ctx), ctx.params.target_username);
      return noContent();
    },
  },
];
