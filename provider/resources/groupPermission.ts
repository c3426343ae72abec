// GroupPermission: a workspace group's explicit permission on one repository. PUT creates and
// updates it (creation over an identical grant writes nothing), DELETE removes it. ID: `workspace/repository/groupSlug`.
import * as pulumi from "@pulumi/pulumi";
import { Permission } from "../client/api";
import { BitbucketResource, GroupSlug, RepositoryRef, withOutputs, WorkspaceRef } from "./common";
import { claimRule, itemClaim, lowerCase, repositoryRef } from "./claims";
import { fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { oneGrantProvider } from "./grants";
import { collection, repositoryOf, terraformImport, text, type Discovery } from "./discovery";
import { REPOSITORIES, terraformRepository } from "./repository";
import { isFreshRepository } from "./fresh";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<GroupPermissionArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  groupSlug: { schema: GroupSlug, replace: true },
  permission: { schema: Permission, api: "permission", update: true },
});

const ID_PARTS = ["workspace", "repository", "groupSlug"] as const;

/** A GroupPermission owns one group's grant among the repository's group grants. */
export const claims = claimRule(["workspace", "repository", "groupSlug"], (args) =>
  itemClaim(
    repositoryRef(args.workspace, args.repository),
    "group permissions",
    lowerCase(args.groupSlug),
    `the permission of group ${String(args.groupSlug)}`,
    "groupSlug",
  ),
);

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider = oneGrantProvider({
  kind: "GroupPermission",
  what: "group permission",
  idParts: ID_PARTS,
  fields: FIELDS,
  calls: (api) => api.repositoryGrants.groups,
  who: (group) => `group ${group}`,
  where: (workspace, repository) => `${workspace}/${repository}`,
  fresh: isFreshRepository,
  outputs: (live, olds) => ({ groupName: live.group.name ?? olds?.groupName }),
});

// ---- Drift search -------------------------------------------------------------------------------

/** A repository's explicit group grants. */
export const GROUP_GRANTS = collection({
  label: "group permission",
  plural: "group permissions",
  on: REPOSITORIES.label,
  list: (api, { workspace, container }) => api.repositoryGrants.groups.list(workspace, container!.uuid),
  listed: (grant) => ({ keys: [grant.group.slug], id: grant.group.slug, title: grant.group.name, detail: grant.permission }),
  ignore: { section: "grants", field: "group", values: (grant) => [grant.group.slug, ...(grant.group.name ? [grant.group.name] : [])] },
});

/** A GroupPermission holds one group's grant (imported as part of a RepositoryAccess). */
export const discovery: Discovery = {
  claims: (outputs) => {
    const [workspace, repository, group] = [text(outputs.workspace), text(outputs.repository), text(outputs.groupSlug)];
    return workspace && repository && group ? [{ collection: GROUP_GRANTS.label, workspace, on: repository, keys: [group] }] : [];
  },
  describe: (outputs) => ({
    workspace: text(outputs.workspace),
    repository: repositoryOf(outputs.repository),
    object: { label: "group", collection: GROUP_GRANTS.label, id: text(outputs.groupSlug) ?? "?", name: text(outputs.groupName) },
  }),
  search: GROUP_GRANTS,
  terraform: terraformImport({
    type: "bitbucket_repository_group_permission",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => [
      {
        name,
        args: [
          ["workspace", workspaceOf(String(a.workspace))],
          ["repository", terraformRepository(a.workspace, a.repo_slug)],
          ["groupSlug", text(a.group_slug)],
          ["permission", text(a.permission)],
        ],
      },
    ],
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface GroupPermissionArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the grant. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id` so a rename changes nothing. Changing it replaces the grant. */
  repository: pulumi.Input<string>;
  /** Slug of a group of the workspace (e.g. `developers`). Changing it replaces the grant. */
  groupSlug: pulumi.Input<string>;
  /** `read` | `write` | `admin`. Updates in place. */
  permission: pulumi.Input<"read" | "write" | "admin">;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The group's display name. */
  groupName: output<string>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface GroupPermission extends ResourceOutputs<typeof OUTPUTS> {}

/** A group's explicit permission on a repository. ID: `workspace/repository/groupSlug`. */
export class GroupPermission extends BitbucketResource {
  constructor(name: string, args: GroupPermissionArgs, opts?: pulumi.CustomResourceOptions) {
    super("GroupPermission", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing grant by ID `workspace/repository/groupSlug`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): GroupPermission {
    return GroupPermission.existing(name, id, undefined, opts);
  }
}
