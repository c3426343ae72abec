// Repositories: /repositories/{workspace} and one repository, its watchers.
import { z } from "zod";
import { EndpointContext, lastSegment, Link, ListOptions, maybe, REPOSITORY, repositoryParams } from "./context";
import { AccountObject } from "./workspaces";

export const RepositoryObject = z.looseObject({
  uuid: z.string(),
  slug: z.string().optional(),
  full_name: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  is_private: z.boolean().nullish(),
  fork_policy: z.string().nullish(),
  language: z.string().nullish(),
  website: z.string().nullish(),
  project: z.looseObject({ key: z.string() }).nullish(),
  mainbranch: z.looseObject({ name: z.string() }).nullish(),
  parent: z.looseObject({ full_name: z.string().optional(), uuid: z.string().optional() }).nullish(),
  workspace: z.looseObject({ slug: z.string().optional(), uuid: z.string().optional() }).nullish(),
  links: z
    .looseObject({
      html: Link.optional(),
      clone: z.array(z.looseObject({ name: z.string(), href: z.string() })).optional(),
    })
    .nullish(),
});
export type RepositoryObject = z.infer<typeof RepositoryObject>;

/** A repository as the read functions describe it: absent and null fields both read as undefined. */
export const RepositoryDetails = RepositoryObject.extend({
  scm: maybe(z.string()),
  owner: AccountObject.nullish(),
  project: z.looseObject({ key: z.string(), uuid: z.string().optional(), name: z.string().optional() }).nullish(),
  created_on: maybe(z.string()),
  updated_on: maybe(z.string()),
  size: maybe(z.number()),
});
export type RepositoryDetails = z.infer<typeof RepositoryDetails>;

/** The writable part of a repository, as the API spells it. */
export interface RepositoryBody {
  name?: string;
  description?: string;
  is_private?: boolean;
  fork_policy?: string;
  language?: string;
  website?: string;
  project?: { key: string };
  mainbranch?: { name: string };
  scm?: "git";
}

export function repositoryEndpoints(c: EndpointContext) {
  return {
    getRepository: (workspace: string, repoSlug: string): Promise<RepositoryObject> =>
      c.get(RepositoryObject, REPOSITORY, repositoryParams(workspace, repoSlug)),
    /** POST to the slug's URL: the slug is the key, so a repeat cannot make a second repository. */
    createRepository: (workspace: string, slug: string, body: RepositoryBody): Promise<RepositoryObject> =>
      c.request(RepositoryObject, {
        method: "POST",
        route: REPOSITORY,
        params: repositoryParams(workspace, slug),
        body: { scm: "git", ...body },
        idempotent: true,
      }),
    /** PUT; when the name changes the slug does too, and the new one comes from `Location`. */
    async updateRepository(workspace: string, repoSlug: string, body: RepositoryBody): Promise<{ repository: RepositoryObject; locationSlug?: string }> {
      const res = await c.send({ method: "PUT", route: REPOSITORY, params: repositoryParams(workspace, repoSlug), body });
      return { repository: RepositoryObject.parse(res.body), locationSlug: lastSegment(res.headers.get("location")) };
    },
    deleteRepository: (workspace: string, repoSlug: string): Promise<void> => c.delete(REPOSITORY, repositoryParams(workspace, repoSlug)),
    listRepositories: (workspace: string, query?: Record<string, string>): Promise<RepositoryObject[]> =>
      c.list(RepositoryObject, "/repositories/{workspace}", { workspace }, {}, { query }),
  };
}

export function repositoryReads(c: EndpointContext) {
  return {
    repository: (workspace: string, repoSlug: string) => c.get(RepositoryDetails, REPOSITORY, repositoryParams(workspace, repoSlug)),
    repositories: (workspace: string, options: ListOptions & { role?: string } = {}) =>
      c.list(RepositoryDetails, "/repositories/{workspace}", { workspace }, options, { query: { role: options.role } }),
    watchers: (workspace: string, repoSlug: string, options?: ListOptions) =>
      c.list(AccountObject, `${REPOSITORY}/watchers`, repositoryParams(workspace, repoSlug), options),
    countWatchers: (workspace: string, repoSlug: string) => c.count(`${REPOSITORY}/watchers`, repositoryParams(workspace, repoSlug)),
  };
}
