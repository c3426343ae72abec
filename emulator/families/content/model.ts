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

export function commitHash(seed: string): string {
  return createHash("sha1").update(seed).digest("hex");
}
