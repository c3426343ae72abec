// What a repository holds: refs, commits, pull requests, watchers and the source tree, read; and new
// commits through `POST …/src`. Seeded commits share the repository's one tree until the first such
// commit gives every commit a tree of its own.
import { RepoRef, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import type { Db } from "../../db";
import { ApiError, badRequest, invalidField, notFound } from "../../errors";
import { ownValue } from "../../records";
import type { Repository } from "../repositories/model";
import type { User } from "../workspaces/model";
import { commitHash, treeAt, type Commit, type PullRequest } from "./model";

/** A file or directory of the source tree at a commit. */
export interface TreeEntry {
  path: string;
  isDir: boolean;
}

export type Source =
  | { kind: "file"; repo: Repository; commit: Commit; path: string; content: string }
  | { kind: "directory"; repo: Repository; commit: Commit; path: string; entries: TreeEntry[] };

function resolveRevision(repo: Repository, rev: string): Commit {
  const ref = repo.branches.find((b) => b.name === rev) ?? repo.tags.find((t) => t.name === rev);
  const hash = ref?.target ?? rev;
  const commit = hash.length >= 7 ? repo.commits.find((c) => c.hash.startsWith(hash.toLowerCase())) : undefined;
  if (!commit) throw notFound(`Commit ${rev} not found`);
  return commit;
}

/** Which commits `GET …/commits` lists; `include` and `exclude` hold branches, tags or commit hashes. */
export interface CommitFilter {
  include: string[];
  exclude: string[];
  path?: string;
}

function allRefTargets(repo: Repository): Commit[] {
  return [...repo.branches, ...repo.tags].map((r) => repo.commits.find((c) => c.hash === r.target)!);
}

/** The commits themselves and every commit reachable from them through parents. */
function ancestry(repo: Repository, from: Commit[]): Set<Commit> {
  const byHash = new Map(repo.commits.map((c) => [c.hash, c]));
  const seen = new Set<Commit>();
  const todo = [...from];
  for (let c = todo.pop(); c; c = todo.pop()) {
    if (seen.has(c)) continue;
    seen.add(c);
    todo.push(...c.parents.map((h) => byHash.get(h)).filter((p): p is Commit => p !== undefined));
  }
  return seen;
}

/** The direct children of `dir` ("" is the root), directories and files together in path order. */
function children(tree: Record<string, string>, dir: string): TreeEntry[] {
  const prefix = dir ? `${dir}/` : "";
  const entries = new Map<string, boolean>();
  for (const path of Object.keys(tree)) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash < 0) entries.set(path, false);
    else entries.set(prefix + rest.slice(0, slash), true);
  }
  return [...entries].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, isDir]) => ({ path, isDir }));
}

/** The spec: `max_depth` walks breadth-first, the direct contents first, then each level below. */
function walk(tree: Record<string, string>, dir: string, maxDepth: number): TreeEntry[] {
  const out: TreeEntry[] = [];
  let level = [dir];
  for (let depth = 1; depth <= maxDepth && level.length; depth++) {
    const found = level.flatMap((d) => children(tree, d));
    out.push(...found);
    level = found.filter((e) => e.isDir).map((e) => e.path);
  }
  return out;
}

export class Content {
  constructor(private readonly db: Db) {}

  repository(caller: Caller, ref: RepoRef): Repository {
    return requireRepository(this.db, caller, ref, "read").repo;
  }

  /**
   * `git log include… ^exclude… -- path`, newest first: the commits reachable from the included revisions
   * (every branch and tag when none is given) and not from the excluded ones; with a path, only the
   * commits that changed that file or a file under that directory.
   */
  commits(caller: Caller, ref: RepoRef, filter: CommitFilter): { repo: Repository; commits: Commit[] } {
    const repo = this.repository(caller, ref);
    const resolve = (rev: string) => resolveRevision(repo, rev);
    const starts = filter.include.length ? filter.include.map(resolve) : allRefTargets(repo);
    const excluded = ancestry(repo, filter.exclude.map(resolve));
    const path = filter.path?.replace(/^\/+|\/+$/g, "");
    const touches = (c: Commit) => !path || (c.paths ?? []).some((p) => p === path || p.startsWith(`${path}/`));
    const commits = [...ancestry(repo, starts)].filter((c) => !excluded.has(c) && touches(c));
    return { repo, commits: commits.sort((a, b) => Date.parse(b.date) - Date.parse(a.date)) };
  }

  /** Pull requests in the given states (OPEN when none is given, as the service does). */
  pullRequests(caller: Caller, ref: RepoRef, states: string[]): { repo: Repository; pullRequests: PullRequest[] } {
    const repo = this.repository(caller, ref);
    const wanted = states.length ? states.map((s) => s.toUpperCase()) : ["OPEN"];
    return { repo, pullRequests: repo.pullrequests.filter((p) => wanted.includes(p.state)) };
  }

  watchers(caller: Caller, ref: RepoRef): User[] {
    const repo = this.repository(caller, ref);
    return repo.watcherUuids.map((u) => this.db.state.users.find((x) => x.uuid === u)!).filter(Boolean);
  }

