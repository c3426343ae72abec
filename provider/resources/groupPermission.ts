// GroupPermission: a workspace group's explicit permission on one repository. PUT creates and
// updates it, DELETE removes it. ID: `workspace/repository/groupSlug`.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isNotFound } from "../client";
import { Permission } from "../client/api";
import { getClient } from "../runtime";
import { shim } from "../shim";
import { changedKeys, checkInputs, compact, parseInputs, replacedKeys, RepositoryRef, WorkspaceRef } from "./common";
import { withOutputs } from "./repository";

// ---- Input schema ------------------------------------------------------------------------------

export const GroupPermissionInputs = z.object({
  workspace: WorkspaceRef,
  repository: RepositoryRef,
  groupSlug: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a group slug (lowercase letters, digits, '-', '_')"),
  permission: Permission,
});
export type GroupPermissionInputs = z.infer<typeof GroupPermissionInputs>;

const IDENTITY = ["workspace", "repository", "groupSlug"] as const;

function splitId(id: string, props: Record<string, unknown> | undefined) {
  if (props?.workspace && props?.repository && props?.groupSlug)
    return { workspace: props.workspace as string, repository: props.repository as string, groupSlug: props.groupSlug as string };
  const [workspace, repository, groupSlug, ...rest] = id.split("/");
  if (!groupSlug || rest.length) throw new Error(`Invalid GroupPermission ID ${id}: expected "workspace/repository/groupSlug".`);
  return { workspace, repository, groupSlug };
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const groupPermissionProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    return checkInputs(GroupPermissionInputs, news);
  },

  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const replaces = replacedKeys(olds, news, IDENTITY);
    const changes = changedKeys(olds, news, ["permission"]);
    // The old and new grant may address the same group on the same repository (slug vs {uuid}):
    // remove the old one first so that its deletion cannot undo the new one.
    return { changes: replaces.length > 0 || changes.length > 0, replaces, deleteBeforeReplace: true };
  },

  async create(raw: Record<string, unknown>) {
    const inputs = parseInputs(GroupPermissionInputs, raw);
    const live = await getClient().api.putGroupPermission(inputs.workspace, inputs.repository, inputs.groupSlug, inputs.permission);
    const outs = compact({ ...inputs, groupName: live.group.name });
    return { id: `${inputs.workspace}/${inputs.repository}/${inputs.groupSlug}`, outs };
  },

  async read(id: string, props?: Record<string, unknown>) {
    const ids = splitId(id, props);
    try {
      const live = await getClient().api.getGroupPermission(ids.workspace, ids.repository, ids.groupSlug);
      const state = compact({ ...ids, permission: live.permission, groupName: live.group.name });
      return { id, props: state, inputs: { ...ids, permission: live.permission } };
    } catch (err) {
      if (isNotFound(err)) return {};
      throw err;
    }
  },

  async update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const inputs = parseInputs(GroupPermissionInputs, news);
    const live = await getClient().api.putGroupPermission(inputs.workspace, inputs.repository, inputs.groupSlug, inputs.permission);
    return { outs: compact({ ...inputs, groupName: live.group.name ?? olds.groupName }) };
  },

  async delete(id: string, props: Record<string, unknown>) {
    const ids = splitId(id, props);
    try {
      await getClient().api.deleteGroupPermission(ids.workspace, ids.repository, ids.groupSlug);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
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

const OUTPUT_KEYS = ["workspace", "repository", "groupSlug", "permission", "groupName"];

/** A group's explicit permission on a repository. ID: `workspace/repository/groupSlug`. */
export class GroupPermission extends pulumi.dynamic.Resource {
  declare readonly workspace: pulumi.Output<string>;
  declare readonly repository: pulumi.Output<string>;
  declare readonly groupSlug: pulumi.Output<string>;
  declare readonly permission: pulumi.Output<"read" | "write" | "admin">;
  /** The group's display name. */
  declare readonly groupName: pulumi.Output<string>;

  constructor(name: string, args: GroupPermissionArgs, opts?: pulumi.CustomResourceOptions) {
    super(shim("GroupPermission"), name, withOutputs(args, OUTPUT_KEYS), opts, "bitbucket", "GroupPermission");
  }

  /** Reads an existing grant by ID `workspace/repository/groupSlug`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): GroupPermission {
    return new GroupPermission(name, undefined as unknown as GroupPermissionArgs, { ...opts, id });
  }
}
