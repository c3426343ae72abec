// ProjectAccess: every explicit grant on one project, authoritatively (its permissions-config, which
// the project's repositories inherit). A live grant the program does not declare is drift, and `up`
// removes it. ID: `workspace/PROJECT_KEY`.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ifFound } from "../client";
import { ProjectPermission } from "../client/api";
import type { Context } from "../context";
import { ProjectKey } from "../identifiers";
import { BitbucketResource, compact, diffResult, GroupSlug, reportTakeOver, ResourceProvider, splitId, UserRef, withOutputs, WorkspaceRef } from "./common";
import { claimRule, collectionClaim, projectRef } from "./claims";
import { fieldTable, outputTable, ResourceOutputs } from "./fields";
import { applyGrants, checkGrants, GrantOwner, Grants, managedCollections, readGrants, removeGrants } from "./grants";
import { mapKeyObject, text, type Discovery } from "./discovery";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<ProjectAccessArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  project: { schema: ProjectKey, replace: true },
  groups: { schema: z.record(GroupSlug, ProjectPermission).optional(), update: true },
  users: { schema: z.record(UserRef, ProjectPermission).optional(), update: true },
});

const ID_PARTS = ["workspace", "project"] as const;

/** ProjectAccess owns each grant collection it sets (groups, users) of its project whole. */
export const claims = claimRule(["workspace", "project", "groups", "users"], (args) => {
  const project = projectRef(args.workspace, args.project);
  return [
    ...(args.groups !== undefined ? collectionClaim(project, "group permissions", "groups") : []),
    ...(args.users !== undefined ? collectionClaim(project, "user permissions", "users") : []),
  ];
});

const grantOwner = ({ api }: Context, workspace: string, project: string): GrantOwner<ProjectPermission> => ({
  collections: api.projectGrants,
  workspace,
  id: project,
  target: `project ${workspace}/${project}`,
});

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  // Bitbucket refuses repository/project/workspace access tokens on permissions-config, where the grants live.
  credentials: { accepted: ["basic", "oauth"], whenSet: ["groups", "users"] },

  async check(_olds, news, known) {
    return checkGrants(FIELDS.check(news), news, known);
  },

  async diff(_id, olds, news) {
    return diffResult(FIELDS.diff(olds, news), true);
  },

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    const grants = await applyGrants(grantOwner(ctx, inputs.workspace, inputs.project), inputs, (found) => reportTakeOver(ctx, `ProjectAccess: ${found}`));
    return { id: `${inputs.workspace}/${inputs.project}`, outs: compact({ workspace: inputs.workspace, project: inputs.project, ...grants }) };
  },

  async read(ctx, id, props) {
    const ids = splitId("project access", id, ID_PARTS, props);
    const collections = managedCollections(props);
    const grants = await ifFound(readGrants(grantOwner(ctx, ids.workspace, ids.project), collections, Object.keys((props as Grants | undefined)?.users ?? {})));
    if (!grants) return {};
    const outs = compact({ ...ids, ...grants });
    return { id, props: outs, inputs: FIELDS.inputsOf(outs) };
  },

  async update(ctx, _id, _olds, news) {
    const inputs = FIELDS.parse(news);
    const grants = await applyGrants(grantOwner(ctx, inputs.workspace, inputs.project), inputs);
    return { outs: compact({ workspace: inputs.workspace, project: inputs.project, ...grants }) };
  },

  async delete(ctx, id, props) {
    const ids = splitId("project access", id, ID_PARTS, props);
    await removeGrants(grantOwner(ctx, ids.workspace, ids.project), props as Grants);
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** The project whose grants it holds; a grant field names a group by slug or a user by account id. */
export const discovery: Discovery = {
  describe: (outputs) => ({ workspace: text(outputs.workspace), project: text(outputs.project) }),
  describeField: (field) => mapKeyObject(field, { groups: { label: "group" }, users: { label: "user" } }),
};

// ---- Resource class ----------------------------------------------------------------------------

type ProjectPermissionName = "read" | "write" | "create-repo" | "admin";

export interface ProjectAccessArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the resource. */
  workspace: pulumi.Input<string>;
  /** The project's key (e.g. `PLAT`). Changing it replaces the resource. */
  project: pulumi.Input<string>;
  /**
   * Every group with an explicit permission on the project: group slug → `read` | `write` |
   * `create-repo` | `admin`. A group granted outside Pulumi is drift and `up` removes its grant. Unset: not managed.
   */
  groups?: pulumi.Input<Record<string, pulumi.Input<ProjectPermissionName>>>;
  /** Every user with an explicit permission on the project: account id (or `{uuid}`) → permission. Unset: not managed. */
  users?: pulumi.Input<Record<string, pulumi.Input<ProjectPermissionName>>>;
}

const OUTPUTS = outputTable(FIELDS, {});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface ProjectAccess extends ResourceOutputs<typeof OUTPUTS> {}

/** All explicit group and user grants of a project. ID: `workspace/PROJECT_KEY`. */
export class ProjectAccess extends BitbucketResource {
  constructor(name: string, args: ProjectAccessArgs, opts?: pulumi.CustomResourceOptions) {
    super("ProjectAccess", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads the grants of a project by ID `workspace/PROJECT_KEY`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ProjectAccess {
    return ProjectAccess.existing(name, id, undefined, opts);
  }
}
