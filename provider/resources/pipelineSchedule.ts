// PipelineSchedule: a Pipelines schedule of a repository, which runs a pipeline of a branch on a cron
// pattern. The Pulumi ID is the schedule's UUID; the state also holds the workspace and the
// repository's UUID, by which it is addressed (a rename changes nothing). Bitbucket's PUT changes
// `enabled` only: another branch, pipeline or cron pattern replaces the schedule.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { cronRefusal, normalCron } from "../../rules/cron";
import { ifFound } from "../client";
import type { ScheduleBody, ScheduleObject } from "../client/api";
import {
  BitbucketResource,
  compact,
  diffResult,
  InRepository,
  isUnknown,
  repositoryObjectId,
  RepositoryRef,
  repositoryUuid,
  reportTakeOver,
  ResourceProvider,
  withFailures,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, itemClaim, repositoryRef } from "./claims";
import { attachedImport, CONTAINER_ID, text, WORKSPACE, claimsOne, describeOne, type Collection, type Discovery, terraformImport } from "./discovery";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { REPOSITORIES, terraformRepository } from "./repository";

// ---- Fields ------------------------------------------------------------------------------------

export const SELECTORS = ["branches", "custom", "default"] as const;

const CronPattern = z
  .string()
  .superRefine((value, ctx) => {
    const refused = cronRefusal(value);
    if (refused) ctx.addIssue({ code: "custom", message: refused });
  })
  .transform(normalCron);

export const FIELDS = fieldTable<PipelineScheduleArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  branch: { schema: z.string().min(1, "must name a branch").max(255, "must be at most 255 characters"), api: "target.ref_name", replace: true },
  selector: { schema: z.enum(SELECTORS).default("branches"), api: "target.selector.type", replace: true },
  pattern: { schema: z.string().min(1, "must not be empty").optional(), api: "target.selector.pattern", replace: true },
  cronPattern: { schema: CronPattern, api: "cron_pattern", replace: true },
  enabled: { schema: z.boolean().default(true), api: "enabled", update: true },
});

/** Which pipeline of bitbucket-pipelines.yml runs: a `branches` one (by default the branch's own name), a `custom` one by name, or the `default` one. */
function pipelineFailures(inputs: Record<string, unknown>) {
  const { selector, pattern } = inputs;
  if (isUnknown(selector) || isUnknown(pattern)) return [];
  if (selector === "custom" && pattern === undefined)
    return [{ property: "pattern", reason: "pattern must name the custom pipeline (under `pipelines: custom:`) when selector is custom." }];
  if (selector === "default" && pattern !== undefined)
    return [{ property: "pattern", reason: "pattern must be unset when selector is default (the `pipelines: default:` pipeline)." }];
  return [];
}

/** A branches selector without a pattern runs the branch's own pipeline: the pattern is the branch name. */
const withPattern = (inputs: Record<string, unknown>) =>
  inputs.selector === "branches" && inputs.pattern === undefined && typeof inputs.branch === "string" ? { ...inputs, pattern: inputs.branch } : inputs;

/** What one schedule is: its branch, pipeline and cron pattern (Bitbucket has no other key for it). */
const scheduleKey = (args: Record<string, unknown>) =>
  typeof args.branch === "string" && typeof args.cronPattern === "string"
    ? JSON.stringify([args.branch, args.selector ?? "branches", args.pattern ?? args.branch, normalCron(args.cronPattern)])
    : undefined;

/** A PipelineSchedule owns the repository's schedule of its branch, pipeline and cron pattern. */
export const claims = claimRule(["workspace", "repository", "branch", "selector", "pattern", "cronPattern"], (args) =>
  itemClaim(
    repositoryRef(args.workspace, args.repository),
    "pipelines schedules",
    scheduleKey(args),
    "one schedule (matched by branch, pipeline and cron pattern)",
    "cronPattern",
  ),
);

function scheduleState(live: ScheduleObject, ids: { workspace: string; repository: string; repositoryUuid: string }) {
  return compact({ ...ids, ...FIELDS.state(live), uuid: live.uuid });
}

const sameSchedule = (live: ScheduleObject, body: ScheduleBody) =>
  live.target.ref_name === body.target.ref_name &&
  (live.target.selector?.type ?? "") === body.target.selector.type &&
  (live.target.selector?.pattern ?? undefined) === body.target.selector.pattern &&
  normalCron(live.cron_pattern) === body.cron_pattern;

