// DeploymentVariable: a variable of one deployment environment (read by the deployment steps that
// deploy to it). The Pulumi ID is the variable's UUID; the state also holds the workspace, the
// repository's UUID and the environment's UUID, by which it is addressed. The spec has no GET of one
// deployment variable: a read finds it in its environment's list. The value is a Pulumi secret; a
// secured one is write-only (pipelineVariables.ts).
import * as pulumi from "@pulumi/pulumi";
import { ifFound } from "../client";
import type { VariableObject } from "../client/api";
import { ObjectUuid } from "../identifiers";
import {
  BitbucketResource,
  checkAndDiff,
  compact,
  repositoryObjectId,
  RepositoryRef,
  repositoryUuid,
  ResourceProvider,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, itemClaim, lowerCase } from "./claims";
import { text, claimsOne, describeOne, type Collection, type Discovery, terraformImport } from "./discovery";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { createVariableOnce, VARIABLE_ROWS, variableBody, variableState } from "./pipelineVariables";
import { ENVIRONMENTS } from "./deploymentEnvironment";
import { REPOSITORIES, terraformRepository, terraformRepositoryId } from "./repository";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<DeploymentVariableArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  environment: { schema: ObjectUuid.toLowerCase(), replace: true },
  ...VARIABLE_ROWS,
});

const environmentRef = (environment: unknown) => {
  const uuid = lowerCase(environment);
  return uuid ? `deployment environment ${uuid}` : undefined;
};

/** A DeploymentVariable owns the environment's variable with its key (Bitbucket holds a key once per environment). */
export const claims = claimRule(["environment", "key"], (args) =>
  itemClaim(
    environmentRef(args.environment),
    "deployment variables",
    typeof args.key === "string" ? args.key : undefined,
    "one deployment variable (matched by its key)",
    "key",
  ),
);

function state(live: VariableObject, ids: { workspace: string; repository: string; repositoryUuid: string; environment: string }, spelled: unknown) {
  return compact({ ...ids, ...variableState(live, spelled), uuid: live.uuid });
}

/** The ID is the variable's UUID; `get` also accepts `workspace/repository/{environment uuid}/{variable uuid}`. */
const variableId = (id: string, props?: Record<string, unknown>) =>
  repositoryObjectId("deployment variable", id, ["workspace", "repository", "environment", "uuid"], props);

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  ...checkAndDiff(FIELDS, true),

  async create(ctx, raw) {
    const { api } = ctx;
    const inputs = FIELDS.parse(raw);
    const { workspace, repository, environment } = inputs;
    const uuid = await repositoryUuid(api, workspace, repository);
    const body = variableBody(inputs);
    const live = await createVariableOnce(
      ctx,
      {
        what: `DeploymentVariable: environment ${environment} of ${workspace}/${repository}`,
        list: () => api.listDeploymentVariables(workspace, uuid, environment),
        create: () => api.createDeploymentVariable(workspace, uuid, environment, body),
        update: (existing) => api.updateDeploymentVariable(workspace, uuid, environment, existing, body),
      },
      body,
    );
    return { id: live.uuid, outs: state(live, { workspace, repository, repositoryUuid: uuid, environment }, inputs.value) };
  },

  async read({ api }, id, props) {
    const { workspace, repository, environment, uuid, at } = variableId(id, props);
    const listed = await ifFound(api.listDeploymentVariables(workspace, at, environment));
    const live = listed?.find((v) => v.uuid.toLowerCase() === uuid.toLowerCase());
    if (!live) return {};
    const repoUuid = text(props?.repositoryUuid) ?? (await repositoryUuid(api, workspace, at));
    const outs = state(live, { workspace, repository, repositoryUuid: repoUuid, environment }, props?.value);
    return { id: live.uuid, props: outs, inputs: FIELDS.inputsOf(outs) };
  },

  async update({ api }, id, olds, news) {
    const inputs = FIELDS.parse(news);
    const at = text(olds.repositoryUuid) ?? inputs.repository;
    const live = await api.updateDeploymentVariable(inputs.workspace, at, inputs.environment, id, variableBody(inputs));
    const ids = { workspace: inputs.workspace, repository: inputs.repository, repositoryUuid: at, environment: inputs.environment };
    return { outs: state(live, ids, inputs.value) };
  },

  async delete({ api }, id, props) {
    const { workspace, environment, uuid, at } = variableId(id, props);
    await ifFound(api.deleteDeploymentVariable(workspace, at, environment, uuid));
  },
};

// ---- Drift search ------------------------------------------------------------------------------

