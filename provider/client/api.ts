// One typed function per endpoint the resources use. Only this file knows the API's paths; response
// bodies are parsed with zod (loosely: unknown fields pass through) so resources get typed objects.
import { z } from "zod";
import { Send } from "./http";
import { MAX_PAGES, paginate } from "./paginate";
import type { CreateOnce } from "./retry";

const Link = z.looseObject({ href: z.string() });

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

export interface ForkBody extends RepositoryBody {
  workspace?: { slug: string };
}

export const HookObject = z.looseObject({
  uuid: z.string(),
  url: z.string(),
  description: z.string().nullish(),
  active: z.boolean().nullish(),
  events: z.array(z.string()),
  secret_set: z.boolean().nullish(),
});
export type HookObject = z.infer<typeof HookObject>;

export interface HookBody {
  url: string;
  description?: string;
  active?: boolean;
  events: string[];
  /** Omitted: keep the current secret; null: remove it. */
  secret?: string | null;
}

export const Permission = z.enum(["read", "write", "admin"]);
export type Permission = z.infer<typeof Permission>;

/** A project adds `create-repo` (write, plus creating repositories in the project). */
export const ProjectPermission = z.enum(["read", "write", "create-repo", "admin"]);
export type ProjectPermission = z.infer<typeof ProjectPermission>;

const groupGrant = <P extends z.ZodType>(permission: P) =>
  z.looseObject({ permission, group: z.looseObject({ slug: z.string(), name: z.string().optional() }) });
const userGrant = <P extends z.ZodType>(permission: P) =>
  z.looseObject({
    permission,
    user: z.looseObject({ uuid: z.string().optional(), account_id: z.string().optional(), display_name: z.string().optional() }),
  });
export const GroupPermissionObject = groupGrant(Permission);
export const UserPermissionObject = userGrant(Permission);
export const ProjectGroupPermissionObject = groupGrant(ProjectPermission);
export const ProjectUserPermissionObject = userGrant(ProjectPermission);

export const OverrideSettingsObject = z.looseObject({
  override_settings: z.looseObject({
    default_merge_strategy: z.boolean().optional(),
    branching_model: z.boolean().optional(),
  }),
});
export type OverrideSettings = { default_merge_strategy?: boolean; branching_model?: boolean };

const REPO = "/repositories/{workspace}/{repo_slug}";
const PROJECT = "/workspaces/{workspace}/projects/{project_key}";

/** The last path segment of a Location header: the repository's (new) slug. */
export function slugFromLocation(location: string | null): string | undefined {
  if (!location) return undefined;
  const path = new URL(location, "http://x").pathname.replace(/\/+$/, "");
  const last = path.split("/").pop();
  return last ? decodeURIComponent(last) : undefined;
}

