// DeploymentEnvironment: a deployment environment of a repository (Test, Staging or Production),
// what Pipelines' deployment steps name. The Pulumi ID is the environment's UUID; the state also holds
// the workspace and the repository's UUID, by which it is addressed (a rename changes nothing).
// Bitbucket updates one by `POST …/changes` (answered 202 without a body: the environment is read back).
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { BitbucketApiError, ifFound, isAlreadyExists } from "../client";
import type { EnvironmentBody, EnvironmentObject } from "../client/api";
import type { Context } from "../context";
import {
  BitbucketResource,
  checkAndDiff,
  compact,
  InRepository,
  repositoryObjectId,
  RepositoryRef,
  repositoryUuid,
  reportTakeOver,
  ResourceProvider,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, itemClaim, repositoryRef } from "./claims";
import { attachedImport, CONTAINER_ID, text, WORKSPACE, claimsOne, describeOne, type Collection, type Discovery, terraformImport } from "./discovery";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { REPOSITORIES, terraformRepository, terraformRepositoryId } from "./repository";

// ---- Fields ------------------------------------------------------------------------------------

export const ENVIRONMENT_TYPES = ["Test", "Staging", "Production"] as const;

export const FIELDS = fieldTable<DeploymentEnvironmentArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  name: { schema: z.string().trim().min(1, "must not be empty").max(255, "must be at most 255 characters"), api: "name", update: true },
  environmentType: { schema: z.enum(ENVIRONMENT_TYPES), api: "environment_type.name", replace: true },
  rank: { schema: z.number().int("must be a whole number").min(0, "must be 0 or more").optional(), api: "rank", update: true },
  adminOnly: { schema: z.boolean().default(false), api: "restrictions.admin_only", absent: false, update: true },
});

/** A DeploymentEnvironment owns the repository's environment with its name (Bitbucket holds a name once per repository, in any case). */
export const claims = claimRule(["workspace", "repository", "name"], (args) =>
  itemClaim(
    repositoryRef(args.workspace, args.repository),
    "deployment environments",
    typeof args.name === "string" ? args.name.toLowerCase() : undefined,
    "one deployment environment (matched by its name, in any case)",
    "name",
  ),
);

function state(live: EnvironmentObject, ids: { workspace: string; repository: string; repositoryUuid: string }) {
  return compact({ ...ids, ...FIELDS.state(live), uuid: live.uuid });
}

/** The ID is the environment's UUID; `get` also accepts `workspace/repository/{uuid}`. */
const environmentId = (id: string, props?: Record<string, unknown>) =>
  repositoryObjectId("deployment environment", id, ["workspace", "repository", "uuid"], props);

/** What `…/changes` is given: the updatable fields that differ from `live`. */
function changes(live: Record<string, unknown>, inputs: { name: string; rank?: number; adminOnly: boolean }): Partial<EnvironmentBody> {
  return {
    ...(live.name !== inputs.name ? { name: inputs.name } : {}),
    ...(inputs.rank !== undefined && live.rank !== inputs.rank ? { rank: inputs.rank } : {}),
    ...(live.adminOnly !== inputs.adminOnly ? { restrictions: { admin_only: inputs.adminOnly } } : {}),
  };
}

/**
 * An environment with the program's name (in any case) that a lost answer, a killed run or a person
 * made: taken over when of the program's type (set to the program's settings, said so when they
 * differ), refused otherwise (its type cannot change, and replacing it would lose its variables).
 */
