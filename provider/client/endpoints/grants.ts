// Explicit grants (permissions-config) of a repository (by slug or {uuid}) or a project (by key): two
// collections each, groups by slug and users by Atlassian account id or {uuid}, with the same four calls.
import { z } from "zod";
import { EndpointContext, ListOptions, PROJECT, REPOSITORY } from "./context";
import { AccountObject } from "./workspaces";

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

/** A grant of a group or a user as the read functions describe it, whatever its permission. */
export const GrantObject = z.looseObject({
  permission: z.string(),
  group: z.looseObject({ slug: z.string(), name: z.string().optional() }).optional(),
  user: AccountObject.optional(),
});
export type GrantObject = z.infer<typeof GrantObject>;

const OWNERS = {
  repository: { path: REPOSITORY, key: "repo_slug" },
  project: { path: PROJECT, key: "project_key" },
} as const;
const TARGET_KEYS = { groups: "group_slug", users: "selected_user_id" } as const;

/** One collection of an owner's grants; `schema` reads a grant, and the permission a put takes is the one it reads. */
function grantCollection<Grant extends { permission: string }>(
  c: EndpointContext,
  owner: keyof typeof OWNERS,
  collection: keyof typeof TARGET_KEYS,
  schema: z.ZodType<Grant>,
) {
  const { path, key } = OWNERS[owner];
  const all = `${path}/permissions-config/${collection}`;
  const one = `${all}/{${TARGET_KEYS[collection]}}`;
  const ownerParams = (workspace: string, ownerId: string) => ({ workspace, [key]: ownerId });
  const params = (workspace: string, ownerId: string, target: string) => ({ ...ownerParams(workspace, ownerId), [TARGET_KEYS[collection]]: target });
  return {
    get: (workspace: string, ownerId: string, target: string): Promise<Grant> => c.get(schema, one, params(workspace, ownerId, target)),
    put: (workspace: string, ownerId: string, target: string, permission: Grant["permission"]): Promise<Grant> =>
      c.request(schema, { method: "PUT", route: one, params: params(workspace, ownerId, target), body: { permission } }),
    delete: (workspace: string, ownerId: string, target: string): Promise<void> => c.delete(one, params(workspace, ownerId, target)),
    list: (workspace: string, ownerId: string, options?: ListOptions): Promise<Grant[]> => c.list(schema, all, ownerParams(workspace, ownerId), options),
  };
}

export function grantEndpoints(c: EndpointContext) {
  return {
    repositoryGrants: {
      groups: grantCollection(c, "repository", "groups", GroupPermissionObject),
      users: grantCollection(c, "repository", "users", UserPermissionObject),
    },
    projectGrants: {
      groups: grantCollection(c, "project", "groups", ProjectGroupPermissionObject),
      users: grantCollection(c, "project", "users", ProjectUserPermissionObject),
    },
  };
}

/** The grant lists of the read functions: any permission, with list options. */
export function grantReads(c: EndpointContext) {
  return {
    repositoryGroupGrants: grantCollection(c, "repository", "groups", GrantObject).list,
    repositoryUserGrants: grantCollection(c, "repository", "users", GrantObject).list,
    projectGroupGrants: grantCollection(c, "project", "groups", GrantObject).list,
    projectUserGrants: grantCollection(c, "project", "users", GrantObject).list,
  };
}
