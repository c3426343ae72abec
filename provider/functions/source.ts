// Files of a repository at a branch, tag or commit: a directory's tree and a file's contents.
import { z } from "zod";
import type { TreeEntryObject } from "../client/reads";
import { NotAPageError } from "../client/paginate";
import type { Client } from "../client";
import { FilePath, InRepository, inRepository, Limit, readRepository, repositoryFunction, RepositoryName, RepositoryRef, Revision } from "./common";

export interface TreeEntry {
  /** From the repository's root, e.g. `src/index.ts`. */
  path: string;
  type: "file" | "directory";
  /** Files: in bytes. */
  size?: number;
  /** `executable`, `link`, `subrepository`, `lfs`... */
  attributes?: string[];
}

function toEntry(e: TreeEntryObject): TreeEntry {
  return { path: e.path, type: e.type === "commit_directory" ? "directory" : "file", size: e.size, attributes: e.attributes };
}

interface AtArgs extends RepositoryRef {
  /** A branch, tag or commit hash. Default: the repository's main branch. */
  at?: string;
}

/** The revision asked for, or the main branch (one more request). */
async function revision(client: Client, repo: RepositoryName, at: string | undefined): Promise<string> {
  if (at) return at;
  const details = await readRepository(client, repo);
  if (!details.mainbranch?.name) throw new Error(`${repo.workspace}/${repo.slug} has no main branch (an empty repository): there are no files to read.`);
  return details.mainbranch.name;
}

export interface GetFileTreeArgs extends AtArgs {
  /** A directory. Default: the root. */
  path?: string;
  /** How many levels to list: 1 is the directory's own entries. Default 1. (Bitbucket's `max_depth`.) */
  depth?: number;
  /** Most entries to return (shallower ones first). Default: all. */
  limit?: number;
}

export interface GetFileTreeResult extends InRepository {
  at: string;
  path: string;
  /** Sorted by path. */
  entries: TreeEntry[];
}

export const MAX_DEPTH = 20;

const FileTree = RepositoryRef.extend({
  at: Revision.optional(),
  path: FilePath.optional(),
  depth: z.number().int().min(1, "must be at least 1").max(MAX_DEPTH, `must be at most ${MAX_DEPTH}`).optional(),
  limit: Limit,
});

export const { promise: getFileTree, output: getFileTreeOutput } = repositoryFunction(
  "getFileTree",
  FileTree,
  async (args: GetFileTreeArgs, repo, client): Promise<Omit<GetFileTreeResult, keyof InRepository>> => {
    const at = await revision(client, repo, args.at);
    const path = args.path ?? "";
    const what = `directory "${path}" at "${at}"`;
    const list = () => client.reads.directory(repo.workspace, repo.slug, at, path, { maxDepth: args.depth, limit: args.limit });
    const entries = await inRepository(client, repo, list, what).catch((err) => {
      if (err instanceof NotAPageError)
        throw new Error(`${repo.workspace}/${repo.slug}: "${path}" at "${at}" is a file, not a directory: read it with getFileContent.`);
      throw err;
    });
    const sorted = entries.map(toEntry).sort((a, b) => (a.path < b.path ? -1 : 1));
    return { at, path, entries: sorted };
  },
);

export interface GetFileContentArgs extends AtArgs {
  /** The file, from the repository's root. */
  path: string;
}

export interface GetFileContentResult extends InRepository {
  at: string;
  path: string;
  /** The commit the file was read at. */
  commit?: string;
  /** In bytes. */
  size?: number;
  /** The contents, decoded as UTF-8. */
  content: string;
}

const FileContent = RepositoryRef.extend({ at: Revision.optional(), path: FilePath.refine((p) => p !== "", "must name a file") });

export const { promise: getFileContent, output: getFileContentOutput } = repositoryFunction(
  "getFileContent",
  FileContent,
  async (args: GetFileContentArgs, repo, client): Promise<Omit<GetFileContentResult, keyof InRepository>> => {
    const at = await revision(client, repo, args.at);
    const what = `file "${args.path}" at "${at}"`;
    // The description first: it tells a file from a directory, and gives the size and the commit.
    const meta = await inRepository(client, repo, () => client.reads.pathMeta(repo.workspace, repo.slug, at, args.path), what);
    if (meta?.type !== "commit_file")
      throw new Error(`${repo.workspace}/${repo.slug}: "${args.path}" at "${at}" is a directory, not a file: list it with getFileTree.`);
    const content = await inRepository(client, repo, () => client.reads.fileText(repo.workspace, repo.slug, at, args.path), what);
    return { at, path: args.path, commit: meta.commit?.hash, size: meta.size, content };
  },
);
