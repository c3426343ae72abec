// ProjectBranchingModel: a project's branching model settings, whole, as BranchingModel is for a
// repository (same arguments, same defaults, same reading of `default_branch_deletion`): the model
// every repository of the project inherits unless it overrides it. A project's development or
// production branch may name any branch; a repository without it falls back to its main branch.
// Creation takes the settings over; deletion restores Bitbucket's defaults. ID: `workspace/PROJECT`
// (a project keeps its key when renamed).
import * as pulumi from "@pulumi/pulumi";
import { ifFound } from "../client";
import { ProjectKey } from "../identifiers";
import { BitbucketResource, compact, diffResult, ResourceProvider, splitId, withOutputs, WorkspaceRef } from "./common";
import { claimRule, collectionClaim, projectRef } from "./claims";
import { terraformImport, text, type Discovery } from "./discovery";
import { terraformProject } from "./project";
import { argument, fieldTable, outputTable, ResourceOutputs } from "./fields";
import {
  checkModel,
  DEFAULT_MODEL,
  MODEL_FIELDS,
  modelArguments,
  modelBody,
  modelFromTerraform,
  modelOf,
  pickModel,
  takeOverModel,
  type BranchingModelArgs,
} from "./branchingModel";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<ProjectBranchingModelArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  project: { schema: ProjectKey, replace: true },
  ...MODEL_FIELDS,
});

const ID_PARTS = ["workspace", "project"] as const;

/** ProjectBranchingModel owns its project's branching model settings. */
export const claims = claimRule(["workspace", "project"], (args) => collectionClaim(projectRef(args.workspace, args.project), "branching model", "project"));

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  async check(_olds, news) {
    return checkModel(FIELDS.check, news);
  },

  async diff(_id, olds, news) {
    return diffResult(FIELDS.diff(olds, news), true);
  },

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    const { workspace, project } = inputs;
    const model = pickModel(inputs);
    await takeOverModel(ctx, `ProjectBranchingModel: ${workspace}/${project}`, model, {
      get: () => ctx.api.getProjectBranchingModelSettings(workspace, project),
      put: (body) => ctx.api.putProjectBranchingModelSettings(workspace, project, body),
    });
    return { id: `${workspace}/${project}`, outs: { workspace, project, ...model } };
  },

  async read({ api }, id, props) {
    const ids = splitId("project branching model", id, ID_PARTS, props);
    const live = await ifFound(api.getProjectBranchingModelSettings(ids.workspace, ids.project));
    if (!live) return {};
    const outs = compact({ ...ids, ...modelOf(live) });
    return { id, props: outs, inputs: FIELDS.inputsOf(outs) };
  },

  async update({ api }, id, _olds, news) {
    const inputs = FIELDS.parse(news);
    const ids = splitId("project branching model", id, ID_PARTS);
    await api.putProjectBranchingModelSettings(ids.workspace, ids.project, modelBody(pickModel(inputs)));
    return { outs: { ...ids, ...pickModel(inputs) } };
  },

  async delete({ api }, id, props) {
    const ids = splitId("project branching model", id, ID_PARTS, props);
    await ifFound(api.putProjectBranchingModelSettings(ids.workspace, ids.project, modelBody(DEFAULT_MODEL)));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

// Drift names the project; no search nor import yet: discovery lists attached collections only on
// repositories (a project is not a container there).
export const discovery: Discovery = {
  describe: (outputs) => ({ workspace: text(outputs.workspace), project: text(outputs.project) }),
  // bitbucket_project_branching_model: workspace, project (the key), and the blocks of bitbucket_branching_model.
  terraform: terraformImport({
    type: "bitbucket_project_branching_model",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => [
      {
        name,
        args: [
          ["workspace", workspaceOf(String(a.workspace))],
          ["project", terraformProject(a.workspace, a.project)],
          ...modelArguments(modelFromTerraform(a)),
        ],
      },
    ],
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface ProjectBranchingModelArgs {
  /** Workspace slug (or `{uuid}`) of the project. Changing it replaces the resource. */
  workspace: pulumi.Input<string>;
  /** The project's key (e.g. `PLAT`; pass `project.key`). Changing it replaces the resource. */
  project: pulumi.Input<string>;
  /** The development branch of the project's repositories (any name: a repository without it uses its main branch). Unset or "": each repository's main branch (Bitbucket's default). Updates in place. */
  developmentBranch?: pulumi.Input<string>;
  /** Whether the model has a production branch. Default: true when `productionBranch` is set, else false (Bitbucket's default). Updates in place. */
  productionEnabled?: pulumi.Input<boolean>;
  /** The production branch of the project's repositories (any name, as for `developmentBranch`). Unset or "": each repository's main branch. Updates in place. */
  productionBranch?: pulumi.Input<string>;
  /**
   * The enabled branch types, kind (`feature`, `bugfix`, `release`, `hotfix`) to prefix; a kind left
   * out is disabled. A prefix is a valid git branch prefix and none begins another. Unset: Bitbucket's
   * default, the four kinds with `<kind>/`. Updates in place.
   */
  branchTypes?: BranchingModelArgs["branchTypes"];
  /** Whether a pull request deletes its source branch on merge by default. Default false (Bitbucket's default). Updates in place. */
  defaultBranchDeletion?: pulumi.Input<boolean>;
}

const OUTPUTS = outputTable(FIELDS, {
  developmentBranch: argument("always set"),
  productionEnabled: argument("always set"),
  productionBranch: argument("always set"),
  branchTypes: argument("always set"),
  defaultBranchDeletion: argument("always set"),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface ProjectBranchingModel extends ResourceOutputs<typeof OUTPUTS> {}

/** A project's branching model, whole: what its repositories inherit. Deleting it restores Bitbucket's defaults. ID: `workspace/PROJECT`. */
export class ProjectBranchingModel extends BitbucketResource {
  constructor(name: string, args: ProjectBranchingModelArgs, opts?: pulumi.CustomResourceOptions) {
    super("ProjectBranchingModel", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads the branching model of a project by ID `workspace/PROJECT`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ProjectBranchingModel {
    return ProjectBranchingModel.existing(name, id, undefined, opts);
  }
}
