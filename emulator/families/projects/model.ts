// Projects as the state holds them, and their factory (shared by the seed and the backend).
import type { BranchingModelSettings } from "../branching-model/model";
import type { DeployKey } from "../deploy-keys/model";
import type { ProjectPermission } from "../permissions/model";

export interface Project {
  key: string;
  uuid: string;
  name: string;
  description: string;
  is_private: boolean;
  created_on: string;
  updated_on: string;
  /** Explicit grants, inherited by the project's repositories: group slug → permission. */
  groupPermissions: Record<string, ProjectPermission>;
  /** user uuid → permission. */
  userPermissions: Record<string, ProjectPermission>;
  /** Deploy keys; absent in older data files. */
  deployKeys?: DeployKey[];
  /** Branching model settings; absent: Bitbucket's defaults (and in older data files). */
  branchingModel?: BranchingModelSettings;
  /** The default reviewers' `{uuid}`s, in the order added; absent in older data files. */
  defaultReviewerUuids?: string[];
}

export type ProjectFields = Pick<Project, "key" | "uuid" | "name" | "is_private"> & Partial<Project>;

export function makeProject(fields: ProjectFields, now: string): Project {
  return { description: "", created_on: now, updated_on: now, groupPermissions: {}, userPermissions: {}, ...fields };
}
