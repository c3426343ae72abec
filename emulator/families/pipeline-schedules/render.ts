// Pipelines schedules as the API renders them (the spec's pipeline_schedule).
import type { View } from "../../view";
import type { PipelineSchedule } from "./model";

export function renderSchedule(_view: View, s: PipelineSchedule): Record<string, unknown> {
  return {
    type: "pipeline_schedule",
    uuid: s.uuid,
    enabled: s.enabled,
    target: { type: "pipeline_ref_target", ref_type: "branch", ref_name: s.refName, selector: s.selector },
    cron_pattern: s.cron_pattern,
    created_on: s.created_on,
    updated_on: s.updated_on,
  };
}
