// The Pipelines schedules of a repository.
import type { ScheduleObject } from "../client/reads";
import { inRepository, ListArgs, ListInRepository, repositoryFunction } from "./common";

export interface PipelineScheduleInfo {
  uuid: string;
  enabled: boolean;
  /** The 7-field cron pattern (UTC). */
  cronPattern: string;
  branch: string;
  /** `branches`, `custom` or `default`. */
  selector?: string;
  pattern?: string;
}

const toSchedule = (s: ScheduleObject): PipelineScheduleInfo => ({
  uuid: s.uuid,
  enabled: s.enabled,
  cronPattern: s.cron_pattern,
  branch: s.target.ref_name,
  selector: s.target.selector?.type,
  pattern: s.target.selector?.pattern,
});

/** The repository's Pipelines schedules; needs admin rights on it. */
export const { promise: getPipelineSchedules, output: getPipelineSchedulesOutput } = repositoryFunction(
  "getPipelineSchedules",
  ListInRepository,
  async (args: ListArgs, repo, client): Promise<{ schedules: PipelineScheduleInfo[] }> => {
    const schedules = await inRepository(client, repo, () => client.reads.schedules(repo.workspace, repo.slug, args));
    return { schedules: schedules.map(toSchedule) };
  },
);
