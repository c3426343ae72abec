// WorkspaceVariable: a Pipelines variable of a workspace (every repository's pipelines read it). The
// Pulumi ID is the variable's UUID; the state holds the workspace. Bitbucket serves these at
// /workspaces/{workspace}/pipelines-config/variables (the spec's older /teams/… path is not called).
// The value is a Pulumi secret; a secured one is write-only (pipelineVariables.ts).
import * as pulumi from "@pulumi/pulumi";
import { ifFound } from "../client";
import type { VariableObject } from "../client/api";
import { BitbucketResource, checkAndDiff, compact, ResourceProvider, splitId, withOutputs, WorkspaceRef } from "./common";
import { claimRule, itemClaim, lowerCase } from "./claims";
import { text, topLevelImport, WORKSPACE, claimsOne, describeOne, type Collection, type Discovery, terraformImport } from "./discovery";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { createVariableOnce, VARIABLE_ROWS, variableBody, variableState } from "./pipelineVariables";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<WorkspaceVariableArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  ...VARIABLE_ROWS,
});

const workspaceRef = (workspace: unknown) => {
  const ws = lowerCase(workspace);
  return ws ? `workspace ${ws}` : undefined;
};

/** A WorkspaceVariable owns the workspace's variable with its key (Bitbucket holds a key once per workspace). */
export const claims = claimRule(["workspace", "key"], (args) =>
  itemClaim(
    workspaceRef(args.workspace),
    "pipeline variables",
    typeof args.key === "string" ? args.key : undefined,
    "one pipeline variable (matched by its key)",
    "key",
  ),
);

function state(live: VariableObject, workspace: string, spelled: unknown) {
  return compact({ workspace, ...variableState(live, spelled), uuid: live.uuid });
}

const variableId = (id: string, props?: Record<string, unknown>) => splitId("workspace variable", id, ["workspace", "uuid"], props);

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  ...checkAndDiff(FIELDS, true),

  async create(ctx, raw) {
    const { api } = ctx;
    const inputs = FIELDS.parse(raw);
    const { workspace } = inputs;
    const body = variableBody(inputs);
    const live = await createVariableOnce(
      ctx,
      {
        what: `WorkspaceVariable: ${workspace}`,
        list: () => api.listWorkspaceVariables(workspace),
        create: () => api.createWorkspaceVariable(workspace, body),
        update: (existing) => api.updateWorkspaceVariable(workspace, existing, body),
      },
      body,
    );
    return { id: live.uuid, outs: state(live, workspace, inputs.value) };
  },

  async read({ api }, id, props) {
    const { workspace, uuid } = variableId(id, props);
    const live = await ifFound(api.getWorkspaceVariable(workspace, uuid));
    if (!live) return {};
    const outs = state(live, workspace, props?.value);
    return { id: live.uuid, props: outs, inputs: FIELDS.inputsOf(outs) };
  },

  async update({ api }, id, _olds, news) {
    const inputs = FIELDS.parse(news);
    const live = await api.updateWorkspaceVariable(inputs.workspace, id, variableBody(inputs));
    return { outs: state(live, inputs.workspace, inputs.value) };
  },

  async delete({ api }, id, props) {
    const { workspace, uuid } = variableId(id, props);
    await ifFound(api.deleteWorkspaceVariable(workspace, uuid));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** A workspace's pipeline variables: reported by key, never by value. */
export const WORKSPACE_VARIABLES: Collection<VariableObject> = {
  label: "workspace variable",
  plural: "workspace variables",
  list: (api, { workspace }) => api.listWorkspaceVariables(workspace),
  listed: (v) => ({ keys: [v.uuid], id: v.uuid, name: v.key, detail: `${v.key}${v.secured ? " (secured)" : ""}` }),
  key: (v) => v.key,
};

/** A WorkspaceVariable holds one variable by UUID; imported one per variable, a secured value read from the stack config. */
export const discovery: Discovery = {
  claims: claimsOne(WORKSPACE_VARIABLES),
  describe: describeOne("variable", (o) => text(o.key), "workspace"),
  search: WORKSPACE_VARIABLES,
  import: topLevelImport({
    from: WORKSPACE_VARIABLES,
    counted: "workspace variables",
    declare: (v) => ({
      name: `variable-${v.key.toLowerCase()}`,
      section: { title: "Workspace pipeline variables", late: true, order: "variables" },
      args: [
        ["workspace", WORKSPACE],
        ["key", v.key],
        // Bitbucket never returns a secured value: the program reads it from the stack config.
        ["value", v.secured ? { configSecret: { repository: "workspace", url: `variable ${v.key}` } } : (v.value ?? "")],
        ["secured", v.secured ?? false],
      ],
    }),
  }),
  // bitbucket_workspace_variable: workspace (a slug or the workspace's `{uuid}`), key, value, secured.
  // Creation takes over the variable with that key; a secured value comes from the stack config.
  terraform: terraformImport({
    type: "bitbucket_workspace_variable",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => {
      const secured = a.secured === true;
      return [
        {
          name,
          args: [
            ["workspace", workspaceOf(String(a.workspace))],
            ["key", String(a.key)],
            ["value", secured ? { configSecret: { repository: `workspace ${String(a.workspace)}`, url: `variable ${String(a.key)}` } } : (text(a.value) ?? "")],
            ["secured", secured || undefined],
          ],
        },
      ];
    },
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface WorkspaceVariableArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the variable. */
  workspace: pulumi.Input<string>;
  /** The variable's name: ASCII letters, digits and underscores, not starting with a digit; case-sensitive; once per workspace. Updates in place. */
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
  /** The variable's UUID (also the resource ID). */
  uuid: output<string>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface WorkspaceVariable extends ResourceOutputs<typeof OUTPUTS> {}

/** A workspace's Pipelines variable. ID: the variable's `{uuid}`. */
export class WorkspaceVariable extends BitbucketResource {
  constructor(name: string, args: WorkspaceVariableArgs, opts?: pulumi.CustomResourceOptions) {
    const props = withOutputs({ ...args, value: args?.value === undefined ? undefined : pulumi.secret(args.value) }, OUTPUTS.keys);
    const additionalSecretOutputs = [...(opts?.additionalSecretOutputs ?? []), ...FIELDS.secretKeys];
    super("WorkspaceVariable", claims, name, props, { ...opts, additionalSecretOutputs });
  }

  /** Reads an existing variable: `get(name, "{variable uuid}", { workspace })` or `get(name, "workspace/{variable uuid}")`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: { workspace?: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions): WorkspaceVariable {
    return WorkspaceVariable.existing(name, id, state, opts);
  }
}
