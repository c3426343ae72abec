// /workspaces/{workspace}/projects and /workspaces/{workspace}/projects/{project_key}.
import { bodyObject, created, noContent, ok, paginate } from "../../http";
import type { Route } from "../../route";
import type { Projects } from "./backend";
import { projectUrl, renderProject } from "./render";

export const projectRoutes: Route<Projects>[] = [
  {
    method: "GET",
    template: "/workspaces/{workspace}/projects",
    handler: (ctx, projects) => {
      const { ws, projects: listed } = projects.list(ctx.caller, ctx.params.workspace);
      return paginate(
        ctx,
        listed.map((p) => renderProject(ctx, ws, p, true)),
      );
    },
  },
  {
    method: "POST",
    template: "/workspaces/{workspace}/projects",
    handler: (ctx, projects) => {
      const { ws, project } = projects.create(ctx.caller, ctx.params.workspace, bodyObject(ctx));
      return created(renderProject(ctx, ws, project, true), { Location: projectUrl(ctx, ws, project) });
    },
  },
  {
    method: "GET",
    template: "/workspaces/{workspace}/projects/{project_key}",
    handler: (ctx, projects) => {
      const { ws, project } = projects.get(ctx.caller, ctx.params.workspace, ctx.params.project_key);
      return ok(renderProject(ctx, ws, project, true));
    },
  },
  {
    method: "PUT",
    template: "/workspaces/{workspace}/projects/{project_key}",
    handler: (ctx, projects) => {
      const { ws, project, created, moved } = projects.put(ctx.caller, ctx.params.workspace, ctx.params.project_key, bodyObject(ctx));
      // The spec: on an update, Location is "only provided when the project key is updated".
      const headers: Record<string, string> = created || moved ? { Location: projectUrl(ctx, ws, project) } : {};
      return { status: created ? 201 : 200, body: renderProject(ctx, ws, project, true), headers };
    },
  },
  {
    method: "DELETE",
    template: "/workspaces/{workspace}/projects/{project_key}",
    handler: (ctx, projects) => {
      projects.delete(ctx.caller, ctx.params.workspace, ctx.params.project_key);
      return noContent();
    },
  },
];
