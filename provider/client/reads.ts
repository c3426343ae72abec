// One typed function per endpoint the read functions use (provider/functions/). Like api.ts, only this
// file knows the paths; bodies are parsed loosely with zod (unknown fields pass through).
import { z } from "zod";
import { RepositoryObject } from "./api";
import { RequestSpec, Send } from "./http";
import { countValues, MAX_PAGES, paginate } from "./paginate";

const Link = z.looseObject({ href: z.string() });
/** Absent or null in the answer: undefined in the result. */
const maybe = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const Links = z.looseObject({ html: Link.optional() }).nullish();

export const AccountObject = z.looseObject({
  uuid: z.string().optional(),
  account_id: z.string().optional(),
  display_name: z.string().optional(),
  nickname: z.string().optional(),
  type: z.string().optional(),
  links: Links,
});
export type AccountObject = z.infer<typeof AccountObject>;

export const RepositoryDetails = RepositoryObject.extend({
  scm: maybe(z.string()),
  owner: AccountObject.nullish(),
  project: z.looseObject({ key: z.string(), uuid: z.string().optional(), name: z.string().optional() }).nullish(),
  created_on: maybe(z.string()),
  updated_on: maybe(z.string()),
  size: maybe(z.number()),
});
export type RepositoryDetails = z.infer<typeof RepositoryDetails>;

export const WorkspaceObject = z.looseObject({
  uuid: z.string(),
  slug: z.string(),
  name: z.string(),
  is_private: maybe(z.boolean()),
  is_personal: maybe(z.boolean()),
  forking_mode: maybe(z.string()),
  created_on: maybe(z.string()),
  updated_on: maybe(z.string()),
  links: Links,
});
export type WorkspaceObject = z.infer<typeof WorkspaceObject>;

export const ProjectObject = z.looseObject({
  uuid: z.string(),
  key: z.string(),
  name: z.string(),
  description: maybe(z.string()),
  is_private: maybe(z.boolean()),
  created_on: maybe(z.string()),
  updated_on: maybe(z.string()),
  links: Links,
});
export type ProjectObject = z.infer<typeof ProjectObject>;

export const CommitObject = z.looseObject({
  hash: z.string(),
  date: maybe(z.string()),
  message: maybe(z.string()),
  author: z.looseObject({ raw: z.string().optional(), user: AccountObject.optional() }).nullish(),
  parents: z.array(z.looseObject({ hash: z.string() })).nullish(),
  links: Links,
});
export type CommitObject = z.infer<typeof CommitObject>;

/** A branch or a tag. */
export const RefObject = z.looseObject({
  name: z.string(),
  target: CommitObject,
  message: maybe(z.string()),
  date: maybe(z.string()),
  default_merge_strategy: maybe(z.string()),
  merge_strategies: maybe(z.array(z.string())),
  links: Links,
});
export type RefObject = z.infer<typeof RefObject>;

const Endpoint = z.looseObject({
  branch: z.looseObject({ name: z.string() }).nullish(),
  commit: z.looseObject({ hash: z.string() }).nullish(),
  repository: z.looseObject({ full_name: z.string().optional(), uuid: z.string().optional() }).nullish(),
});

export const PullRequestObject = z.looseObject({
  id: z.number(),
  title: z.string(),
  state: z.string(),
  summary: z.looseObject({ raw: maybe(z.string()) }).nullish(),
  author: AccountObject.nullish(),
  source: Endpoint.nullish(),
  destination: Endpoint.nullish(),
  draft: maybe(z.boolean()),
  comment_count: maybe(z.number()),
  task_count: maybe(z.number()),
  created_on: maybe(z.string()),
  updated_on: maybe(z.string()),
  links: Links,
});
export type PullRequestObject = z.infer<typeof PullRequestObject>;

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

export const MembershipObject = z.looseObject({ user: AccountObject });
export type MembershipObject = z.infer<typeof MembershipObject>;

/** An explicit grant of a group or a user, on a repository or a project. */
export const GrantObject = z.looseObject({
  permission: z.string(),
  group: z.looseObject({ slug: z.string(), name: z.string().optional() }).optional(),
  user: AccountObject.optional(),
});
export type GrantObject = z.infer<typeof GrantObject>;

export interface ListOptions {
  /** Most values to return; pages stop once this many are in hand. Default: all. */
  limit?: number;
  q?: string;
  sort?: string;
}

const REPO = "/repositories/{workspace}/{repo_slug}";
const PROJECT = "/workspaces/{workspace}/projects/{project_key}";

