// A repository's files at a revision (`src`): `path` "" is the root directory.
import { z } from "zod";
import { EndpointContext, lastSegment, ListOptions, maybe, REPOSITORY, repositoryParams } from "./context";

/** An entry of a directory listing, or a file's `format=meta`. */
export const TreeEntryObject = z.looseObject({
  type: z.string(),
  path: z.string(),
  size: maybe(z.number()),
  mimetype: maybe(z.string()),
  attributes: maybe(z.array(z.string())),
  commit: z.looseObject({ hash: z.string() }).nullish(),
});
export type TreeEntryObject = z.infer<typeof TreeEntryObject>;

const src = (workspace: string, repoSlug: string, revision: string, path: string) => ({
  route: path ? `${REPOSITORY}/src/{commit}/{path}` : `${REPOSITORY}/src/{commit}/`,
  params: { ...repositoryParams(workspace, repoSlug), commit: revision, ...(path ? { path } : {}) },
  multiSegment: ["path"],
});

export function sourceReads(c: EndpointContext) {
  return {
    /** A directory's entries, breadth-first down to `maxDepth` levels (1: its own entries). */
    directory: (workspace: string, repoSlug: string, revision: string, path: string, options: ListOptions & { maxDepth?: number } = {}) => {
      const { route, params, multiSegment } = src(workspace, repoSlug, revision, path);
      const maxDepth = options.maxDepth && options.maxDepth > 1 ? options.maxDepth : undefined;
      return c.list(TreeEntryObject, route, params, options, { multiSegment, query: { max_depth: maxDepth } });
    },
    /** A file's or directory's description; undefined when the answer is not one (a directory listing). */
    pathMeta: async (workspace: string, repoSlug: string, revision: string, path: string): Promise<TreeEntryObject | undefined> => {
      const { route, params, multiSegment } = src(workspace, repoSlug, revision, path);
      return TreeEntryObject.safeParse(await c.get(z.unknown(), route, params, { multiSegment, query: { format: "meta" } })).data;
    },
    fileText: async (workspace: string, repoSlug: string, revision: string, path: string): Promise<string> => {
      const { route, params, multiSegment } = src(workspace, repoSlug, revision, path);
      return (await c.send<string>({ method: "GET", route, params, multiSegment, text: true })).body;
    },
  };
}

/** One commit of `POST …/src`: files written (path → UTF-8 text) and paths deleted, on `branch`. */
export interface CommitFilesBody {
  branch: string;
  message?: string;
  /** `Name <email>`. */
  author?: string;
  write?: Record<string, string>;
  remove?: string[];
}

export function sourceEndpoints(c: EndpointContext) {
  return {
    /** A file's text at a revision (a branch's head when `revision` is a branch). */
    readFile: async (workspace: string, repoSlug: string, revision: string, path: string): Promise<string> =>
      sourceReads(c).fileText(workspace, repoSlug, revision, path),
    /**
     * One commit on top of `branch` (never a rewrite: no parents are sent, so Bitbucket puts it on the
     * branch's head). Each file goes as a file part named by its path with a leading slash, so a file
     * named like a metadata field (`message`) stays a file. Answers the new commit's hash when Bitbucket
     * sends its address. Not idempotent: a caller resending after a lost answer looks first (createOnce).
     */
    async commitFiles(workspace: string, repoSlug: string, body: CommitFilesBody): Promise<{ commit?: string }> {
      const multipart = [
        ...Object.entries(body.write ?? {}).map(([path, value]) => ({ name: `/${path}`, value, filename: path.split("/").pop() })),
        ...(body.remove ?? []).map((path) => ({ name: "files", value: `/${path}` })),
        { name: "branch", value: body.branch },
        ...(body.message !== undefined ? [{ name: "message", value: body.message }] : []),
        ...(body.author !== undefined ? [{ name: "author", value: body.author }] : []),
      ];
      const res = await c.send({ method: "POST", route: `${REPOSITORY}/src`, params: repositoryParams(workspace, repoSlug), multipart });
      return { commit: lastSegment(res.headers.get("location")) };
    },
  };
}
