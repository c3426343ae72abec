// Read endpoints for the workspace, the caller, and a repository's content (refs, commits, pull requests, files, watchers).
import { canSeeWorkspace, requireRepository, requireWorkspace } from "../access";
import { Ctx, forbidden, notFound, paginate, Reply } from "../http";
import { renderBranch, renderCommit, renderFileEntry, renderPullRequest, renderTag, renderUser, renderWorkspace } from "../render";
import type { Commit, Repository } from "../store";
import type { Route } from "./route";

function resolveRevision(repo: Repository, rev: string): Commit {
  const ref = repo.branches.find((b) => b.name === rev) ?? repo.tags.find((t) => t.name === rev);
  const hash = ref?.target ?? rev;
  const commit = hash.length >= 7 ? repo.commits.find((c) => c.hash.startsWith(hash.toLowerCase())) : undefined;
  if (!commit) throw notFound(`Commit ${rev} not found`);
  return commit;
}

function listDirectory(ctx: Ctx, repo: Repository, commit: Commit, dir: string): Reply {
  const prefix = dir ? `${dir}/` : "";
  const entries = new Map<string, boolean>();
  for (const path of Object.keys(repo.files)) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash < 0) entries.set(path, false);
    else entries.set(prefix + rest.slice(0, slash), true);
  }
  if (dir && entries.size === 0) throw notFound(`No such file or directory: ${dir}`);
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : 1));
  return paginate(
    ctx,
    sorted.map(([path, isDir]) => renderFileEntry(ctx, repo, commit, path, isDir)),
  );
}

function source(ctx: Ctx, repo: Repository, rev: string, rawPath: string): Reply {
  const commit = resolveRevision(repo, rev);
  const path = rawPath.replace(/^\/+|\/+$/g, "");
  if (path in repo.files) {
    if (ctx.query.get("format") === "meta") return { status: 200, body: renderFileEntry(ctx, repo, commit, path, false) };
    return { status: 200, text: repo.files[path] };
  }
  return listDirectory(ctx, repo, commit, path);
}

export const contentRoutes: Route[] = [
  {
    method: "GET",
    template: "/workspaces/{workspace}",
    handler: (ctx) => {
      const ws = requireWorkspace(ctx);
      if (!canSeeWorkspace(ctx.caller!, ws)) throw notFound(`Workspace ${ctx.params.workspace} not found`);
      return { status: 200, body: renderWorkspace(ctx, ws, true) };
    },
  },
  {
    method: "GET",
    template: "/user",
    handler: (ctx) => {
      if (ctx.caller!.kind !== "user") throw forbidden("Access tokens are not tied to a user account");
      return { status: 200, body: { ...renderUser(ctx, ctx.caller!.user), created_on: ctx.caller!.user.created_on, account_status: "active" } };
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/refs/branches",
    handler: (ctx) => {
      const { repo } = requireRepository(ctx);
      return paginate(
        ctx,
        repo.branches.map((b) => renderBranch(ctx, repo, b)),
      );
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/refs/tags",
    handler: (ctx) => {
      const { repo } = requireRepository(ctx);
      return paginate(
        ctx,
        repo.tags.map((t) => renderTag(ctx, repo, t)),
      );
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/commits",
    handler: (ctx) => {
      const { repo } = requireRepository(ctx);
      const newestFirst = [...repo.commits].sort((a, b) => Date.parse(b.date) - Date.parse(a.date));
      return paginate(
        ctx,
        newestFirst.map((c) => renderCommit(ctx, repo, c)),
        { defaultPagelen: 30, query: false },
      );
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/pullrequests",
    handler: (ctx) => {
      const { repo } = requireRepository(ctx);
      const states = ctx.query.getAll("state").map((s) => s.toUpperCase());
      const wanted = states.length ? states : ["OPEN"];
      const prs = repo.pullrequests.filter((p) => wanted.includes(p.state));
      return paginate(
        ctx,
        prs.map((p) => renderPullRequest(ctx, repo, p)),
      );
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/src",
    handler: (ctx) => {
      const { repo } = requireRepository(ctx);
      return source(ctx, repo, repo.mainbranch, "");
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/src/{commit}/{path}",
    handler: (ctx) => {
      const { repo } = requireRepository(ctx);
      return source(ctx, repo, ctx.params.commit, ctx.params.path ?? "");
    },
  },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/watchers",
    handler: (ctx) => {
      const { repo } = requireRepository(ctx);
      const watchers = repo.watcherUuids.map((u) => ctx.state.users.find((x) => x.uuid === u)!).filter(Boolean);
      return paginate(
        ctx,
        watchers.map((u) => renderUser(ctx, u)),
        { query: false },
      );
    },
  },
];
