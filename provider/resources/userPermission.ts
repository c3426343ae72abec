// UserPermission: a workspace member's explicit permission on one repository. PUT creates and
// updates it, DELETE removes it. ID: `workspace/repository/user`.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { BitbucketApiError, isNotFound } from "../client";
import { Permission, UserPermissionObject } from "../client/api";
import { getClient } from "../runtime";
import { shim } from "../shim";
import { changedKeys, checkInputs, compact, parseInputs, replacedKeys, RepositoryRef, WorkspaceRef } from "./common";
import { withOutputs } from "./repository";

// ---- Input schema ------------------------------------------------------------------------------

export const UserPermissionInputs = z.object({
  workspace: WorkspaceRef,
  repository: RepositoryRef,
  user: z.string().regex(/^(\{[0-9a-fA-F-]{36}\}|[A-Za-z0-9]+(:[A-Za-z0-9-]+)?)$/, "must be an Atlassian account id (e.g. 557058:ba8948b2-…) or a user {uuid}"),
  permission: Permission,
});
export type UserPermissionInputs = z.infer<typeof UserPermissionInputs>;

const IDENTITY = ["workspace", "repository", "user"] as const;

function splitId(id: string, props: Record<string, unknown> | undefined) {
  if (props?.workspace && props?.repository && props?.user)
    return { workspace: props.workspace as string, repository: props.repository as string, user: props.user as string };
  const [workspace, repository, user, ...rest] = id.split("/");
  if (!user || rest.length) throw new Error(`Invalid UserPermission ID ${id}: expected "workspace/repository/user".`);
  return { workspace, repository, user };
}

function userState(ids: { workspace: string; repository: string; user: string }, live: z.infer<typeof UserPermissionObject>) {
  return compact({ ...ids, permission: live.permission, userUuid: live.user.uuid, accountId: live.user.account_id, displayName: live.user.display_name });
}

async function put(inputs: UserPermissionInputs) {
  try {
    return await getClient().api.putUserPermission(inputs.workspace, inputs.repository, inputs.user, inputs.permission);
  } catch (err) {
    if (err instanceof BitbucketApiError && err.status === 400)
      throw new Error(
        `Cannot give ${inputs.user} ${inputs.permission} access to ${inputs.workspace}/${inputs.repository}: ${err.apiMessage ?? "not a valid user"}. ` +
          `An explicit user permission needs a member of workspace ${inputs.workspace} (invite them first) who is not its owner (the owner always has admin).`,
        { cause: err },
      );
    throw err;
  }
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const userPermissionProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    return checkInputs(UserPermissionInputs, news);
  },

  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const replaces = replacedKeys(olds, news, IDENTITY);
    const changes = changedKeys(olds, news, ["permission"]);
    // Old and new may name the same user (account id vs {uuid}): delete first so the delete cannot undo the new grant.
    return { changes: replaces.length > 0 || changes.length > 0, replaces, deleteBeforeReplace: true };
  },

  async create(raw: Record<string, unknown>) {
    const inputs = parseInputs(UserPermissionInputs, raw);
    const live = await put(inputs);
    return { id: `${inputs.workspace}/${inputs.repository}/${inputs.user}`, outs: userState(inputs, live) };
  },

  async read(id: string, props?: Record<string, unknown>) {
    const ids = splitId(id, props);
    try {
      const live = await getClient().api.getUserPermission(ids.workspace, ids.repository, ids.user);
      return { id, props: userState(ids, live), inputs: { ...ids, permission: live.permission } };
    } catch (err) {
      if (isNotFound(err)) return {};
      throw err;
    }
  },

  async update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
    const inputs = parseInputs(UserPermissionInputs, news);
    return { outs: userState(inputs, await put(inputs)) };
  },

  async delete(id: string, props: Record<string, unknown>) {
    const ids = splitId(id, props);
    try {
      await getClient().api.deleteUserPermission(ids.workspace, ids.repository, ids.user);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
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

const OUTPUT_KEYS = ["workspace", "repository", "user", "permission", "userUuid", "accountId", "displayName"];

/** A user's explicit permission on a repository. ID: `workspace/repository/user`. */
export class UserPermission extends pulumi.dynamic.Resource {
  declare readonly workspace: pulumi.Output<string>;
  declare readonly repository: pulumi.Output<string>;
  declare readonly user: pulumi.Output<string>;
  declare readonly permission: pulumi.Output<"read" | "write" | "admin">;
  declare readonly userUuid: pulumi.Output<string>;
  declare readonly accountId: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;

  constructor(name: string, args: UserPermissionArgs, opts?: pulumi.CustomResourceOptions) {
    super(shim("UserPermission"), name, withOutputs(args, OUTPUT_KEYS), opts, "bitbucket", "UserPermission");
  }

  /** Reads an existing grant by ID `workspace/repository/user`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): UserPermission {
    return new UserPermission(name, undefined as unknown as UserPermissionArgs, { ...opts, id });
  }
}