  /** A file, or a directory's entries down to `maxDepth` levels; `rev` is a branch, a tag or a commit hash. */
  source(caller: Caller, ref: RepoRef, rev: string | null, rawPath: string, maxDepth: number): Source {
    if (!Number.isInteger(maxDepth) || maxDepth < 1) throw badRequest("max_depth: must be a positive integer");
    const repo = this.repository(caller, ref);
    const commit = resolveRevision(repo, rev ?? repo.mainbranch);
    const path = rawPath.replace(/^\/+|\/+$/g, "");
    const tree = treeAt(repo, commit);
    const content = ownValue(tree, path);
    if (content !== undefined) return { kind: "file", repo, commit, path, content };
    const entries = walk(tree, path, maxDepth);
    if (path && entries.length === 0) throw notFound(`No such file or directory: ${path}`);
    return { kind: "directory", repo, commit, path, entries };
  }

  /**
   * `POST …/src`: one commit on `branch` (the main branch when absent) writing `uploads` and deleting the
   * paths of `files` that are not uploaded. A missing branch is created from `parents` or the main
   * branch's head; with `parents` on an existing branch, the branch's head must be that commit (409).
   */
  commit(caller: Caller, ref: RepoRef, request: CommitRequest): { repo: Repository; commit: Commit } {
    const { ws, repo } = requireRepository(this.db, caller, ref, "write");
    const author = request.author;
    if (author !== undefined && !AUTHOR.test(author)) throw invalidField("author", `must be "Full Name <email>", got ${JSON.stringify(author)}`);
    const uploads = new Map<string, string>();
    for (const [name, content] of request.uploads) uploads.set(repoPath(name), content);
    const removed = request.files.map(repoPath).filter((p) => !uploads.has(p));
    const branchName = request.branch ?? repo.mainbranch;
    if (!isBranchName(branchName)) throw invalidField("branch", `${JSON.stringify(branchName)} is not a valid branch name`);
    const branch = repo.branches.find((b) => b.name === branchName);
    const head = (hash: string) => repo.commits.find((c) => c.hash === hash)!;
    let parent: Commit;
    if (request.parent !== undefined) {
      const wanted = repo.commits.find((c) => request.parent!.length >= 7 && c.hash.startsWith(request.parent!.toLowerCase()));
      if (!wanted) throw notFound(`Commit ${request.parent} not found`);
      if (branch && branch.target !== wanted.hash) throw new ApiError(409, `parents: ${request.parent} is not the head of ${branchName}`);
      parent = wanted;
    } else {
      parent = head((branch ?? repo.branches.find((b) => b.name === repo.mainbranch)!).target);
    }
    // The first commit with trees of their own: every earlier commit keeps the tree it showed.
    for (const c of repo.commits) c.files ??= { ...repo.files };
    const tree = { ...treeAt(repo, parent) };
    for (const p of removed) delete tree[p];
    for (const [p, content] of uploads) {
      if (Object.keys(tree).some((q) => q.startsWith(`${p}/`))) throw badRequest(`${p} is a directory`);
      delete tree[p];
      tree[p] = content;
    }
    const now = new Date(this.db.now()).toISOString();
    const commit: Commit = {
      hash: commitHash(`${repo.uuid}/${parent.hash}/${repo.commits.length}/${now}`),
      message: request.message ?? "Edited online with Bitbucket",
      date: now,
      authorUuid: caller.kind === "user" ? caller.user.uuid : ws.ownerUuid,
      parents: [parent.hash],
      paths: [...uploads.keys(), ...removed],
      ...(author !== undefined ? { authorRaw: author } : {}),
      files: tree,
    };
    repo.commits.push(commit);
    if (branch) branch.target = commit.hash;
    else repo.branches.push({ name: branchName, target: commit.hash });
    if (branchName === repo.mainbranch) repo.files = { ...tree };
    repo.updated_on = now;
    return { repo, commit };
  }
}

/** What `POST …/src` asks: files by path, paths to delete, and the commit's metadata. */
export interface CommitRequest {
  uploads: [string, string][];
  files: string[];
  message?: string;
  author?: string;
  branch?: string;
  parent?: string;
}

/** `Full Name <email>`, as `git commit --author` takes it. */
const AUTHOR = /^[^<>\n]*[^<>\s][^<>\n]* <[^<>\s@]+@[^<>\s@]+>$/;

/** A path of the repository: absolute from its root whatever the leading slash; no empty, `.` or `..` segment. */
function repoPath(name: string): string {
  const path = name.replace(/^\/+/, "");
  if (!path || path.split("/").some((s) => s === "" || s === "." || s === ".." || s === ".git"))
    throw badRequest(`Invalid path ${JSON.stringify(name)}: a file path must not be empty, end in "/", nor hold an empty, ".", ".." or ".git" segment`);
  return path;
}

/** git check-ref-format, briefly: no space, control character, `~^:?*[\\`, `..`, `@{`, leading `-` or `/`, trailing `/`, `.` or `.lock`. */
function isBranchName(name: string): boolean {
  return (
    name.length > 0 &&
    // eslint-disable-next-line no-control-regex
    !/[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|\/\.|^[-/.]|[/.]$|\.lock$/.test(name)
  );
}
