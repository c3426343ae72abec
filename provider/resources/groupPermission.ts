// GroupPermission: a workspace group's explicit permission on one repository. PUT creates and
// updates it (creation over an identical grant writes nothing), DELETE removes it. ID: `workspace/repository/groupSlug`.
import * as pulumi from "@pulumi/pulumi";
import { ifFound } from "../client";
import { Permission } from "../client/api";
import {
  BitbucketResource,
  compact,
  diffResult,
  GroupSlug,
  reportTakeOver,
  RepositoryRef,
  ResourceProvider,
  splitId,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, itemClaim, lowerCase, repositoryRef } from "./claims";
import { fieldTable } from "./fields";

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

export const provider: ResourceProvider = {
  // Bitbucket refuses repository/project/workspace access tokens on permissions-config.
  credentials: { accepted: ["basic", "oauth"] },

  async check(_olds, news) {
    return FIELDS.check(news);
  },

  async diff(_id, olds, news) {
    // The old and new grant may address the same group on the same repository (slug vs {uuid}):
    // remove the old one first so that its deletion cannot undo the new one.
    return diffResult(FIELDS.diff(olds, news), true);
  },

  async create(ctx, raw) {
    const { api } = ctx;
    const inputs = FIELDS.parse(raw);
    // Taking over an identical grant writes nothing.
    const current = await ifFound(api.repositoryGrants.groups.get(inputs.workspace, inputs.repository, inputs.groupSlug));
    if (current && current.permission !== inputs.permission)
      reportTakeOver(
        ctx,
        `GroupPermission: group ${inputs.groupSlug} already had ${current.permission} access to ${inputs.workspace}/${inputs.repository}, now ${inputs.permission}`,
      );
    const live =
      current?.permission === inputs.permission
        ? current
        : await api.repositoryGrants.groups.put(inputs.workspace, inputs.repository, inputs.groupSlug, inputs.permission);
    return { id: ID_PARTS.map((k) => inputs[k]).join("/"), outs: compact({ ...inputs, groupName: live.group.name }) };
  },

  async read({ api }, id, props) {
    const ids = splitId("group permission", id, ID_PARTS, props);
    const live = await ifFound(api.repositoryGrants.groups.get(ids.workspace, ids.repository, ids.groupSlug));
    if (!live) return {};
    const state = compact({ ...ids, ...FIELDS.state(live), groupName: live.group.name });
    return { id, props: state, inputs: FIELDS.inputsOf(state) };
  },

  async update({ api }, _id, olds, news) {
    const inputs = FIELDS.parse(news);
    const live = await api.repositoryGrants.groups.put(inputs.workspace, inputs.repository, inputs.groupSlug, inputs.permission);
    return { outs: compact({ ...inputs, groupName: live.group.name ?? olds.groupName }) };
  },

  async delete({ api }, id, props) {
    const ids = splitId("group permission", id, ID_PARTS, props);
    await ifFound(api.repositoryGrants.groups.delete(ids.workspace, ids.repository, ids.groupSlug));
  },
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

const OUTPUT_KEYS = [...FIELDS.stateKeys, "groupName"];

/** A group's explicit permission on a repository. ID: `workspace/repository/groupSlug`. */
export class GroupPermission extends BitbucketResource {
  declare readonly workspace: pulumi.Output<string>;
  declare readonly repository: pulumi.Output<string>;
  declare readonly groupSlug: pulumi.Output<string>;
  declare readonly permission: pulumi.Output<"read" | "write" | "admin">;
  /** The group's display name. */
  declare readonly groupName: pulumi.Output<string>;

  constructor(name: string, args: GroupPermissionArgs, opts?: pulumi.CustomResourceOptions) {
    super("GroupPermission", claims, name, withOutputs(args, OUTPUT_KEYS), opts);
  }

  /** Reads an existing grant by ID `workspace/repository/groupSlug`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): GroupPermission {
    return new GroupPermission(name, undefined as unknown as GroupPermissionArgs, { ...opts, id });
  }
}
