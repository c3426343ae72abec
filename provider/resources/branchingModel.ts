// BranchingModel: a repository's branching model settings, whole: its development and production
// branches, which branch types are enabled with which prefixes, and whether branches are deleted on
// merge. Every argument left out stands for Bitbucket's default, so the state always holds the whole
// model and a change to any part of it is drift (the Terraform provider compared only what a program
// set, and diffed forever on what Bitbucket answered: its #23, #103, #207). The settings always exist:
// creation takes them over (a PUT), deletion restores the defaults. ID: `workspace/{repository uuid}`,
// so a rename changes nothing. The model is in force while the repository overrides its project's
// (OverrideSettings `branchingModel: true`); otherwise the project's (ProjectBranchingModel) is.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ifFound } from "../client";
import type { BranchingModelSettingsBody, BranchingModelSettingsObject } from "../client/endpoints/branchingModels";
import type { Context } from "../context";
import { BRANCH_KINDS, BranchKind, branchNameProblem, DEFAULT_PREFIXES, overlappingPrefixes, prefixProblem } from "../../rules/branching-model";
import {
  BitbucketResource,
  compact,
  diffResult,
  isUnknown,
  RepositoryRef,
  repositoryUuid,
  reportTakeOver,
  ResourceProvider,
  splitId,
  UNKNOWN,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, collectionClaim, repositoryRef } from "./claims";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { attachedImport, CONTAINER_ID, repositoryOf, terraformImport, text, WORKSPACE, type Discovery, type ImportMember, type MapEntry } from "./discovery";
import { REPOSITORIES, terraformRepository } from "./repository";

// ---- Fields ------------------------------------------------------------------------------------

/** A branch name, or "" for the main branch. */
const BranchName = z.string().refine((name) => name === "" || branchNameProblem(name) === undefined, {
  error: (issue) => `must be a branch name: it ${branchNameProblem(String(issue.input))}`,
});

const Prefix = z.string().refine((prefix) => prefixProblem(prefix) === undefined, {
  error: (issue) => `must be a branch prefix: it ${prefixProblem(String(issue.input))}`,
});

/** The enabled branch types by kind, each with its prefix; a kind left out is disabled. */
const BranchTypes = z
  .strictObject(Object.fromEntries(BRANCH_KINDS.map((kind) => [kind, Prefix.optional()])) as Record<BranchKind, z.ZodOptional<typeof Prefix>>)
  .superRefine((types, ctx) => {
    const overlap = overlappingPrefixes(Object.entries(types).flatMap(([kind, prefix]) => (prefix === undefined ? [] : [{ kind, prefix }])));
    if (overlap) ctx.addIssue({ code: "custom", path: [overlap[1]], message: `must not begin with the ${overlap[0]} prefix (a branch would be of two types)` });
  });

/**
 * check for both kinds: the table's rules, `productionEnabled`'s default, and a kind of `branchTypes`
 * Bitbucket does not have named with the kinds it has (rather than as an unknown argument).
 */
export function checkModel(check: (news: Record<string, unknown>) => pulumi.dynamic.CheckResult, news: Record<string, unknown>): pulumi.dynamic.CheckResult {
  const types = news.branchTypes;
  const unknown =
    typeof types === "object" && types !== null && !Array.isArray(types) ? Object.keys(types).filter((kind) => !BRANCH_KINDS.includes(kind as BranchKind)) : [];
  const result = check(withProductionDefault(news));
  if (unknown.length === 0) return result;
  const others = (result.failures ?? []).filter((f) => f.property !== "branchTypes" || !f.reason.startsWith("Unknown argument"));
  const failures = unknown.map((kind) => ({
    property: `branchTypes.${kind}`,
    reason: `branchTypes.${kind}: ${kind} is not a branch kind (the kinds: ${BRANCH_KINDS.join(", ")}).`,
  }));
  return { inputs: news, failures: [...others, ...failures] };
}

