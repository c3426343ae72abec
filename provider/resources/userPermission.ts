// UserPermission: a workspace member's explicit permission on one repository. PUT creates and
// updates it (creation over an identical grant writes nothing), DELETE removes it. ID: `workspace/repository/user`.
import * as pulumi from "@pulumi/pulumi";
import { Permission } from "../client/api";
import { BitbucketResource, RepositoryRef, UserRef, withOutputs, WorkspaceRef } from "./common";
import { claimRule, itemClaim, lowerCase, repositoryRef } from "./claims";
import { fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { oneGrantProvider, userGrantError, userOutputs } from "./grants";
import { collection, repositoryOf, terraformImport, text, type Discovery } from "./discovery";
import { REPOSITORIES, terraformRepository } from "./repository";
import { isFreshRepository } from "./fresh";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<UserPermissionArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  user: { schema: UserRef, replace: true },
  permission: { schema: Permission, api: "permission", update: true },
});

const ID_PARTS = ["workspace", "repository", "user"] as const;

/** A UserPermission owns one user's grant among the repository's user grants (the user as written: account id or {uuid}). */
export const claims = claimRule(["workspace", "repository", "user"], (args) =>
  itemClaim(repositoryRef(args.workspace, args.repository), "user permissions", lowerCase(args.user), `the permission of user ${String(args.user)}`, "user"),
);

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider = oneGrantProvider({
  kind: "UserPermission",
  what: "user permission",
  idParts: ID_PARTS,
  fields: FIELDS,
  calls: (api) => api.repositoryGrants.users,
  who: (user) => `user ${user}`,
  where: (workspace, repository) => `${workspace}/${repository}`,
  fresh: isFreshRepository,
  outputs: (live) => userOutputs(live),
  putError: userGrantError,
});

// ---- Drift search -------------------------------------------------------------------------------

/** The ids a user grant names its user by: account id, then `{uuid}`. */
const userIds = (user: { account_id?: string; uuid?: string }) => [user.account_id, user.uuid].filter((v): v is string => Boolean(v));

/** A repository's explicit user grants. */
export const USER_GRANTS = collection({
  label: "user permission",
  plural: "user permissions",
  on: REPOSITORIES.label,
  list: (api, { workspace, container }) => api.repositoryGrants.users.list(workspace, container!.uuid),
  listed: (grant) => ({
    keys: userIds(grant.user),
    id: userIds(grant.user)[0] ?? "?",
    title: grant.user.display_name,
    detail: `${grant.permission}${grant.user.display_name ? ` (${grant.user.display_name})` : ""}`,
  }),
  ignore: { section: "grants", field: "user", values: (grant) => [...userIds(grant.user), ...(grant.user.display_name ? [grant.user.display_name] : [])] },
});

/** A UserPermission holds one user's grant, by any of the user's ids (imported as part of a RepositoryAccess). */
export const discovery: Discovery = {
  claims: (outputs) => {
    const [workspace, repository] = [text(outputs.workspace), text(outputs.repository)];
    const ids = [outputs.user, outputs.accountId, outputs.userUuid].flatMap((v) => text(v) ?? []);
    return workspace && repository && ids.length > 0 ? [{ collection: USER_GRANTS.label, workspace, on: repository, keys: ids }] : [];
  },
  describe: (outputs) => ({
    workspace: text(outputs.workspace),
    repository: repositoryOf(outputs.repository),
    object: { label: "user", collection: USER_GRANTS.label, id: text(outputs.accountId) ?? text(outputs.user) ?? "?", name: text(outputs.displayName) },
  }),
  search: USER_GRANTS,
  terraform: terraformImport({
    type: "bitbucket_repository_user_permission",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => [
      {
        name,
        args: [
          ["workspace", workspaceOf(String(a.workspace))],
          ["repository", terraformRepository(a.workspace, a.repo_slug)],
          ["user", text(a.user_id)],
          ["permission", text(a.permission)],
        ],
      },
    ],
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface UserPermissionArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the grant. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id` so a rename changes nothing. Changing it replaces the grant. */
  repository: pulumi.Input<string>;
  /** The user: Atlassian account id or `{uuid}`. Must be a member of the workspace and not its owner. Changing it replaces the grant. */
  user: pulumi.Input<string>;
  /** `read` | `write` | `admin`. Updates in place. */
  permission: pulumi.Input<"read" | "write" | "admin">;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The user's `{uuid}`. */
  userUuid: output<string>(),
  /** The user's Atlassian account id. */
  accountId: output<string>(),
  /** The user's display name. */
  displayName: output<string>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface UserPermission extends ResourceOutputs<typeof OUTPUTS> {}

/** A user's explicit permission on a repository. ID: `workspace/repository/user`. */
export class UserPermission extends BitbucketResource {
  constructor(name: string, args: UserPermissionArgs, opts?: pulumi.CustomResourceOptions) {
    super("UserPermission", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing grant by ID `workspace/repository/user`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): UserPermission {
    return UserPermission.existing(name, id, undefined, opts);
  }
}
