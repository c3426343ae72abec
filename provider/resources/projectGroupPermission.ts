// ProjectGroupPermission: a workspace group's explicit permission on one project (which the project's
// repositories inherit). PUT creates and updates it (creation over an identical grant writes nothing),
// DELETE removes it. ID: `workspace/PROJECT/groupSlug`.
import * as pulumi from "@pulumi/pulumi";
import { ProjectPermission } from "../client/api";
import { ProjectKey } from "../identifiers";
import { BitbucketResource, GroupSlug, withOutputs, WorkspaceRef } from "./common";
import { claimRule, itemClaim, lowerCase, projectRef } from "./claims";
import { fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { terraformImport, text, type Discovery } from "./discovery";
import { terraformProject } from "./project";
import { oneGrantProvider } from "./grants";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<ProjectGroupPermissionArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  project: { schema: ProjectKey, replace: true },
  groupSlug: { schema: GroupSlug, replace: true },
  permission: { schema: ProjectPermission, api: "permission", update: true },
});

const ID_PARTS = ["workspace", "project", "groupSlug"] as const;

/** A ProjectGroupPermission owns one group's grant among the project's group grants (which a ProjectAccess may own whole). */
export const claims = claimRule(["workspace", "project", "groupSlug"], (args) =>
  itemClaim(
    projectRef(args.workspace, args.project),
    "group permissions",
    lowerCase(args.groupSlug),
    `the permission of group ${String(args.groupSlug)}`,
    "groupSlug",
  ),
);

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider = oneGrantProvider({
  kind: "ProjectGroupPermission",
  what: "project group permission",
  idParts: ID_PARTS,
  fields: FIELDS,
  calls: (api) => api.projectGrants.groups,
  who: (group) => `group ${group}`,
  where: (workspace, project) => `project ${workspace}/${project}`,
  outputs: (live, olds) => ({ groupName: live.group.name ?? olds?.groupName }),
});

// No drift search nor workspace import: discovery lists attached collections only on repositories (a
// project is not a container collection there), so the project's grants are searched for by nobody yet.
export const discovery: Discovery = {
  terraform: terraformImport({
    type: "bitbucket_project_group_permission",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => [
      {
        name,
        args: [
          ["workspace", workspaceOf(String(a.workspace))],
          ["project", terraformProject(a.workspace, a.project_key)],
          ["groupSlug", text(a.group_slug)],
          ["permission", text(a.permission)],
        ],
      },
    ],
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface ProjectGroupPermissionArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the grant. */
  workspace: pulumi.Input<string>;
  /** The project's key (e.g. `PLAT`). Changing it replaces the grant. */
  project: pulumi.Input<string>;
  /** Slug of a group of the workspace (e.g. `developers`). Changing it replaces the grant. */
  groupSlug: pulumi.Input<string>;
  /** `read` | `write` | `create-repo` | `admin`. Updates in place. */
  permission: pulumi.Input<"read" | "write" | "create-repo" | "admin">;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The group's display name. */
  groupName: output<string>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface ProjectGroupPermission extends ResourceOutputs<typeof OUTPUTS> {}

/** A group's explicit permission on a project. ID: `workspace/PROJECT/groupSlug`. */
export class ProjectGroupPermission extends BitbucketResource {
  constructor(name: string, args: ProjectGroupPermissionArgs, opts?: pulumi.CustomResourceOptions) {
    super("ProjectGroupPermission", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing grant by ID `workspace/PROJECT/groupSlug`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ProjectGroupPermission {
    return ProjectGroupPermission.existing(name, id, undefined, opts);
  }
}