/** The variables of every deployment environment of a repository: reported by key, never by value. */
export const DEPLOYMENT_VARIABLES: Collection<VariableObject & { environment: string }> = {
  label: "deployment variable",
  plural: "deployment variables",
  on: REPOSITORIES.label,
  async list(api, { workspace, container }) {
    const environments = await api.listEnvironments(workspace, container!.uuid);
    const lists = await Promise.all(
      environments.map(async (e) => (await api.listDeploymentVariables(workspace, container!.uuid, e.uuid)).map((v) => ({ ...v, environment: e.name }))),
    );
    return lists.flat();
  },
  listed: (v) => ({ keys: [v.uuid], id: v.uuid, title: v.key, detail: `${v.key} of ${v.environment}${v.secured ? " (secured)" : ""}` }),
};

/** A DeploymentVariable holds one variable by UUID. Import declares none: it would need the environments' variables declared in the program. */
export const discovery: Discovery = {
  claims: claimsOne(DEPLOYMENT_VARIABLES),
  describe: describeOne("deployment variable", (o) => text(o.key), "workspace"),
  search: DEPLOYMENT_VARIABLES,
  // bitbucket_deployment_variable: deployment (the environment's Terraform ID, `owner/slug:{uuid}`), key,
  // value, secured. The environment is the DeploymentEnvironment declared above, else its `{uuid}`.
  terraform: terraformImport({
    type: "bitbucket_deployment_variable",
    order: 4,
    declare: ({ attributes: a, name }, { workspaceOf }) => {
      const deployment = String(a.deployment);
      const [repository, environment = ""] = deployment.split(":");
      const { owner, slug } = terraformRepositoryId(repository);
      const secured = a.secured === true;
      return [
        {
          name,
          args: [
            ["workspace", workspaceOf(owner)],
            ["repository", terraformRepository(owner, slug)],
            [
              "environment",
              {
                idOf: deployment,
                in: ENVIRONMENTS.label,
                orElse: environment,
                note: `The deployment environment ${deployment} is not in this state: named by its UUID.`,
              },
            ],
            ["key", String(a.key)],
            ["value", secured ? { configSecret: { repository: deployment, url: `variable ${String(a.key)}` } } : (text(a.value) ?? "")],
            ["secured", secured || undefined],
          ],
        },
      ];
    },
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface DeploymentVariableArgs {
  /** Workspace slug (or `{uuid}`) of the repository. Changing it replaces the variable. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id` (the UUID) so a rename changes nothing. Changing it replaces the variable. */
  repository: pulumi.Input<string>;
  /** The environment's `{uuid}`: pass a DeploymentEnvironment's `id`. Changing it replaces the variable. */
  environment: pulumi.Input<string>;
  /** The variable's name: ASCII letters, digits and underscores, not starting with a digit; case-sensitive; once per environment. Updates in place. */
  key: pulumi.Input<string>;
  /** The value. Always kept as a Pulumi secret. A secured value is write-only: Bitbucket never returns it, so a change made to it outside Pulumi cannot be seen (the key and `secured` still can). Updates in place. */
  value: pulumi.Input<string>;
  /** Whether the value is secured (hidden in logs and in the API). Default false. Changing it replaces the variable (Bitbucket cannot un-secure one). */
  secured?: pulumi.Input<boolean>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The value (a Pulumi secret): for a secured variable, the one last set. */
  value: argument(),
  secured: argument("always set"),
  /** The repository's UUID, by which the variable is addressed. */
  repositoryUuid: output<string>(),
  /** The variable's UUID (also the resource ID). */
  uuid: output<string>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface DeploymentVariable extends ResourceOutputs<typeof OUTPUTS> {}

/** A variable of a deployment environment. ID: the variable's `{uuid}`. */
export class DeploymentVariable extends BitbucketResource {
  constructor(name: string, args: DeploymentVariableArgs, opts?: pulumi.CustomResourceOptions) {
    const props = withOutputs({ ...args, value: args?.value === undefined ? undefined : pulumi.secret(args.value) }, OUTPUTS.keys);
    const additionalSecretOutputs = [...(opts?.additionalSecretOutputs ?? []), ...FIELDS.secretKeys];
    super("DeploymentVariable", claims, name, props, { ...opts, additionalSecretOutputs });
  }

  /** Reads an existing variable: `get(name, "{variable uuid}", { workspace, repository, environment })` or `get(name, "workspace/repository/{environment uuid}/{variable uuid}")`. */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: { workspace?: pulumi.Input<string>; repository?: pulumi.Input<string>; environment?: pulumi.Input<string> },
    opts?: pulumi.CustomResourceOptions,
  ): DeploymentVariable {
    return DeploymentVariable.existing(name, id, state, opts);
  }
}
