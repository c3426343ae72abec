// ProjectUserPermission: a workspace member's explicit permission on one project (which the project's
// repositories inherit). PUT creates and updates it (creation over an identical grant writes nothing),
// DELETE removes it. ID: `workspace/PROJECT/user`.
import * as pulumi from "@pulumi/pulumi";
import { ProjectPermission } from "../client/api";
import { ProjectKey } from "../identifiers";
import { BitbucketResource, UserRef, withOutputs, WorkspaceRef } from "./common";
import { claimRule, itemClaim, lowerCase, projectRef } from "./claims";
import { fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { terraformImport, text, type Discovery } from "./discovery";
import { terraformProject } from "./project";
import { oneGrantProvider, userGrantError, userOutputs } from "./grants";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<ProjectUserPermissionArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  project: { schema: ProjectKey, replace: true },
  user: { schema: UserRef, replace: true },
  permission: { schema: ProjectPermission, api: "permission", update: true },
});

const ID_PARTS = ["workspace", "project", "user"] as const;

/** A ProjectUserPermission owns one user's grant among the project's user grants (the user as written: account id or {uuid}). */
export const claims = claimRule(["workspace", "project", "user"], (args) =>
  itemClaim(projectRef(args.workspace, args.project), "user permissions", lowerCase(args.user), `the permission of user ${String(args.user)}`, "user"),
);

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider = oneGrantProvider({
  kind: "ProjectUserPermission",
  what: "project user permission",
  idParts: ID_PARTS,
  fields: FIELDS,
  calls: (api) => api.projectGrants.users,
  who: (user) => `user ${user}`,
  where: (workspace, project) => `project ${workspace}/${project}`,
  outputs: (live) => userOutputs(live),
  putError: userGrantError,
});

// No drift search nor workspace import: discovery lists attached collections only on repositories (a
// project is not a container collection there), so the project's grants are searched for by nobody yet.
export const discovery: Discovery = {
  terraform: terraformImport({
    type: "bitbucket_project_user_permission",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => [
      {
        name,
        args: [
          ["workspace", workspaceOf(String(a.workspace))],
          ["project", terraformProject(a.workspace, a.project_key)],
          ["user", text(a.user_id)],
          ["permission", text(a.permission)],
        ],
      },
    ],
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface ProjectUserPermissionArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the grant. */
  workspace: pulumi.Input<string>;
  /** The project's key (e.g. `PLAT`). Changing it replaces the grant. */
  project: pulumi.Input<string>;
  /** The user: Atlassian account id or `{uuid}`. Must be a member of the workspace and not its owner. Changing it replaces the grant. */
  user: pulumi.Input<string>;
  /** `read` | `write` | `create-repo` | `admin`. Updates in place. */
  permission: pulumi.Input<"read" | "write" | "create-repo" | "admin">;
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
export interface ProjectUserPermission extends ResourceOutputs<typeof OUTPUTS> {}

/** A user's explicit permission on a project. ID: `workspace/PROJECT/user`. */
export class ProjectUserPermission extends BitbucketResource {
  constructor(name: string, args: ProjectUserPermissionArgs, opts?: pulumi.CustomResourceOptions) {
    super("ProjectUserPermission", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing grant by ID `workspace/PROJECT/user`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ProjectUserPermission {
    return ProjectUserPermission.existing(name, id, undefined, opts);
  }
}
