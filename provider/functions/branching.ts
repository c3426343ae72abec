// What governs a repository's branches and reviews, as it is in force: its effective default reviewers
// (its own and its project's), its effective branching model (its own, or its project's while it
// inherits), and a project's branching model.
import { z } from "zod";
import type { BranchingModelObject } from "../client/reads";
import { Account, inRepository, ListArgs, ListInRepository, ProjectKey, readFunction, repositoryFunction, RepositoryRef, toAccount, Workspace } from "./common";

export interface EffectiveDefaultReviewer extends Account {
  /** Where the rule comes from: `repository` (its own list) or `project` (inherited). */
  reviewerType?: string;
}

export interface GetEffectiveDefaultReviewersResult {
  workspace: string;
  repository: string;
  reviewers: EffectiveDefaultReviewer[];
}

/** The users Bitbucket adds as reviewers to a new pull request of the repository: its own, then its project's. */
export const { promise: getEffectiveDefaultReviewers, output: getEffectiveDefaultReviewersOutput } = repositoryFunction(
  "getEffectiveDefaultReviewers",
  ListInRepository,
  async (args: ListArgs, repo, client): Promise<Pick<GetEffectiveDefaultReviewersResult, "reviewers">> => {
    const listed = await inRepository(client, repo, () => client.reads.effectiveDefaultReviewers(repo.workspace, repo.slug, { limit: args.limit }));
    return { reviewers: listed.map((r) => ({ ...toAccount(r.user), reviewerType: r.reviewer_type })) };
  },
);

export interface BranchTarget {
  /** The branch's name (a repository's model names its main branch when the setting tracks it; a project's has none then). */
  name?: string;
  /** Whether the setting tracks the main branch. */
  useMainbranch: boolean;
}

export interface BranchingModelResult {
  development?: BranchTarget;
  /** Absent when production is disabled. */
  production?: BranchTarget;
  /** The enabled branch types only, kind to prefix (e.g. `{ feature: "feature/" }`). */
  branchTypes: Record<string, string>;
}

function toModel(model: BranchingModelObject): BranchingModelResult {
  const target = (t: BranchingModelObject["development"]) =>
    t ? { ...(t.name === undefined ? {} : { name: t.name }), useMainbranch: t.use_mainbranch ?? false } : undefined;
  const development = target(model.development);
  const production = target(model.production);
  return {
    ...(development ? { development } : {}),
    ...(production ? { production } : {}),
    branchTypes: Object.fromEntries(model.branch_types.map((t) => [t.kind, t.prefix])),
  };
}

export interface GetEffectiveBranchingModelResult extends BranchingModelResult {
  workspace: string;
  repository: string;
}

/** The branching model in force on a repository: its own when it overrides its project's, else the project's. */
export const { promise: getEffectiveBranchingModel, output: getEffectiveBranchingModelOutput } = repositoryFunction(
  "getEffectiveBranchingModel",
  RepositoryRef,
  async (_args: RepositoryRef, repo, client): Promise<BranchingModelResult> =>
    toModel(await inRepository(client, repo, () => client.reads.effectiveBranchingModel(repo.workspace, repo.slug))),
);

export interface GetProjectBranchingModelArgs {
  workspace: string;
  /** The project's key (or `{uuid}`). */
  key: string;
}

export interface GetProjectBranchingModelResult extends BranchingModelResult {
  workspace: string;
  key: string;
}

/** A project's branching model: what its repositories inherit. */
export const { promise: getProjectBranchingModel, output: getProjectBranchingModelOutput } = readFunction(
  "getProjectBranchingModel",
  z.strictObject({ workspace: Workspace, key: ProjectKey }),
  async (args: GetProjectBranchingModelArgs, client): Promise<GetProjectBranchingModelResult> => ({
    workspace: args.workspace,
    key: args.key,
    ...toModel(await client.reads.projectBranchingModel(args.workspace, args.key)),
  }),
);
