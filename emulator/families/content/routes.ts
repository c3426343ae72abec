// A repository's content: refs, commits, pull requests, watchers, and the source tree (`src`), read;
// new commits through `POST …/src` (a form body).
import { badRequest } from "../../errors";
import { api } from "../../view";
import { repoPath } from "../repositories/render";
import { workspaceOf } from "../../access";
import { Ctx, ok, paginate, Reply } from "../../http";
import { repoRef, Route } from "../../route";
import { renderUser } from "../workspaces/render";
import type { CommitRequest, Content, Source } from "./backend";
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

/** The spec's metadata fields of `POST …/src`; every other field (and any with a leading slash or a filename) is a file. */
const META = new Set(["message", "author", "parents", "files", "branch"]);

/** Reads the form of `POST …/src`: a field named like a metadata field is metadata unless it came as a file. */
function commitRequest(ctx: Ctx): CommitRequest {
  if (!ctx.form) throw badRequest("POST …/src takes a form body: multipart/form-data or application/x-www-form-urlencoded");
  const meta = (name: string) => ctx.form!.filter((f) => f.name === name && f.filename === undefined).map((f) => f.value);
  const once = (name: string) => {
    const values = meta(name);
    if (values.length > 1) throw badRequest(`${name}: cannot be repeated`);
    return values[0];
  };
  return {
    uploads: ctx.form.filter((f) => f.filename !== undefined || !META.has(f.name)).map((f) => [f.name, f.value]),
    files: meta("files"),
    message: once("message"),
    author: once("author"),
    branch: once("branch"),
    // Several parents were deprecated: "Only a single SHA1 is accepted."
    parent: once("parents"),
  };
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
  {
    method: "POST",
    template: "/repositories/{workspace}/{repo_slug}/src",
    handler: (ctx, content) => {
      const { repo, commit } = content.commit(ctx.caller, repoRef(ctx), commitRequest(ctx));
      // The spec answers 201 with no body; Bitbucket also sends the new commit's address.
      return { status: 201, headers: { Location: api(ctx, `${repoPath(workspaceOf(ctx.state, repo), repo)}/commit/${commit.hash}`) } };
    },
  },
];
