// What a repository holds as the state keeps it: commits, branches, tags, pull requests.
import { createHash } from "crypto";

export interface Commit {
  hash: string;
  message: string;
  date: string;
  authorUuid: string;
  parents: string[];
  /** The files the commit changed (a clean merge changes none of its own); absent in older data files, which then match no `path=`. */
  paths?: string[];
  /** The author as given to `POST …/src` (`Name <email>`); absent: the user of `authorUuid`. */
  authorRaw?: string;
  /**
   * The whole tree at this commit. Absent on seeded commits until the repository's first commit through
   * `POST …/src`, which gives every commit its tree (the repository's one tree until then).
   */
  files?: Record<string, string>;
}

export interface Branch {
  name: string;
  target: string;
}

export interface Tag {
  name: string;
  target: string;
  message: string;
  date: string;
  taggerUuid: string;
}

export interface PullRequest {
  id: number;
  title: string;
  description: string;
  state: "OPEN" | "MERGED" | "DECLINED" | "SUPERSEDED";
  authorUuid: string;
  sourceBranch: string;
  destinationBranch: string;
  created_on: string;
  updated_on: string;
}

/** The files at `commit`: its own tree, or the repository's one tree for a commit that has none. */
export function treeAt(repo: { files: Record<string, string> }, commit: Commit): Record<string, string> {
  return commit.files ?? repo.files;
}

export function commitHash(seed: string): string {
  return createHash("sha1").update(seed).digest("hex");
}
