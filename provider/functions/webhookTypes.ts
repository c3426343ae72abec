// The webhook event types a repository's or a workspace's hooks take.
import { z } from "zod";
import type { HookEventObject } from "../client/reads";
import { readFunction } from "./common";

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
