// A repository's content, read only: refs, commits, pull requests, watchers, and the source tree (`src`).
import { badRequest } from "../../errors";
import { Ctx, ok, paginate, Reply } from "../../http";
import { repoRef, Route } from "../../route";
import { renderUser } from "../workspaces/render";
import type { Content, Source } from "./backend";
import { renderBranch, renderCommit, renderFileEntry, renderPullRequest, renderRenderedFile, renderTag } from "./render";

/** `format=meta`: the entry itself; `format=rendered`: a markup file as HTML; otherwise raw content or a listing. */
function renderSource(ctx: Ctx, src: Source): Reply {
  const format = ctx.query.get("format");
  if (format !== null && format !== "meta" && format !== "rendered") throw badRequest(`format: must be meta or rendered, got ${format}`);
  const { repo, commit, path } = src;
  if (format === "meta") return ok(renderFileEntry(ctx, repo, commit, path, src.kind === "directory"));
  if (src.kind === "directory") {
    if (format === "rendered") throw badRequest("format=rendered applies to files, not to directories");
    return paginate(
      ctx,
      src.entries.map((e) => renderFileEntry(ctx, repo, commit, e.path, e.isDir)),
    );
  }
  if (format === "rendered") return ok(renderRenderedFile(path, src.content));
  return { status: 200, text: src.content };
}

/** `…/commits/{revision}` lists what `…/commits?include={revision}` does (the spec: `git log revision include… ^exclude…`). */
function listCommits(ctx: Ctx, content: Content, revisions: string[]): Reply {
  const filter = { include: [...revisions, ...ctx.query.getAll("include")], exclude: ctx.query.getAll("exclude"), path: ctx.query.get("path") ?? undefined };
  const { repo, commits } = content.commits(ctx.caller, repoRef(ctx), filter);
  return paginate(
    ctx,
    commits.map((c) => renderCommit(ctx, repo, c)),
    { defaultPagelen: 30, query: false },
  );
}

function maxDepth(ctx: Ctx): number {
  return Number(ctx.query.get("max_depth") ?? 1);
}

export const contentRoutes: Route<Content>[] = [
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/refs/branches",
    handler: (ctx, content) => {
      const repo = content.repository(ctx.caller, repoRef(ctx));
      return paginate(
        ctx,
        repo.branches.map((b) => renderBranch(ctx, repo, b)),
      );
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/refs/tags",
    handler: (ctx, content) => {
      const repo = content.repository(ctx.caller, repoRef(ctx));
      return paginate(
        ctx,
        repo.tags.map((t) => renderTag(ctx, repo, t)),
      );
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/commits",
    handler: (ctx, content) => listCommits(ctx, content, []),
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/commits/{revision}",
    handler: (ctx, content) => listCommits(ctx, content, [ctx.params.revision]),
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/pullrequests",
    handler: (ctx, content) => {
      const { repo, pullRequests } = content.pullRequests(ctx.caller, repoRef(ctx), ctx.query.getAll("state"));
      return paginate(
        ctx,
        pullRequests.map((p) => renderPullRequest(ctx, repo, p)),
      );
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/watchers",
    handler: (ctx, content) =>
      paginate(
        ctx,
        content.watchers(ctx.caller, repoRef(ctx)).map((u) => renderUser(ctx, u)),
        { query: false },
      ),
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/src",
    handler: (ctx, content) => renderSource(ctx, content.source(ctx.caller, repoRef(ctx), null, "", maxDepth(ctx))),
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/src/{commit}/{path}",
    handler: (ctx, content) => renderSource(ctx, content.source(ctx.caller, repoRef(ctx), ctx.params.commit, ctx.params.path ?? "", maxDepth(ctx))),
  },
];
