// Pipelines schedules as the state holds them.

export type SelectorType = "branches" | "custom" | "default";

export interface PipelineSchedule {
  uuid: string;
  enabled: boolean;
  /** The branch the pipeline runs on (`ref_type` is always `branch`). */
  refName: string;
  selector: { type: SelectorType; pattern?: string };
  cron_pattern: string;
  created_on: string;
  updated_on: string;
}
