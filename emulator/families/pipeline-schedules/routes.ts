// /repositories/{workspace}/{repo_slug}/pipelines_config/schedules[/{schedule_uuid}].
import { bodyObject, created, noContent, ok, paginate } from "../../http";
import { repoRef, Route } from "../../route";
import { repoUrl } from "../repositories/render";
import type { PipelineSchedules } from "./backend";
import { renderSchedule } from "./render";

const SCHEDULES = "/repositories/{workspace}/{repo_slug}/pipelines_config/schedules";
const SCHEDULE = `${SCHEDULES}/{schedule_uuid}`;

export const scheduleRoutes: Route<PipelineSchedules>[] = [
  {
    method: "GET",
    template: SCHEDULES,
    handler: (ctx, schedules) =>
      paginate(
        ctx,
        schedules.list(ctx.caller, repoRef(ctx)).schedules.map((s) => renderSchedule(ctx, s)),
        { query: false },
      ),
  },
  {
    method: "POST",
    template: SCHEDULES,
    handler: (ctx, schedules) => {
      const { repo, schedule } = schedules.create(ctx.caller, repoRef(ctx), bodyObject(ctx));
      const Location = `${repoUrl(ctx, repo)}/pipelines_config/schedules/${encodeURIComponent(schedule.uuid)}`;
      return created(renderSchedule(ctx, schedule), { Location });
    },
  },
  {
    method: "GET",
    template: SCHEDULE,
    handler: (ctx, schedules) => ok(renderSchedule(ctx, schedules.get(ctx.caller, repoRef(ctx), ctx.params.schedule_uuid).schedule)),
  },
  {
    method: "PUT",
    template: SCHEDULE,
    handler: (ctx, schedules) => ok(renderSchedule(ctx, schedules.update(ctx.caller, repoRef(ctx), ctx.params.schedule_uuid, bodyObject(ctx)).schedule)),
  },
  {
    method: "DELETE",
    template: SCHEDULE,
    handler: (ctx, schedules) => {
      schedules.delete(ctx.caller, repoRef(ctx), ctx.params.schedule_uuid);
      return noContent();
    },
  },
];
