// Deployment environments of a repository as the state holds them.
import type { PipelineVariable } from "../variables/model";

export const ENVIRONMENT_TYPES = ["Test", "Staging", "Production"] as const;
export type EnvironmentType = (typeof ENVIRONMENT_TYPES)[number];

export interface Environment {
  uuid: string;
  name: string;
  environmentType: EnvironmentType;
  /** Its place among the environments of its type (0 first). */
  rank: number;
  /** Only workspace and repository admins may deploy to it. */
  adminOnly: boolean;
  /** Its deployment variables. */
  pipelineVariables?: PipelineVariable[];
}
