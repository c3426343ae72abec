// Branch restrictions as the state holds them (on their repository, `branchRestrictions`).

export type BranchMatchKind = "glob" | "branching_model";

export interface BranchRestriction {
  /** Bitbucket numbers restrictions with integers. */
  id: number;
  kind: string;
  branch_match_kind: BranchMatchKind;
  /** "" when matched by branch type. */
  pattern: string;
  /** Null when matched by glob. */
  branch_type: string | null;
  /** Null for the kinds that take no value. */
  value: number | null;
  /** Exempted users (push, restrict_merges), by UUID. */
  userUuids: string[];
  /** Exempted groups (push, restrict_merges), by slug. */
  groupSlugs: string[];
}
