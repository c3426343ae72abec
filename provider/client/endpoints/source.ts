// A repository's files at a revision (`src`): `path` "" is the root directory.
import { z } from "zod";
import { EndpointContext, ListOptions, maybe, REPOSITORY, repositoryParams } from "./context";

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
