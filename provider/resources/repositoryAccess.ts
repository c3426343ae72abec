// RepositoryAccess: every explicit grant on one repository, authoritatively. A live grant the program
// does not declare is drift, and `up` removes it. ID: `workspace/{repository uuid}`, so the resource
// survives a rename whatever the program passes as `repository`.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { BitbucketApiError, ifFound } from "../client";
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
import { fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { applyGrants, checkGrants, GrantOwner, Grants, managedCollections, readGrants, removeGrants } from "./grants";
import { attachedImport, CONTAINER_ID, mapKeyObject, WORKSPACE, wholeOfRepository, type Discovery, type MapEntry } from "./discovery";
import { GROUP_GRANTS } from "./groupPermission";
import { REPOSITORIES } from "./repository";
import { USER_GRANTS } from "./userPermission";

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

// ---- Drift search and import -------------------------------------------------------------------

/** A repository's explicit grants as `import` reads them: group slug -> permission, users by account id. */
export interface ImportedGrants {
  groups: Record<string, Permission>;
  users: { accountId: string; displayName?: string; permission: Permission }[];
}

/** A grant field's object: `groups.<slug>` a group, `users.<account id>` a user (their names listed by the grant collections). */
const GRANT_MAPS = { groups: { label: "group", collection: GROUP_GRANTS.label }, users: { label: "user", collection: USER_GRANTS.label } };

/** Access tokens get 403 on permissions-config: the grants are then left out, not guessed. */
async function unlessForbidden<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (err) {
    if (err instanceof BitbucketApiError && err.status === 403) return undefined;
    throw err;
  }
}

/**
 * RepositoryAccess holds both grant collections of its repository: the search leaves them to its
 * diff. Import declares a repository's explicit grants as one RepositoryAccess (both maps, users by
 * account id, each after a comment with the display name), so a grant added later is drift.
 */
export const discovery: Discovery = {
  ...wholeOfRepository(GROUP_GRANTS, USER_GRANTS),
  describeField: (field) => mapKeyObject(field, GRANT_MAPS),
  import: attachedImport({
    on: REPOSITORIES,
    counted: "grants",
    order: 2,
    // Read as the program declares them: groups by slug, users by account id (else `{uuid}`) with their display names.
    read: async (api, place): Promise<ImportedGrants | undefined> => {
      const [groups, users] = await Promise.all([unlessForbidden(GROUP_GRANTS.list(api, place, [])), unlessForbidden(USER_GRANTS.list(api, place, []))]);
      if (!groups || !users) return undefined;
      return {
        groups: Object.fromEntries(groups.map((g) => [g.group.slug, g.permission])),
        users: users.flatMap((u) => {
          const accountId = u.user.account_id ?? u.user.uuid;
          return accountId ? [{ accountId, displayName: u.user.display_name, permission: u.permission }] : [];
        }),
      };
    },
    declare: (grants, container) => {
      if (!grants) return [{ comment: "Grants not imported: these credentials cannot read permissions-config (access tokens cannot)." }];
      const groups = Object.entries(grants.groups).sort(([a], [b]) => a.localeCompare(b));
      const users = [...grants.users].sort((a, b) => a.accountId.localeCompare(b.accountId));
      if (groups.length === 0 && users.length === 0) return [];
      return [
        {
          name: `${container.key}-access`,
          count: groups.length + users.length,
          args: [
            ["workspace", WORKSPACE],
            ["repository", CONTAINER_ID],
            ["groups", { entries: groups }],
            // Each user's display name in a comment before the account id.
            ["users", { entries: users.map((u): MapEntry => [u.accountId, u.permission, u.displayName]) }],
          ],
        },
      ];
    },
  }),
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

const OUTPUTS = outputTable(FIELDS, {
  /** The repository's UUID (part of the ID), whatever `repository` gives. */
  repositoryUuid: output<string>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface RepositoryAccess extends ResourceOutputs<typeof OUTPUTS> {}

/** All explicit group and user grants of a repository. ID: `workspace/{repository uuid}`. */
export class RepositoryAccess extends BitbucketResource {
  constructor(name: string, args: RepositoryAccessArgs, opts?: pulumi.CustomResourceOptions) {
    super("RepositoryAccess", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads the grants of a repository by ID `workspace/{repository uuid}`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): RepositoryAccess {
    return RepositoryAccess.existing(name, id, undefined, opts);
  }
}