/** The rows of the model itself, shared with ProjectBranchingModel. */
export const MODEL_FIELDS = {
  developmentBranch: { schema: BranchName.default(""), update: true },
  productionEnabled: { schema: z.boolean().default(false), update: true },
  productionBranch: { schema: BranchName.default(""), update: true },
  branchTypes: { schema: BranchTypes.default({ ...DEFAULT_PREFIXES }), update: true },
  defaultBranchDeletion: { schema: z.boolean().default(false), update: true },
} as const;

export const FIELDS = fieldTable<BranchingModelArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  ...MODEL_FIELDS,
});

const ID_PARTS = ["workspace", "repositoryUuid"] as const;

/** BranchingModel owns its repository's branching model settings. */
export const claims = claimRule(["workspace", "repository"], (args) =>
  collectionClaim(repositoryRef(args.workspace, args.repository), "branching model", "repository"),
);

/** The model's arguments. */
export interface Model {
  developmentBranch: string;
  productionEnabled: boolean;
  productionBranch: string;
  branchTypes: Partial<Record<BranchKind, string>>;
  defaultBranchDeletion: boolean;
}

/** Bitbucket's defaults: what a new repository or project has, and what deletion restores. */
export const DEFAULT_MODEL: Model = {
  developmentBranch: "",
  productionEnabled: false,
  productionBranch: "",
  branchTypes: { ...DEFAULT_PREFIXES },
  defaultBranchDeletion: false,
};

/** The model's arguments from the settings Bitbucket answers (`default_branch_deletion` as a string or a boolean). */
export function modelOf(live: BranchingModelSettingsObject): Model {
  const branch = (target?: { use_mainbranch?: boolean; name?: string }) => (target && target.use_mainbranch === false ? (target.name ?? "") : "");
  const enabled = (live.branch_types ?? []).filter((t) => t.enabled !== false && BRANCH_KINDS.includes(t.kind as BranchKind));
  return {
    developmentBranch: branch(live.development),
    productionEnabled: live.production?.enabled ?? false,
    productionBranch: branch(live.production),
    branchTypes: Object.fromEntries(enabled.map((t) => [t.kind, t.prefix ?? ""])),
    // "true"/"false" as Bitbucket answers, or a boolean.
    defaultBranchDeletion: live.default_branch_deletion === true || live.default_branch_deletion === "true",
  };
}

/** The PUT body that sets the whole model: every kind, the disabled ones keeping their prefixes. */
export function modelBody(model: Model): BranchingModelSettingsBody {
  const target = (name: string) => (name === "" ? { use_mainbranch: true } : { use_mainbranch: false, name });
  return {
    development: target(model.developmentBranch),
    production: { ...target(model.productionBranch), enabled: model.productionEnabled },
    branch_types: BRANCH_KINDS.map((kind) => {
      const prefix = model.branchTypes[kind];
      return prefix === undefined ? { kind, enabled: false } : { kind, prefix, enabled: true };
    }),
    default_branch_deletion: model.defaultBranchDeletion ? "true" : "false",
  };
}

const MODEL_KEYS = Object.keys(MODEL_FIELDS) as (keyof Model)[];
export const pickModel = (inputs: Record<string, unknown>): Model => Object.fromEntries(MODEL_KEYS.map((k) => [k, inputs[k]])) as unknown as Model;

/** The model's arguments that differ between two models. */
export const modelChanges = (olds: Model, news: Model): string[] => FIELDS.diff({ ...olds }, { ...news }).changes;

/** A production branch named implies production enabled, unless the program says otherwise. */
export function withProductionDefault(news: Record<string, unknown>): Record<string, unknown> {
  if (news.productionEnabled !== undefined && news.productionEnabled !== null) return news;
  if (isUnknown(news.productionBranch)) return { ...news, productionEnabled: UNKNOWN };
  return typeof news.productionBranch === "string" && news.productionBranch !== "" ? { ...news, productionEnabled: true } : news;
}

