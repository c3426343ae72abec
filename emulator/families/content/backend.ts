// What a repository holds, read only: refs, commits, pull requests, watchers and the source tree.
// The emulator keeps one tree for the whole history, so every revision shows the same files.
import { RepoRef, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import type { Db } from "../../db";
import { badRequest, notFound } from "../../errors";
import { ownValue } from "../../records";
import type { Repository } from "../repositories/model";
import type { User } from "../workspaces/model";
import type { Commit, PullRequest } from "./model";

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
function children(repo: Repository, dir: string): TreeEntry[] {
  const prefix = dir ? `${dir}/` : "";
  const entries = new Map<string, boolean>();
  for (const path of Object.keys(repo.files)) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash < 0) entries.set(path, false);
    else entries.set(prefix + rest.slice(0, slash), true);
  }
  return [...entries].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, isDir]) => ({ path, isDir }));
}

/** The spec: `max_depth` walks breadth-first, the direct contents first, then each level below. */
function walk(repo: Repository, dir: string, maxDepth: number): TreeEntry[] {
  const out: TreeEntry[] = [];
  let level = [dir];
  for (let depth = 1; depth <= maxDepth && level.length; depth++) {
    const found = level.flatMap((d) => children(repo, d));
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
    const content = ownValue(repo.files, path);
    if (content !== undefined) return { kind: "file", repo, commit, path, content };
    const entries = walk(repo, path, maxDepth);
    if (path && entries.length === 0) throw notFound(`No such file or directory: ${path}`);
    return { kind: "directory", repo, commit, path, entries };
  }
}
