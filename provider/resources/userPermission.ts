// UserPermission: a workspace member's explicit permission on one repository. PUT creates and
// updates it (creation over an identical grant writes nothing), DELETE removes it. ID: `workspace/repository/user`.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ifFound } from "../client";
import { Permission, UserPermissionObject } from "../client/api";
import type { Context } from "../context";
import { BitbucketResource, compact, diffResult, reportTakeOver, RepositoryRef, ResourceProvider, splitId, UserRef, withOutputs, WorkspaceRef } from "./common";
import { claimRule, itemClaim, lowerCase, repositoryRef } from "./claims";
import { fieldTable, Inputs, output, outputTable, ResourceOutputs } from "./fields";
import { userGrantError } from "./grants";
import { collection, repositoryOf, text, type Discovery } from "./discovery";
import { REPOSITORIES } from "./repository";

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

function userState(ids: { workspace: string; repository: string; user: string }, live: z.infer<typeof UserPermissionObject>) {
  return compact({ ...ids, ...FIELDS.state(live), userUuid: live.user.uuid, accountId: live.user.account_id, displayName: live.user.display_name });
}

async function put({ api }: Context, inputs: Inputs<typeof FIELDS.rows>) {
  try {
    return await api.repositoryGrants.users.put(inputs.workspace, inputs.repository, inputs.user, inputs.permission);
  } catch (err) {
    throw userGrantError(err, inputs.user, inputs.permission, `${inputs.workspace}/${inputs.repository}`, inputs.workspace);
  }
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  // Bitbucket refuses repository/project/workspace access tokens on permissions-config.
  credentials: { accepted: ["basic", "oauth"] },

  async check(_olds, news) {
    return FIELDS.check(news);
  },

  async diff(_id, olds, news) {
    // Old and new may name the same user (account id vs {uuid}): delete first so the delete cannot undo the new grant.
    return diffResult(FIELDS.diff(olds, news), true);
  },

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    // Taking over an identical grant writes nothing.
    const current = await ifFound(ctx.api.repositoryGrants.users.get(inputs.workspace, inputs.repository, inputs.user));
    if (current && current.permission !== inputs.permission)
      reportTakeOver(
        ctx,
        `UserPermission: user ${inputs.user} already had ${current.permission} access to ${inputs.workspace}/${inputs.repository}, now ${inputs.permission}`,
      );
    const live = current?.permission === inputs.permission ? current : await put(ctx, inputs);
    return { id: ID_PARTS.map((k) => inputs[k]).join("/"), outs: userState(inputs, live) };
  },

  async read({ api }, id, props) {
    const ids = splitId("user permission", id, ID_PARTS, props);
    const live = await ifFound(api.repositoryGrants.users.get(ids.workspace, ids.repository, ids.user));
    if (!live) return {};
    const state = userState(ids, live);
    return { id, props: state, inputs: FIELDS.inputsOf(state) };
  },

  async update(ctx, _id, _olds, news) {
    const inputs = FIELDS.parse(news);
    return { outs: userState(inputs, await put(ctx, inputs)) };
  },

  async delete({ api }, id, props) {
    const ids = splitId("user permission", id, ID_PARTS, props);
    await ifFound(api.repositoryGrants.users.delete(ids.workspace, ids.repository, ids.user));
  },
};

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
