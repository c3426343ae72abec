// The Pipelines schedules of a repository, and the webhook event types a repository's or a
// workspace's hooks take.
import { z } from "zod";
import type { HookEventObject, ScheduleObject } from "../client/reads";
import { inRepository, ListArgs, ListInRepository, readFunction, repositoryFunction } from "./common";

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

export interface WebhookTypesArgs {
  /** `repository` or `workspace`: whose hooks. */
  subjectType: "repository" | "workspace";
}

export interface WebhookType {
  /** The event name a hook's `events` takes (`repo:push`). */
  event: string;
  category?: string;
  label?: string;
  description?: string;
}

/** The webhook event types of repository or workspace hooks (`/hook_events/{subject_type}`, public). */
export const { promise: getWebhookTypes, output: getWebhookTypesOutput } = readFunction(
  "getWebhookTypes",
  z.strictObject({ subjectType: z.enum(["repository", "workspace"]) }),
  async (args: WebhookTypesArgs, client): Promise<{ subjectType: string; types: WebhookType[] }> => {
    const types = await client.reads.hookEvents(args.subjectType);
    return {
      subjectType: args.subjectType,
      types: types.map((t: HookEventObject) => ({
        event: t.event,
        category: t.category ?? undefined,
        label: t.label ?? undefined,
        description: t.description ?? undefined,
      })),
    };
  },
);
