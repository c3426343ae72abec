// RepositoryAccess: every explicit grant on one repository, authoritatively. A live grant the program
// does not declare is drift, and `up` removes it. ID: `workspace/{repository uuid}`, so the resource
// survives a rename whatever the program passes as `repository`.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ifFound } from "../client";
import { Permission } from "../client/api";
import type { Context } from "../context";
import {
  BitbucketResource,
  compact,
  diffResult,
  GroupSlug,
  RepositoryRef,
  repositoryUuid,
  reportTakeOver,
  ResourceProvider,
  splitId,
  UserRef,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, collectionClaim, repositoryRef } from "./claims";
import { fieldTable } from "./fields";
import { applyGrants, checkGrants, GrantOwner, Grants, managedCollections, readGrants, removeGrants } from "./grants";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<RepositoryAccessArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  groups: { schema: z.record(GroupSlug, Permission).optional(), update: true },
  users: { schema: z.record(UserRef, Permission).optional(), update: true },
});

const ID_PARTS = ["workspace", "repositoryUuid"] as const;

/** RepositoryAccess owns each grant collection it sets (groups, users) of its repository whole. */
export const claims = claimRule(["workspace", "repository", "groups", "users"], (args) => {
  const repository = repositoryRef(args.workspace, args.repository);
  return [
    ...(args.groups !== undefined ? collectionClaim(repository, "group permissions", "groups") : []),
    ...(args.users !== undefined ? collectionClaim(repository, "user permissions", "users") : []),
  ];
});

const grantOwner = ({ api }: Context, workspace: string, uuid: string): GrantOwner<Permission> => ({
  collections: api.repositoryGrants,
  workspace,
  id: uuid,
  target: `repository ${workspace}/${uuid}`,
});

const state = (ids: { workspace: string; repository: string; repositoryUuid: string }, grants: Grants) => compact({ ...ids, ...grants });

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  // Bitbucket refuses repository/project/workspace access tokens on permissions-config, where the grants live.
  credentials: { accepted: ["basic", "oauth"], whenSet: ["groups", "users"] },

  async check(_olds, news, known) {
    return checkGrants(FIELDS.check(news), news, known);
  },

  async diff(_id, olds, news) {
    // Old and new may be the same repository (slug vs {uuid}): remove the old grants before setting the new ones.
    return diffResult(FIELDS.diff(olds, news), true);
  },

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    const uuid = await repositoryUuid(ctx.api, inputs.workspace, inputs.repository);
    const grants = await applyGrants(grantOwner(ctx, inputs.workspace, uuid), inputs, (found) => reportTakeOver(ctx, `RepositoryAccess: ${found}`));
    return { id: `${inputs.workspace}/${uuid}`, outs: state({ workspace: inputs.workspace, repository: inputs.repository, repositoryUuid: uuid }, grants) };
  },

  async read(ctx, id, props) {
    const ids = splitId("repository access", id, ID_PARTS, props);
    const collections = managedCollections(props);
    const grants = await ifFound(
      readGrants(grantOwner(ctx, ids.workspace, ids.repositoryUuid), collections, Object.keys((props as Grants | undefined)?.users ?? {})),
    );
    if (!grants) return {};
    const outs = state({ ...ids, repository: (props?.repository as string | undefined) ?? ids.repositoryUuid }, grants);
    return { id, props: outs, inputs: FIELDS.inputsOf(outs) };
  },

  async update(ctx, id, _olds, news) {
    const inputs = FIELDS.parse(news);
    const ids = splitId("repository access", id, ID_PARTS);
    const grants = await applyGrants(grantOwner(ctx, ids.workspace, ids.repositoryUuid), inputs);
    return { outs: state({ ...ids, repository: inputs.repository }, grants) };
  },

  async delete(ctx, id, props) {
    const ids = splitId("repository access", id, ID_PARTS, props);
    await removeGrants(grantOwner(ctx, ids.workspace, ids.repositoryUuid), props as Grants);
  },
};

// ---- Resource class ----------------------------------------------------------------------------

export interface RepositoryAccessArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the resource. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id`. The resource addresses the repository by UUID either way. Changing it replaces the resource. */
  repository: pulumi.Input<string>;
  /**
   * Every group with an explicit permission on the repository: group slug → `read` | `write` | `admin`.
   * A group granted outside Pulumi is drift and `up` removes its grant. Unset: group grants are not managed.
   */
  groups?: pulumi.Input<Record<string, pulumi.Input<"read" | "write" | "admin">>>;
  /**
   * Every user with an explicit permission on the repository: Atlassian account id (or `{uuid}`) →
   * `read` | `write` | `admin`. Each must be a member of the workspace and not its owner. Unset: user grants are not managed.
   */
  users?: pulumi.Input<Record<string, pulumi.Input<"read" | "write" | "admin">>>;
}

const OUTPUT_KEYS = [...FIELDS.stateKeys, "repositoryUuid"];

/** All explicit group and user grants of a repository. ID: `workspace/{repository uuid}`. */
export class RepositoryAccess extends BitbucketResource {
  declare readonly workspace: pulumi.Output<string>;
  declare readonly repository: pulumi.Output<string>;
  /** The repository's UUID (part of the ID), whatever `repository` gives. */
  declare readonly repositoryUuid: pulumi.Output<string>;
  declare readonly groups: pulumi.Output<Record<string, "read" | "write" | "admin"> | undefined>;
  declare readonly users: pulumi.Output<Record<string, "read" | "write" | "admin"> | undefined>;

  constructor(name: string, args: RepositoryAccessArgs, opts?: pulumi.CustomResourceOptions) {
    super("RepositoryAccess", claims, name, withOutputs(args, OUTPUT_KEYS), opts);
  }

  /** Reads the grants of a repository by ID `workspace/{repository uuid}`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): RepositoryAccess {
    return new RepositoryAccess(name, undefined as unknown as RepositoryAccessArgs, { ...opts, id });
  }
}
