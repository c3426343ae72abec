// Projects as the API renders them: the project's own document and the short form others nest.
import { api, link, View } from "../../view";
import type { Workspace } from "../workspaces/model";
import { renderWorkspaceOwner } from "../workspaces/render";
import type { Project } from "./model";

/** `full` is the project's own document; the short form is what a repository nests. */
export function renderProject(view: View, ws: Workspace, p: Project, full = false): Record<string, unknown> {
  const short = {
    type: "project",
    key: p.key,
    uuid: p.uuid,
    name: p.name,
    links: {
      html: link(`${view.base}/${ws.slug}/workspace/projects/${p.key}`),
      avatar: link(`${view.base}/${ws.slug}/workspace/projects/${p.key}/avatar`),
    },
  };
  if (!full) return short;
  return {
    ...short,
    owner: renderWorkspaceOwner(view, ws),
    description: p.description,
    is_private: p.is_private,
    created_on: p.created_on,
    updated_on: p.updated_on,
    has_publicly_visible_repos: view.state.repositories.some((r) => r.workspaceUuid === ws.uuid && r.projectKey === p.key && !r.is_private),
  };
}

export function projectUrl(view: View, ws: Workspace, p: Project): string {
  return api(view, `/workspaces/${ws.slug}/projects/${encodeURIComponent(p.key)}`);
}
