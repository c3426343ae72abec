// ProjectDefaultReviewers: every default reviewer of one project, authoritatively, as DefaultReviewers
// is for a repository (the same set logic: applyReviewers). Bitbucket adds them as reviewers to each
// new pull request of the project's repositories, beside each repository's own. A reviewer added or
// removed by hand is drift that `up` reverts. ID: `workspace/PROJECT` (a project keeps its key when renamed).
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ifFound } from "../client";
import type { AccountObject } from "../client/endpoints/workspaces";
import type { Context } from "../context";
import { ProjectKey } from "../identifiers";
import { BitbucketResource, compact, diffResult, reportTakeOver, ResourceProvider, splitId, withOutputs, WorkspaceRef } from "./common";
import { claimRule, collectionClaim, projectRef } from "./claims";
import { terraformImport, text, type Discovery } from "./discovery";
import { terraformProject } from "./project";
import { argument, fieldTable, outputTable, ResourceOutputs } from "./fields";
import { ExemptUser, uniqueSorted, usersAsWritten } from "./branchRestriction";
import { applyReviewers, checkReviewers, ReviewerList } from "./defaultReviewers";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<ProjectDefaultReviewersArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  project: { schema: ProjectKey, replace: true },
  // Sorted: order does not matter, and the state reads them back sorted.
  users: { schema: z.array(ExemptUser).transform(uniqueSorted), update: true },
});

const ID_PARTS = ["workspace", "project"] as const;

/** ProjectDefaultReviewers owns the whole default reviewers list of its project. */
export const claims = claimRule(["workspace", "project"], (args) => collectionClaim(projectRef(args.workspace, args.project), "default reviewers", "users"));

type Ids = Record<(typeof ID_PARTS)[number], string>;

const ofProject = ({ api }: Context, { workspace, project }: Ids): ReviewerList => ({
  where: `project ${workspace}/${project}`,
  list: () => api.listProjectDefaultReviewers(workspace, project),
  add: (user) => api.addProjectDefaultReviewer(workspace, project, user),
  remove: (user) => api.removeProjectDefaultReviewer(workspace, project, user),
});

const reviewersState = (ids: Ids, live: AccountObject[], written: unknown) => compact({ ...ids, users: usersAsWritten(live, written) });

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  async check(_olds, news, known) {
    return checkReviewers(FIELDS.check(news), news, known);
  },

  async diff(_id, olds, news) {
    return diffResult(FIELDS.diff(olds, news), true);
  },

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    const ids = { workspace: inputs.workspace, project: inputs.project };
    const live = await applyReviewers(ofProject(ctx, ids), inputs.users, (found) => reportTakeOver(ctx, `ProjectDefaultReviewers: ${found}`));
    return { id: `${ids.workspace}/${ids.project}`, outs: reviewersState(ids, live, inputs.users) };
  },

  async read(ctx, id, props) {
    const ids = splitId("project default reviewers", id, ID_PARTS, props);
    const live = await ifFound(ofProject(ctx, ids).list());
    if (!live) return {};
    const outs = reviewersState(ids, live, props?.users);
    return { id, props: outs, inputs: FIELDS.inputsOf(outs) };
  },

  async update(ctx, id, _olds, news) {
    const inputs = FIELDS.parse(news);
    const ids = splitId("project default reviewers", id, ID_PARTS);
    return { outs: reviewersState(ids, await applyReviewers(ofProject(ctx, ids), inputs.users), inputs.users) };
  },

  async delete(ctx, id, props) {
    const ids = splitId("project default reviewers", id, ID_PARTS, props);
    const users = Array.isArray(props.users) ? props.users.filter((u): u is string => typeof u === "string") : [];
    const reviewers = ofProject(ctx, ids);
    await Promise.all(users.map((user) => ifFound(reviewers.remove(user))));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

// Drift names the project; no search nor import yet: discovery lists attached collections only on
// repositories (a project is not a container there).
export const discovery: Discovery = {
  describe: (outputs) => ({ workspace: text(outputs.workspace), project: text(outputs.project) }),
  // bitbucket_project_default_reviewers: workspace, project (the key), reviewers (`{uuid}`s, taken as they are).
  terraform: terraformImport({
    type: "bitbucket_project_default_reviewers",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => [
      {
        name,
        args: [
          ["workspace", workspaceOf(String(a.workspace))],
          ["project", terraformProject(a.workspace, a.project)],
          ["users", [...new Set((Array.isArray(a.reviewers) ? a.reviewers : []).map(String))].sort()],
        ],
      },
    ],
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface ProjectDefaultReviewersArgs {
  /** Workspace slug (or `{uuid}`) of the project. Changing it replaces the resource. */
  workspace: pulumi.Input<string>;
  /** The project's key (e.g. `PLAT`; pass `project.key`). Changing it replaces the resource. */
  project: pulumi.Input<string>;
  /**
   * Every default reviewer of the project, by Atlassian account id or `{uuid}` (never a username);
   * workspace members. A reviewer Bitbucket has that is not listed is drift and `up` removes it; one
   * listed and missing is added back; `[]` means none. Order does not matter. Updates in place.
   */
  users: pulumi.Input<pulumi.Input<string>[]>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** Sorted, as the program spells them (account id or `{uuid}`); reviewers added outside Pulumi by account id. */
  users: argument(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface ProjectDefaultReviewers extends ResourceOutputs<typeof OUTPUTS> {}

/** The default reviewers of a project, all of them. ID: `workspace/PROJECT`. */
export class ProjectDefaultReviewers extends BitbucketResource {
  constructor(name: string, args: ProjectDefaultReviewersArgs, opts?: pulumi.CustomResourceOptions) {
    super("ProjectDefaultReviewers", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads the default reviewers of a project by ID `workspace/PROJECT`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ProjectDefaultReviewers {
    return ProjectDefaultReviewers.existing(name, id, undefined, opts);
  }
}