/** `maxPages`: the most pages one listing reads (paginate.ts). */
export function createReads(send: Send, apiUrl: string, maxPages = MAX_PAGES) {
  const get = async <T>(schema: z.ZodType<T>, route: string, params: Record<string, string> = {}, extra: Partial<RequestSpec> = {}): Promise<T> =>
    schema.parse((await send({ method: "GET", route, params, ...extra })).body);
  const list = async <T>(schema: z.ZodType<T>, route: string, params: Record<string, string>, options: ListOptions = {}, extra: Partial<RequestSpec> = {}) => {
    const query = { q: options.q, sort: options.sort, ...extra.query };
    const values = await paginate<unknown>(send, apiUrl, { method: "GET", route, params, ...extra, query }, options.limit, maxPages);
    return values.map((v) => schema.parse(v));
  };
  const repo = (workspace: string, repo_slug: string) => ({ workspace, repo_slug });
  const project = (workspace: string, project_key: string) => ({ workspace, project_key });
  const src = (workspace: string, repoSlug: string, revision: string, path: string) => ({
    route: path ? `${REPO}/src/{commit}/{path}` : `${REPO}/src/{commit}/`,
    params: { ...repo(workspace, repoSlug), commit: revision, ...(path ? { path } : {}) },
    multiSegment: ["path"],
  });

  return {
    // Workspace, its projects and people
    workspace: (workspace: string) => get(WorkspaceObject, "/workspaces/{workspace}", { workspace }),
    projects: (workspace: string, options?: ListOptions) => list(ProjectObject, "/workspaces/{workspace}/projects", { workspace }, options),
    project: (workspace: string, key: string) => get(ProjectObject, PROJECT, project(workspace, key)),
    currentUser: () => get(AccountObject, "/user"),
    members: (workspace: string, options?: ListOptions) => list(MembershipObject, "/workspaces/{workspace}/members", { workspace }, options),
    /** One member by account id or `{uuid}` (404: not a member). */
    member: (workspace: string, member: string) => get(MembershipObject, "/workspaces/{workspace}/members/{member}", { workspace, member }),

    // Repositories
    repository: (workspace: string, repoSlug: string) => get(RepositoryDetails, REPO, repo(workspace, repoSlug)),
    repositories: (workspace: string, options: ListOptions & { role?: string } = {}) =>
      list(RepositoryDetails, "/repositories/{workspace}", { workspace }, options, { query: { role: options.role } }),
    forks: (workspace: string, repoSlug: string, options?: ListOptions) => list(RepositoryDetails, `${REPO}/forks`, repo(workspace, repoSlug), options),
    countForks: (workspace: string, repoSlug: string) =>
      countValues(send, apiUrl, { method: "GET", route: `${REPO}/forks`, params: repo(workspace, repoSlug) }, maxPages),
    watchers: (workspace: string, repoSlug: string, options?: ListOptions) => list(AccountObject, `${REPO}/watchers`, repo(workspace, repoSlug), options),
    countWatchers: (workspace: string, repoSlug: string) =>
      countValues(send, apiUrl, { method: "GET", route: `${REPO}/watchers`, params: repo(workspace, repoSlug) }, maxPages),

    // Refs, commits, pull requests
    branches: (workspace: string, repoSlug: string, options?: ListOptions) => list(RefObject, `${REPO}/refs/branches`, repo(workspace, repoSlug), options),
    tags: (workspace: string, repoSlug: string, options?: ListOptions) => list(RefObject, `${REPO}/refs/tags`, repo(workspace, repoSlug), options),
    /** Newest first; from `revision` (a branch, tag or commit) when given, else from every ref. */
    commits: (workspace: string, repoSlug: string, options: { revision?: string; path?: string; limit?: number } = {}) =>
      options.revision
        ? list(CommitObject, `${REPO}/commits/{revision}`, { ...repo(workspace, repoSlug), revision: options.revision }, options, {
            query: { path: options.path },
          })
        : list(CommitObject, `${REPO}/commits`, repo(workspace, repoSlug), options, { query: { path: options.path } }),
    pullRequests: (workspace: string, repoSlug: string, options: { states?: string[]; limit?: number } = {}) =>
      list(PullRequestObject, `${REPO}/pullrequests`, repo(workspace, repoSlug), options, { query: { state: options.states } }),

    // Source: `path` "" is the root directory
    /** A directory's entries, breadth-first down to `maxDepth` levels (1: its own entries). */
    directory: (workspace: string, repoSlug: string, revision: string, path: string, options: ListOptions & { maxDepth?: number } = {}) => {
      const { route, params, multiSegment } = src(workspace, repoSlug, revision, path);
      const maxDepth = options.maxDepth && options.maxDepth > 1 ? options.maxDepth : undefined;
      return list(TreeEntryObject, route, params, options, { multiSegment, query: { max_depth: maxDepth } });
    },
    /** A file's or directory's description; undefined when the answer is not one (a directory listing). */
    pathMeta: async (workspace: string, repoSlug: string, revision: string, path: string): Promise<TreeEntryObject | undefined> => {
      const { route, params, multiSegment } = src(workspace, repoSlug, revision, path);
      return TreeEntryObject.safeParse(await get(z.unknown(), route, params, { multiSegment, query: { format: "meta" } })).data;
    },
    fileText: async (workspace: string, repoSlug: string, revision: string, path: string): Promise<string> => {
      const { route, params, multiSegment } = src(workspace, repoSlug, revision, path);
      return (await send<string>({ method: "GET", route, params, multiSegment, text: true })).body;
    },

    // Explicit grants
    repositoryGroupGrants: (workspace: string, repoSlug: string, options?: ListOptions) =>
      list(GrantObject, `${REPO}/permissions-config/groups`, repo(workspace, repoSlug), options),
    repositoryUserGrants: (workspace: string, repoSlug: string, options?: ListOptions) =>
      list(GrantObject, `${REPO}/permissions-config/users`, repo(workspace, repoSlug), options),
    projectGroupGrants: (workspace: string, key: string, options?: ListOptions) =>
      list(GrantObject, `${PROJECT}/permissions-config/groups`, project(workspace, key), options),
    projectUserGrants: (workspace: string, key: string, options?: ListOptions) =>
      list(GrantObject, `${PROJECT}/permissions-config/users`, project(workspace, key), options),
  };
}

export type Reads = ReturnType<typeof createReads>;
