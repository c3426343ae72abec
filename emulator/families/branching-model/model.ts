// A repository's or a project's branching model settings, as stored (absent: Bitbucket's defaults).
import { BRANCH_KINDS, BranchKind, DEFAULT_PREFIXES } from "../../../rules/branching-model";

export interface BranchTarget {
  /** Null when the setting tracks the main branch. */
  name: string | null;
  use_mainbranch: boolean;
}

export interface BranchType {
  kind: BranchKind;
  prefix: string;
  enabled: boolean;
}

export interface BranchingModelSettings {
  development: BranchTarget;
  production: BranchTarget & { enabled: boolean };
  branch_types: BranchType[];
  default_branch_deletion: boolean;
}

/** Bitbucket's defaults: development and production track the main branch, production disabled, the four types enabled with `<kind>/`, branches kept on merge. */
export function defaultBranchingModel(): BranchingModelSettings {
  return {
    development: { name: null, use_mainbranch: true },
    production: { name: null, use_mainbranch: true, enabled: false },
    branch_types: BRANCH_KINDS.map((kind) => ({ kind, prefix: DEFAULT_PREFIXES[kind], enabled: true })),
    default_branch_deletion: false,
  };
}