/** `maxPages`: the most pages one listing reads (paginate.ts). */
export function createApi(send: Send, apiUrl: string, createOnce: CreateOnce, maxPages = MAX_PAGES) {
  const repo = (workspace: string, repo_slug: string) => ({ workspace, repo_slug });
  const list = <T>(route: string, params: Record<string, string>, schema: z.ZodType<T>, query?: Record<string, string>) =>
    paginate<unknown>(send, apiUrl, { method: "GET", route, params, query }, Infinity, maxPages).then((values) => values.map((v) => schema.parse(v)));

  // Group and user permissions are the same four calls on two collections, of a repository or a project.
  function permissionEndpoints<T, P extends string>(
    owner: { path: string; key: "repo_slug" | "project_key" },
    collection: "groups" | "users",
    key: "group_slug" | "selected_user_id",
    schema: z.ZodType<T>,
  ) {
    const all = `${owner.path}/permissions-config/${collection}`;
    const one = `${all}/{${key}}`;
    const ownerParams = (workspace: string, ownerId: string) => ({ workspace, [owner.key]: ownerId });
    const params = (workspace: string, ownerId: string, target: string) => ({ ...ownerParams(workspace, ownerId), [key]: target });
    return {
      async get(workspace: string, ownerId: string, target: string): Promise<T> {
        return schema.parse((await send({ method: "GET", route: one, params: params(workspace, ownerId, target) })).body);
      },
      async put(workspace: string, ownerId: string, target: string, permission: P): Promise<T> {
        return schema.parse((await send({ method: "PUT", route: one, params: params(workspace, ownerId, target), body: { permission } })).body);
      },
      async delete(workspace: string, ownerId: string, target: string): Promise<void> {
        await send({ method: "DELETE", route: one, params: params(workspace, ownerId, target) });
      },
      list(workspace: string, ownerId: string): Promise<T[]> {
        return list(all, ownerParams(workspace, ownerId), schema);
      },
    };
  }
  const ofRepository = { path: REPO, key: "repo_slug" } as const;
  const ofProject = { path: PROJECT, key: "project_key" } as const;
  const groupPermissions = permissionEndpoints<z.infer<typeof GroupPermissionObject>, Permission>(ofRepository, "groups", "group_slug", GroupPermissionObject);
  const userPermissions = permissionEndpoints<z.infer<typeof UserPermissionObject>, Permission>(
    ofRepository,
    "users",
    "selected_user_id",
    UserPermissionObject,
  );
  const projectGroupPermissions = permissionEndpoints<z.infer<typeof ProjectGroupPermissionObject>, ProjectPermission>(
    ofProject,
    "groups",
    "group_slug",
    ProjectGroupPermissionObject,
  );
  const projectUserPermissions = permissionEndpoints<z.infer<typeof ProjectUserPermissionObject>, ProjectPermission>(
    ofProject,
    "users",
    "selected_user_id",
    ProjectUserPermissionObject,
  );

  return {
    /** Creation without a key the API can dedupe on, made at most once (retry.ts, createOnceWith). */
    createOnce,

    // Repositories
    async getRepository(workspace: string, repoSlug: string): Promise<RepositoryObject> {
      const res = await send({ method: "GET", route: REPO, params: repo(workspace, repoSlug) });
      return RepositoryObject.parse(res.body);
    },
    /** POST to the slug's URL: the slug is the key, so a repeat cannot make a second repository. */
    async createRepository(workspace: string, slug: string, body: RepositoryBody): Promise<RepositoryObject> {
      const res = await send({ method: "POST", route: REPO, params: repo(workspace, slug), body: { scm: "git", ...body }, idempotent: true });
      return RepositoryObject.parse(res.body);
    },
    /** PUT; when the name changes the slug does too, and the new one comes from `Location`. */
    async updateRepository(workspace: string, repoSlug: string, body: RepositoryBody): Promise<{ repository: RepositoryObject; locationSlug?: string }> {
      const res = await send({ method: "PUT", route: REPO, params: repo(workspace, repoSlug), body });
      return { repository: RepositoryObject.parse(res.body), locationSlug: slugFromLocation(res.headers.get("location")) };
    },
    async deleteRepository(workspace: string, repoSlug: string): Promise<void> {
      await send({ method: "DELETE", route: REPO, params: repo(workspace, repoSlug) });
    },
    listRepositories(workspace: string, query?: Record<string, string>): Promise<RepositoryObject[]> {
      return list("/repositories/{workspace}", { workspace }, RepositoryObject, query);
    },

    // Forks (a POST that is not retried on 5xx / lost answers: a repeat would make a second fork)
    async createFork(workspace: string, repoSlug: string, body: ForkBody): Promise<RepositoryObject> {
      const res = await send({ method: "POST", route: `${REPO}/forks`, params: repo(workspace, repoSlug), body });
      return RepositoryObject.parse(res.body);
    },
    listForks(workspace: string, repoSlug: string): Promise<RepositoryObject[]> {
      return list(`${REPO}/forks`, repo(workspace, repoSlug), RepositoryObject);
    },

    // Webhooks (the POST is not retried on 5xx / lost answers: a repeat would make a second hook; see createOnce)
    async createHook(workspace: string, repoSlug: string, body: HookBody): Promise<HookObject> {
      const res = await send({ method: "POST", route: `${REPO}/hooks`, params: repo(workspace, repoSlug), body });
      return HookObject.parse(res.body);
    },
    async getHook(workspace: string, repoSlug: string, uid: string): Promise<HookObject> {
      const res = await send({ method: "GET", route: `${REPO}/hooks/{uid}`, params: { ...repo(workspace, repoSlug), uid } });
      return HookObject.parse(res.body);
    },
    async updateHook(workspace: string, repoSlug: string, uid: string, body: HookBody): Promise<HookObject> {
      const res = await send({ method: "PUT", route: `${REPO}/hooks/{uid}`, params: { ...repo(workspace, repoSlug), uid }, body });
      return HookObject.parse(res.body);
    },
    async deleteHook(workspace: string, repoSlug: string, uid: string): Promise<void> {
      await send({ method: "DELETE", route: `${REPO}/hooks/{uid}`, params: { ...repo(workspace, repoSlug), uid } });
    },
    listHooks(workspace: string, repoSlug: string): Promise<HookObject[]> {
      return list(`${REPO}/hooks`, repo(workspace, repoSlug), HookObject);
    },

    // Explicit permissions: groups by slug, users by Atlassian account id or {uuid}
    getGroupPermission: groupPermissions.get,
    putGroupPermission: groupPermissions.put,
    deleteGroupPermission: groupPermissions.delete,
    listGroupPermissions: groupPermissions.list,
    getUserPermission: userPermissions.get,
    putUserPermission: userPermissions.put,
    deleteUserPermission: userPermissions.delete,
    listUserPermissions: userPermissions.list,

    // The two grant collections of a repository (by slug or {uuid}) and of a project (by key), for
    // resources that own a whole collection
    repositoryGrants: { groups: groupPermissions, users: userPermissions },
    projectGrants: { groups: projectGroupPermissions, users: projectUserPermissions },

    // Inheritance of project settings
    async getOverrideSettings(workspace: string, repoSlug: string): Promise<OverrideSettings> {
      const res = await send({ method: "GET", route: `${REPO}/override-settings`, params: repo(workspace, repoSlug) });
      return OverrideSettingsObject.parse(res.body).override_settings;
    },
    async putOverrideSettings(workspace: string, repoSlug: string, settings: OverrideSettings): Promise<void> {
      await send({ method: "PUT", route: `${REPO}/override-settings`, params: repo(workspace, repoSlug), body: { override_settings: settings } });
    },
  };
}

export type Api = ReturnType<typeof createApi>;