/**
 * Creation: takes the settings over, writing nothing when they already match. `what` names the place
 * in the take-over report (settings differing from Bitbucket's defaults were set by someone).
 */
export async function takeOverModel(
  ctx: Context,
  what: string,
  model: Model,
  io: { get(): Promise<BranchingModelSettingsObject>; put(body: BranchingModelSettingsBody): Promise<unknown> },
) {
  const live = modelOf(await io.get());
  if (modelChanges(live, model).length === 0) return;
  if (modelChanges(live, DEFAULT_MODEL).length > 0) reportTakeOver(ctx, `${what} already had a branching model of its own (${JSON.stringify(live)})`);
  await io.put(modelBody(model));
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  async check(_olds, news) {
    return checkModel(FIELDS.check, news);
  },

  // Old and new may be the same repository (slug vs {uuid}): the old is reset before the new is set.
  async diff(_id, olds, news) {
    return diffResult(FIELDS.diff(olds, news), true);
  },

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    const { workspace } = inputs;
    const uuid = await repositoryUuid(ctx.api, workspace, inputs.repository);
    const model = pickModel(inputs);
    await takeOverModel(ctx, `BranchingModel: ${workspace}/${inputs.repository}`, model, {
      get: () => ctx.api.getBranchingModelSettings(workspace, uuid),
      put: (body) => ctx.api.putBranchingModelSettings(workspace, uuid, body),
    });
    return { id: `${workspace}/${uuid}`, outs: { workspace, repository: inputs.repository, repositoryUuid: uuid, ...model } };
  },

  async read({ api }, id, props) {
    const ids = splitId("branching model", id, ID_PARTS, props);
    const live = await ifFound(api.getBranchingModelSettings(ids.workspace, ids.repositoryUuid));
    if (!live) return {};
    const outs = compact({ ...ids, repository: text(props?.repository) ?? ids.repositoryUuid, ...modelOf(live) });
    return { id, props: outs, inputs: FIELDS.inputsOf(outs) };
  },

  async update({ api }, id, _olds, news) {
    const inputs = FIELDS.parse(news);
    const ids = splitId("branching model", id, ID_PARTS);
    await api.putBranchingModelSettings(ids.workspace, ids.repositoryUuid, modelBody(pickModel(inputs)));
    return { outs: { ...ids, repository: inputs.repository, ...pickModel(inputs) } };
  },

  async delete({ api }, id, props) {
    const ids = splitId("branching model", id, ID_PARTS, props);
    await ifFound(api.putBranchingModelSettings(ids.workspace, ids.repositoryUuid, modelBody(DEFAULT_MODEL)));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** The arguments an import writes: those that differ from Bitbucket's defaults. */
export function modelArguments(model: Model): ImportMember[] {
  const types: MapEntry[] = BRANCH_KINDS.flatMap((kind) => (model.branchTypes[kind] === undefined ? [] : [[kind, model.branchTypes[kind]!] as MapEntry]));
  const changed = modelChanges(DEFAULT_MODEL, model);
  const when = <K extends keyof Model>(key: K, value: Model[K] | { entries: MapEntry[] }): ImportMember => [
    key,
    changed.includes(key) ? (value as never) : undefined,
  ];
  return [
    when("developmentBranch", model.developmentBranch),
    when("productionEnabled", model.productionEnabled),
    when("productionBranch", model.productionBranch),
    when("branchTypes", { entries: types }),
    when("defaultBranchDeletion", model.defaultBranchDeletion),
  ];
}

/** A DrFaust92 branching model's attributes (repository's or project's) as the model. */
export function modelFromTerraform(a: Record<string, unknown>): Model {
  const first = (v: unknown) => (Array.isArray(v) && typeof v[0] === "object" && v[0] !== null ? v[0] : undefined);
  return modelOf({
    development: first(a.development),
    production: first(a.production),
    branch_types: Array.isArray(a.branch_type) ? a.branch_type : undefined,
    default_branch_deletion:
      typeof a.default_branch_deletion === "boolean" || typeof a.default_branch_deletion === "string" ? a.default_branch_deletion : undefined,
  } as BranchingModelSettingsObject);
}

/** Import declares a repository's branching model only when it differs from Bitbucket's defaults. */
export const discovery: Discovery = {
  describe: (outputs) => ({ workspace: text(outputs.workspace), repository: repositoryOf(outputs.repositoryUuid ?? outputs.repository) }),
  import: attachedImport({
    on: REPOSITORIES,
    counted: "branching models",
    order: 6,
    read: async (api, { workspace, container }) => {
      const live = await ifFound(api.getBranchingModelSettings(workspace, container.uuid));
      return live ? modelOf(live) : DEFAULT_MODEL;
    },
    declare: (model, container) =>
      modelChanges(DEFAULT_MODEL, model).length === 0
        ? []
        : [
            {
              name: `${container.key}-branching-model`,
              args: [["workspace", WORKSPACE], ["repository", CONTAINER_ID], ...modelArguments(model)],
            },
          ],
  }),
  // bitbucket_branching_model: owner, repository, development/production (one-element lists) and the
  // branch_type set mirror the settings object the API answers, so modelOf reads them.
  terraform: terraformImport({
    type: "bitbucket_branching_model",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => [
      {
        name,
        args: [
          ["workspace", workspaceOf(String(a.owner))],
          ["repository", terraformRepository(a.owner, a.repository)],
          ...modelArguments(modelFromTerraform(a)),
        ],
      },
    ],
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface BranchingModelArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the resource. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id`. Creation resolves it to the UUID, which every later call addresses, so a rename changes nothing. Changing it replaces the resource. */
  repository: pulumi.Input<string>;
  /** The development branch; it must exist. Unset or "": the repository's main branch (Bitbucket's default). Updates in place. */
  developmentBranch?: pulumi.Input<string>;
  /** Whether the model has a production branch. Default: true when `productionBranch` is set, else false (Bitbucket's default). Updates in place. */
  productionEnabled?: pulumi.Input<boolean>;
  /** The production branch; it must exist while production is enabled. Unset or "": the repository's main branch. Updates in place. */
  productionBranch?: pulumi.Input<string>;
  /**
   * The enabled branch types, kind (`feature`, `bugfix`, `release`, `hotfix`) to prefix, e.g.
   * `{ feature: "feature/", hotfix: "hotfix/" }`; a kind left out is disabled. A prefix is a valid
   * git branch prefix and none begins another. Unset: Bitbucket's default, the four kinds with
   * `<kind>/`. Updates in place.
   */
  branchTypes?: pulumi.Input<{ feature?: pulumi.Input<string>; bugfix?: pulumi.Input<string>; release?: pulumi.Input<string>; hotfix?: pulumi.Input<string> }>;
  /** Whether a pull request deletes its source branch on merge by default. Default false (Bitbucket's default). Updates in place. */
  defaultBranchDeletion?: pulumi.Input<boolean>;
}

const OUTPUTS = outputTable(FIELDS, {
  developmentBranch: argument("always set"),
  productionEnabled: argument("always set"),
  productionBranch: argument("always set"),
  branchTypes: argument("always set"),
  defaultBranchDeletion: argument("always set"),
  /** The repository's UUID (part of the ID), whatever `repository` gives. */
  repositoryUuid: output<string>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface BranchingModel extends ResourceOutputs<typeof OUTPUTS> {}

/** A repository's branching model, whole. Deleting it restores Bitbucket's defaults. ID: `workspace/{repository uuid}`. */
export class BranchingModel extends BitbucketResource {
  constructor(name: string, args: BranchingModelArgs, opts?: pulumi.CustomResourceOptions) {
    super("BranchingModel", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads the branching model of a repository by ID `workspace/{repository uuid}`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): BranchingModel {
    return BranchingModel.existing(name, id, undefined, opts);
  }
}