const scheduleId = (id: string, props?: Record<string, unknown>) => repositoryObjectId("pipelines schedule", id, ["workspace", "repository", "uuid"], props);

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  async check(_olds, news) {
    const result = FIELDS.check(news);
    if (result.failures) return result;
    const inputs = withPattern(result.inputs ?? news);
    return withFailures({ inputs }, news, pipelineFailures(inputs));
  },

  async diff(_id, olds, news) {
    return diffResult(FIELDS.diff(olds, news), false);
  },

  async create(ctx, raw) {
    const { api } = ctx;
    const inputs = FIELDS.parse(raw);
    const { workspace, repository } = inputs;
    const uuid = await repositoryUuid(api, workspace, repository);
    const selector = { type: inputs.selector, ...(inputs.pattern === undefined ? {} : { pattern: inputs.pattern }) };
    const body: ScheduleBody = { target: { ref_type: "branch", ref_name: inputs.branch, selector }, cron_pattern: inputs.cronPattern, enabled: inputs.enabled };
    // No key the API could refuse a repeat on: a schedule with the same branch, pipeline and cron
    // pattern (left by a lost answer or a killed run) is taken over instead of adding another.
    const { value, found } = await api.createOnce(
      `the Pipelines schedule ${body.cron_pattern} of ${workspace}/${repository}`,
      async () => (await api.listSchedules(workspace, uuid)).find((s) => sameSchedule(s, body)),
      () => api.createSchedule(workspace, uuid, body),
    );
    let live = value;
    if (found && value.enabled !== body.enabled) {
      reportTakeOver(
        ctx,
        `PipelineSchedule: ${workspace}/${repository} already had this schedule (${value.uuid}, ${value.enabled ? "enabled" : "disabled"}), now ${body.enabled ? "enabled" : "disabled"}`,
      );
      live = await api.updateSchedule(workspace, uuid, value.uuid, { enabled: body.enabled });
    }
    return { id: live.uuid, outs: scheduleState(live, { workspace, repository, repositoryUuid: uuid }) };
  },

  async read({ api }, id, props) {
    const { workspace, repository, uuid, at } = scheduleId(id, props);
    const live = await ifFound(api.getSchedule(workspace, at, uuid));
    if (!live) return {};
    // A `get` by `workspace/slug/{uuid}` learns the repository's UUID with one GET.
    const repoUuid = text(props?.repositoryUuid) ?? (await repositoryUuid(api, workspace, at));
    const state = scheduleState(live, { workspace, repository, repositoryUuid: repoUuid });
    return { id: live.uuid, props: state, inputs: FIELDS.inputsOf(state) };
  },

  async update({ api }, id, olds, news) {
    const inputs = FIELDS.parse(news);
    const at = text(olds.repositoryUuid) ?? inputs.repository;
    const live = await api.updateSchedule(inputs.workspace, at, id, { enabled: inputs.enabled });
    return { outs: scheduleState(live, { workspace: inputs.workspace, repository: inputs.repository, repositoryUuid: at }) };
  },

  async delete({ api }, id, props) {
    const { workspace, uuid, at } = scheduleId(id, props);
    await ifFound(api.deleteSchedule(workspace, at, uuid));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

const describePipeline = (s: ScheduleObject) =>
  s.target.selector?.type === "default"
    ? "default pipeline"
    : `${s.target.selector?.type ?? "branches"} pipeline ${s.target.selector?.pattern ?? s.target.ref_name}`;

/** A repository's Pipelines schedules. */
export const SCHEDULES: Collection<ScheduleObject> = {
  label: "pipelines schedule",
  plural: "pipelines schedules",
  on: REPOSITORIES.label,
  list: (api, { workspace, container }) => api.listSchedules(workspace, container!.uuid),
  listed: (s) => ({
    keys: [s.uuid],
    id: s.uuid,
    detail: `${s.cron_pattern} on branch ${s.target.ref_name} (${describePipeline(s)}${s.enabled ? "" : ", disabled"})`,
  }),
};

/** A PipelineSchedule holds one schedule by UUID; imported one per schedule of each imported repository. */
/** A DrFaust92 schedule's `target` block (a one-element list). */
const targetOf = (a: Record<string, unknown>) => (Array.isArray(a.target) ? (a.target[0] as Record<string, unknown> | undefined) : undefined);

export const discovery: Discovery = {
  claims: claimsOne(SCHEDULES),
  describe: describeOne("pipelines schedule", (o) => text(o.cronPattern), "repository"),
  search: SCHEDULES,
  import: attachedImport({
    on: REPOSITORIES,
    counted: "pipelines schedules",
    order: 6,
    read: (api, place) => SCHEDULES.list(api, place, []),
    declare: (schedules, container) =>
      schedules.map((s, i) => {
        const selector = s.target.selector?.type ?? "branches";
        const pattern = s.target.selector?.pattern;
        return {
          name: `${container.key}-schedule-${i + 1}`,
          args: [
            ["workspace", WORKSPACE],
            ["repository", CONTAINER_ID],
            ["branch", s.target.ref_name],
            ["selector", selector === "branches" ? undefined : selector],
            ["pattern", selector === "branches" && pattern === s.target.ref_name ? undefined : pattern],
            ["cronPattern", s.cron_pattern],
            ["enabled", s.enabled ? undefined : false],
          ],
        };
      }),
  }),
  // bitbucket_pipeline_schedule: workspace, repository, cron_pattern, enabled and target[0] (ref_name,
  // ref_type `branch` or `tag`, selector[0].pattern; the provider always sends the selector type
  // `branches`). Creation takes over the schedule of the same branch, selector and pattern.
  terraform: terraformImport({
    type: "bitbucket_pipeline_schedule",
    order: 3,
    unmapped: (a) => (targetOf(a)?.ref_type === "tag" ? "a schedule on a tag: PipelineSchedule runs on branches only (left as it is)" : undefined),
    declare: ({ attributes: a, name }, { workspaceOf }) => {
      const target = targetOf(a);
      const selector = (Array.isArray(target?.selector) ? target.selector[0] : undefined) as Record<string, unknown> | undefined;
      const branch = String(target?.ref_name);
      const pattern = text(selector?.pattern);
      return [
        {
          name,
          args: [
            ["workspace", workspaceOf(String(a.workspace))],
            ["repository", terraformRepository(a.workspace, a.repository)],
            ["branch", branch],
            ["pattern", pattern === undefined || pattern === branch ? undefined : pattern],
            ["cronPattern", String(a.cron_pattern)],
            ["enabled", a.enabled === false ? false : undefined],
          ],
        },
      ];
    },
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export type PipelineSelector = (typeof SELECTORS)[number];

export interface PipelineScheduleArgs {
  /** Workspace slug (or `{uuid}`) of the repository. Changing it replaces the schedule. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id` (the UUID) so a rename changes nothing. Changing it replaces the schedule. */
  repository: pulumi.Input<string>;
  /** The branch the pipeline runs on. Changing it replaces the schedule. */
  branch: pulumi.Input<string>;
  /** Which pipeline of bitbucket-pipelines.yml runs: `branches` (default: the one under `pipelines: branches:` matching `pattern`), `custom` (the one under `pipelines: custom:` named `pattern`) or `default`. Changing it replaces the schedule. */
  selector?: pulumi.Input<PipelineSelector>;
  /** The pipeline's name in bitbucket-pipelines.yml: for `branches`, its branch pattern (default: `branch`); for `custom`, required; for `default`, unset. Changing it replaces the schedule. */
  pattern?: pulumi.Input<string>;
  /** When it runs, in UTC: a 7-field cron pattern `seconds minutes hours day-of-month month day-of-week year` with seconds 0, minutes one number (schedules run at most hourly) and `?` in exactly one of day-of-month and day-of-week; e.g. `0 0 2 * * ? *` runs at 02:00 every day, `0 30 * * * ? *` every hour at :30, `0 0 6 ? * MON *` on Mondays at 06:00. Changing it replaces the schedule (Bitbucket cannot change it). */
  cronPattern: pulumi.Input<string>;
  /** Whether the schedule runs. Default: true. Updates in place. */
  enabled?: pulumi.Input<boolean>;
}

const OUTPUTS = outputTable(FIELDS, {
  selector: argument("always set"),
  enabled: argument("always set"),
  /** The pipeline's name (for `branches`, the branch unless set). */
  pattern: argument(),
  /** The cron pattern as Bitbucket keeps it (fields separated by one space). */
  cronPattern: argument(),
  /** The repository's UUID, by which the schedule is addressed. */
  repositoryUuid: output<string>(),
  /** The schedule's UUID (also the resource ID). */
  uuid: output<string>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface PipelineSchedule extends ResourceOutputs<typeof OUTPUTS> {}

/** A Pipelines schedule of a repository: a pipeline of a branch run on a cron pattern. ID: the schedule's `{uuid}`. */
export class PipelineSchedule extends BitbucketResource {
  constructor(name: string, args: PipelineScheduleArgs, opts?: pulumi.CustomResourceOptions) {
    super("PipelineSchedule", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing schedule: `get(name, "workspace/repository/{uuid}")` or `get(name, "{uuid}", { workspace, repository })`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: InRepository, opts?: pulumi.CustomResourceOptions): PipelineSchedule {
    return PipelineSchedule.existing(name, id, state, opts);
  }
}
