// Pipelines schedules of a repository. The POST is not retried on 5xx / lost answers: a repeat would
// make a second schedule (see the api's createOnce).
import { z } from "zod";
import { EndpointContext, ListOptions, maybe, REPOSITORY, repositoryParams } from "./context";

export const ScheduleObject = z.looseObject({
  uuid: z.string(),
  enabled: z.boolean(),
  cron_pattern: z.string(),
  target: z.looseObject({
    ref_type: maybe(z.string()),
    ref_name: z.string(),
    selector: maybe(z.looseObject({ type: z.string(), pattern: maybe(z.string()) })),
  }),
});
export type ScheduleObject = z.infer<typeof ScheduleObject>;

export interface ScheduleBody {
  target: { ref_type: "branch"; ref_name: string; selector: { type: string; pattern?: string } };
  cron_pattern: string;
  enabled: boolean;
}

const SCHEDULES = `${REPOSITORY}/pipelines_config/schedules`;
const SCHEDULE = `${SCHEDULES}/{schedule_uuid}`;

export function scheduleEndpoints(c: EndpointContext) {
  const schedule = (workspace: string, repoSlug: string, uuid: string) => ({ ...repositoryParams(workspace, repoSlug), schedule_uuid: uuid });
  return {
    createSchedule: (workspace: string, repoSlug: string, body: ScheduleBody): Promise<ScheduleObject> =>
      c.request(ScheduleObject, { method: "POST", route: SCHEDULES, params: repositoryParams(workspace, repoSlug), body }),
    getSchedule: (workspace: string, repoSlug: string, uuid: string): Promise<ScheduleObject> =>
      c.get(ScheduleObject, SCHEDULE, schedule(workspace, repoSlug, uuid)),
    /** Only `enabled` can change (the spec's PUT body). */
    updateSchedule: (workspace: string, repoSlug: string, uuid: string, body: { enabled: boolean }): Promise<ScheduleObject> =>
      c.request(ScheduleObject, { method: "PUT", route: SCHEDULE, params: schedule(workspace, repoSlug, uuid), body }),
    deleteSchedule: (workspace: string, repoSlug: string, uuid: string): Promise<void> => c.delete(SCHEDULE, schedule(workspace, repoSlug, uuid)),
    listSchedules: (workspace: string, repoSlug: string): Promise<ScheduleObject[]> => c.list(ScheduleObject, SCHEDULES, repositoryParams(workspace, repoSlug)),
  };
}

export function scheduleReads(c: EndpointContext) {
  return {
    schedules: (workspace: string, repoSlug: string, options: Pick<ListOptions, "limit"> = {}): Promise<ScheduleObject[]> =>
      c.list(ScheduleObject, SCHEDULES, repositoryParams(workspace, repoSlug), { limit: options.limit }),
  };
}
