// RepositoryVariable: a Pipelines variable of one repository. The Pulumi ID is the variable's UUID;
// the state also holds the workspace and the repository's UUID, by which it is addressed (a rename
// changes nothing). The value is a Pulumi secret; a secured one is write-only (pipelineVariables.ts).
import * as pulumi from "@pulumi/pulumi";
import { ifFound } from "../client";
import type { VariableObject } from "../client/api";
import {
  BitbucketResource,
  checkAndDiff,
  compact,
  InRepository,
  repositoryObjectId,
  RepositoryRef,
  repositoryUuid,
  ResourceProvider,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, itemClaim, repositoryRef } from "./claims";
import { attachedImport, CONTAINER_ID, text, WORKSPACE, claimsOne, describeOne, type Collection, type Discovery, terraformImport } from "./discovery";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { createVariableOnce, VARIABLE_ROWS, variableBody, variableState } from "./pipelineVariables";
import { REPOSITORIES, terraformRepository, terraformRepositoryId } from "./repository";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<RepositoryVariableArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  ...VARIABLE_ROWS,
});

/** A RepositoryVariable owns the repository's variable with its key (Bitbucket holds a key once per repository). */
export const claims = claimRule(["workspace", "repository", "key"], (args) =>
  itemClaim(
    repositoryRef(args.workspace, args.repository),
    "pipeline variables",
    typeof args.key === "string" ? args.key : undefined,
    "one pipeline variable (matched by its key)",
    "key",
  ),
);

function state(live: VariableObject, ids: { workspace: string; repository: string; repositoryUuid: string }, spelled: unknown) {
  return compact({ ...ids, ...variableState(live, spelled), uuid: live.uuid });
}

/** The ID is the variable's UUID; `get` also accepts `workspace/repository/{uuid}`. */
const variableId = (id: string, props?: Record<string, unknown>) => repositoryObjectId("repository variable", id, ["workspace", "repository", "uuid"], props);

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  ...checkAndDiff(FIELDS, true),

  async create(ctx, raw) {
    const { api } = ctx;
    const inputs = FIELDS.parse(raw);
    const { workspace, repository } = inputs;
    const uuid = await repositoryUuid(api, workspace, repository);
    const body = variableBody(inputs);
    const live = await createVariableOnce(
      ctx,
      {
        what: `RepositoryVariable: ${workspace}/${repository}`,
        list: () => api.listRepositoryVariables(workspace, uuid),
        create: () => api.createRepositoryVariable(workspace, uuid, body),
        update: (existing) => api.updateRepositoryVariable(workspace, uuid, existing, body),
      },
      body,
    );
    return { id: live.uuid, outs: state(live, { workspace, repository, repositoryUuid: uuid }, inputs.value) };
  },

  async read({ api }, id, props) {
    const { workspace, repository, uuid, at } = variableId(id, props);
    const live = await ifFound(api.getRepositoryVariable(workspace, at, uuid));
    if (!live) return {};
    const repoUuid = text(props?.repositoryUuid) ?? (await repositoryUuid(api, workspace, at));
    const outs = state(live, { workspace, repository, repositoryUuid: repoUuid }, props?.value);
    return { id: live.uuid, props: outs, inputs: FIELDS.inputsOf(outs) };
  },

  async update({ api }, id, olds, news) {
    const inputs = FIELDS.parse(news);
    const at = text(olds.repositoryUuid) ?? inputs.repository;
    const live = await api.updateRepositoryVariable(inputs.workspace, at, id, variableBody(inputs));
    return { outs: state(live, { workspace: inputs.workspace, repository: inputs.repository, repositoryUuid: at }, inputs.value) };
  },

  async delete({ api }, id, props) {
    const { workspace, uuid, at } = variableId(id, props);
    await ifFound(api.deleteRepositoryVariable(workspace, at, uuid));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** A repository's pipeline variables: reported by key, never by value. */
export const REPOSITORY_VARIABLES: Collection<VariableObject> = {
  label: "repository variable",
  plural: "repository variables",
  on: REPOSITORIES.label,
  list: (api, { workspace, container }) => api.listRepositoryVariables(workspace, container!.uuid),
  listed: (v) => ({ keys: [v.uuid], id: v.uuid, title: v.key, detail: `${v.key}${v.secured ? " (secured)" : ""}` }),
};

/** A RepositoryVariable holds one variable by UUID; imported one per variable, a secured value read from the stack config. */
export const discovery: Discovery = {
  claims: claimsOne(REPOSITORY_VARIABLES),
  describe: describeOne("variable", (o) => text(o.key), "repository"),
  search: REPOSITORY_VARIABLES,
  import: attachedImport({
    on: REPOSITORIES,
    counted: "repository variables",
    order: 7,
    read: (api, place) => REPOSITORY_VARIABLES.list(api, place, []),
    declare: (variables, container) =>
      variables.map((v) => ({
        name: `${container.key}-variable-${v.key.toLowerCase()}`,
        args: [
          ["workspace", WORKSPACE],
          ["repository", CONTAINER_ID],
          ["key", v.key],
          // Bitbucket never returns a secured value: the program reads it from the stack config.
          ["value", v.secured ? { configSecret: { repository: container.key, url: `variable ${v.key}` } } : (v.value ?? "")],
          ["secured", v.secured ?? false],
        ],
      })),
  }),
  // bitbucket_repository_variable: repository (`owner/slug`), key, value, secured. Creation takes over
  // the variable with that key. The state keeps even a secured value in plaintext: the program reads it
  // from the stack config instead.
  terraform: terraformImport({
    type: "bitbucket_repository_variable",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => {
      const { owner, slug } = terraformRepositoryId(a.repository);
      const secured = a.secured === true;
      return [
        {
          name,
          args: [
            ["workspace", workspaceOf(owner)],
            ["repository", terraformRepository(owner, slug)],
            ["key", String(a.key)],
            ["value", secured ? { configSecret: { repository: `${owner}/${slug}`, url: `variable ${String(a.key)}` } } : (text(a.value) ?? "")],
            ["secured", secured || undefined],
          ],
        },
      ];
    },
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface RepositoryVariableArgs {
  /** Workspace slug (or `{uuid}`) of the repository. Changing it replaces the variable. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id` (the UUID) so a rename changes nothing. Changing it replaces the variable. */
  repository: pulumi.Input<string>;
  /** The variable's name: ASCII letters, digits and underscores, not starting with a digit; case-sensitive; once per repository. Updates in place. */
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
export interface RepositoryVariable extends ResourceOutputs<typeof OUTPUTS> {}

/** A repository's Pipelines variable. ID: the variable's `{uuid}`. */
export class RepositoryVariable extends BitbucketResource {
  constructor(name: string, args: RepositoryVariableArgs, opts?: pulumi.CustomResourceOptions) {
    const props = withOutputs({ ...args, value: args?.value === undefined ? undefined : pulumi.secret(args.value) }, OUTPUTS.keys);
    const additionalSecretOutputs = [...(opts?.additionalSecretOutputs ?? []), ...FIELDS.secretKeys];
    super("RepositoryVariable", claims, name, props, { ...opts, additionalSecretOutputs });
  }

  /** Reads an existing variable: `get(name, "{variable uuid}", { workspace, repository })` or `get(name, "workspace/repository/{variable uuid}")`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: InRepository, opts?: pulumi.CustomResourceOptions): RepositoryVariable {
    return RepositoryVariable.existing(name, id, state, opts);
  }
}