async function takeOver(
  ctx: Context,
  where: { workspace: string; uuid: string; what: string },
  inputs: ReturnType<typeof FIELDS.parse>,
  err: BitbucketApiError,
) {
  const { api } = ctx;
  const existing = (await api.listEnvironments(where.workspace, where.uuid)).find((e) => e.name.toLowerCase() === inputs.name.toLowerCase());
  if (!existing) throw err;
  const live = FIELDS.state(existing);
  if (live.environmentType !== inputs.environmentType)
    throw new Error(
      `${where.what} already has a ${String(live.environmentType)} environment named "${existing.name}" (${existing.uuid}); its type cannot change to ${inputs.environmentType}. Give this one another name, or import that one with the type ${String(live.environmentType)}.`,
    );
  const change = changes(live, inputs);
  if (Object.keys(change).length === 0) return existing;
  reportTakeOver(ctx, `${where.what} already had the environment "${existing.name}" (${existing.uuid}), now set to the program's settings`);
  await api.changeEnvironment(where.workspace, where.uuid, existing.uuid, change);
  return api.getEnvironment(where.workspace, where.uuid, existing.uuid);
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  // The name is held once per repository: the old environment goes first.
  ...checkAndDiff(FIELDS, true),

  async create(ctx, raw) {
    const { api } = ctx;
    const inputs = FIELDS.parse(raw);
    const { workspace, repository } = inputs;
    const uuid = await repositoryUuid(api, workspace, repository);
    const body: EnvironmentBody = {
      name: inputs.name,
      environment_type: { name: inputs.environmentType },
      ...(inputs.rank !== undefined ? { rank: inputs.rank } : {}),
      restrictions: { admin_only: inputs.adminOnly },
    };
    let live: EnvironmentObject;
    try {
      live = await api.createEnvironment(workspace, uuid, body);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      live = await takeOver(ctx, { workspace, uuid, what: `DeploymentEnvironment: ${workspace}/${repository}` }, inputs, err);
    }
    return { id: live.uuid, outs: state(live, { workspace, repository, repositoryUuid: uuid }) };
  },

  async read({ api }, id, props) {
    const { workspace, repository, uuid, at } = environmentId(id, props);
    const live = await ifFound(api.getEnvironment(workspace, at, uuid));
    if (!live) return {};
    const repoUuid = text(props?.repositoryUuid) ?? (await repositoryUuid(api, workspace, at));
    const outs = state(live, { workspace, repository, repositoryUuid: repoUuid });
    return { id: live.uuid, props: outs, inputs: FIELDS.inputsOf(outs) };
  },

  async update({ api }, id, olds, news) {
    const inputs = FIELDS.parse(news);
    const at = text(olds.repositoryUuid) ?? inputs.repository;
    const change = changes(olds, inputs);
    if (Object.keys(change).length > 0) await api.changeEnvironment(inputs.workspace, at, id, change);
    const live = await api.getEnvironment(inputs.workspace, at, id);
    return { outs: state(live, { workspace: inputs.workspace, repository: inputs.repository, repositoryUuid: at }) };
  },

  async delete({ api }, id, props) {
    const { workspace, uuid, at } = environmentId(id, props);
    await ifFound(api.deleteEnvironment(workspace, at, uuid));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** A repository's deployment environments. */
export const ENVIRONMENTS: Collection<EnvironmentObject> = {
  label: "deployment environment",
  plural: "deployment environments",
  on: REPOSITORIES.label,
  list: (api, { workspace, container }) => api.listEnvironments(workspace, container!.uuid),
  listed: (e) => ({ keys: [e.uuid], id: e.uuid, title: e.name, detail: `${e.name} (${e.environment_type?.name ?? "?"})` }),
};

/** A DeploymentEnvironment holds one environment by UUID; imported one per environment of each imported repository. */
export const discovery: Discovery = {
  claims: claimsOne(ENVIRONMENTS),
  describe: describeOne("environment", (o) => text(o.name), "repository"),
  search: ENVIRONMENTS,
  import: attachedImport({
    on: REPOSITORIES,
    counted: "deployment environments",
    order: 8,
    read: (api, place) => ENVIRONMENTS.list(api, place, []),
    declare: (environments, container) =>
      environments.map((e, i) => ({
        name: `${container.key}-environment-${i + 1}`,
        args: [
          ["workspace", WORKSPACE],
          ["repository", CONTAINER_ID],
          ["name", e.name],
          ["environmentType", e.environment_type?.name ?? "Test"],
          ["rank", e.rank ?? undefined],
          ["adminOnly", e.restrictions?.admin_only ?? false],
        ],
      })),
  }),
  // bitbucket_deployment: repository (`owner/slug`), name, stage (the environment type), uuid; newer
  // versions add restrictions[0].admin_only. Its Terraform ID, `owner/slug:{uuid}`, is what
  // bitbucket_deployment_variable's `deployment` holds. Creation takes over the environment of that name.
  terraform: terraformImport({
    type: "bitbucket_deployment",
    order: 3,
    known: (a) => ({ in: ENVIRONMENTS.label, key: text(a.id) ?? `${String(a.repository)}:${String(a.uuid)}` }),
    declare: ({ attributes: a, name }, { workspaceOf }) => {
      const { owner, slug } = terraformRepositoryId(a.repository);
      const restrictions = Array.isArray(a.restrictions) ? (a.restrictions[0] as Record<string, unknown> | undefined) : undefined;
      return [
        {
          name,
          args: [
            ["workspace", workspaceOf(owner)],
            ["repository", terraformRepository(owner, slug)],
            ["name", String(a.name)],
            ["environmentType", String(a.stage)],
            ["adminOnly", restrictions?.admin_only === true || undefined],
          ],
        },
      ];
    },
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export type EnvironmentType = (typeof ENVIRONMENT_TYPES)[number];

export interface DeploymentEnvironmentArgs {
  /** Workspace slug (or `{uuid}`) of the repository. Changing it replaces the environment. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id` (the UUID) so a rename changes nothing. Changing it replaces the environment. */
  repository: pulumi.Input<string>;
  /** The environment's name (what a deployment step's `deployment:` names), unique in the repository in any case, at most 255 characters. Updates in place. */
  name: pulumi.Input<string>;
  /** `Test`, `Staging` or `Production`. Bitbucket cannot change it: a change replaces the environment (its deployment variables and history go with it). */
  environmentType: pulumi.Input<EnvironmentType>;
  /** Its place among the environments of its type (0 first). Unset: Bitbucket's (after the others), then not managed. Updates in place. */
  rank?: pulumi.Input<number>;
  /** Only workspace and repository admins may deploy to it (Bitbucket's admin-only restriction). Default false. Updates in place. */
  adminOnly?: pulumi.Input<boolean>;
}

const OUTPUTS = outputTable(FIELDS, {
  rank: argument("always set"),
  /** The repository's UUID, by which the environment is addressed. */
  repositoryUuid: output<string>(),
  /** The environment's UUID (also the resource ID): what a DeploymentVariable's `environment` takes. */
  uuid: output<string>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface DeploymentEnvironment extends ResourceOutputs<typeof OUTPUTS> {}

/** A repository's deployment environment. ID: the environment's `{uuid}`. */
export class DeploymentEnvironment extends BitbucketResource {
  constructor(name: string, args: DeploymentEnvironmentArgs, opts?: pulumi.CustomResourceOptions) {
    super("DeploymentEnvironment", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing environment: `get(name, "{environment uuid}", { workspace, repository })` or `get(name, "workspace/repository/{environment uuid}")`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: InRepository, opts?: pulumi.CustomResourceOptions): DeploymentEnvironment {
    return DeploymentEnvironment.existing(name, id, state, opts);
  }
}
