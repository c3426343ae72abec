// /repositories/{workspace}/{repo_slug}/default-reviewers[/{target_username}] (reviewers render as the
// spec's account, a user), …/effective-default-reviewers and
// /workspaces/{workspace}/projects/{project_key}/default-reviewers[/{selected_user}] (listed as the
// spec's default_reviewer_and_type: `{type: "default_reviewer", reviewer_type, user}`).
import { noContent, ok, paginate } from "../../http";
import { repoRef, Route } from "../../route";
import { renderUser } from "../workspaces/render";
import type { DefaultReviewers, TypedReviewer } from "./backend";
import type { Ctx } from "../../http";

const REVIEWERS = "/repositories/{workspace}/{repo_slug}/default-reviewers";
const REVIEWER = `${REVIEWERS}/{target_username}`;
const PROJECT_REVIEWERS = "/workspaces/{workspace}/projects/{project_key}/default-reviewers";
const PROJECT_REVIEWER = `${PROJECT_REVIEWERS}/{selected_user}`;

const typed = (ctx: Ctx, r: TypedReviewer) => ({ type: "default_reviewer", reviewer_type: r.reviewerType, user: renderUser(ctx, r.user) });

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

  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/effective-default-reviewers",
    handler: (ctx, reviewers) =>
      paginate(
        ctx,
        reviewers.effective(ctx.caller, repoRef(ctx)).map((r) => typed(ctx, r)),
        { query: false },
      ),
  },
  {
    method: "GET",
    template: PROJECT_REVIEWERS,
    handler: (ctx, reviewers) =>
      paginate(
        ctx,
        reviewers.listOfProject(ctx.caller, ctx.params.workspace, ctx.params.project_key).map((user) => typed(ctx, { user, reviewerType: "project" })),
        { query: false },
      ),
  },
  {
    method: "GET",
    template: PROJECT_REVIEWER,
    handler: (ctx, reviewers) =>
      ok(renderUser(ctx, reviewers.getOfProject(ctx.caller, ctx.params.workspace, ctx.params.project_key, ctx.params.selected_user))),
  },
  {
    method: "PUT",
    template: PROJECT_REVIEWER,
    handler: (ctx, reviewers) =>
      ok(renderUser(ctx, reviewers.addToProject(ctx.caller, ctx.params.workspace, ctx.params.project_key, ctx.params.selected_user))),
  },
  {
    method: "DELETE",
    template: PROJECT_REVIEWER,
    handler: (ctx, reviewers) => {
      reviewers.removeFromProject(ctx.caller, ctx.params.workspace, ctx.params.project_key, ctx.params.selected_user);
      return noContent();
    },
  },
];
