// Projects of a workspace: /workspaces/{workspace}/projects and one project by key.
import { z } from "zod";
import { EndpointContext, lastSegment, Links, ListOptions, maybe, PROJECT, projectParams } from "./context";

export const ProjectObject = z.looseObject({
  uuid: z.string(),
  key: z.string(),
  name: z.string(),
  description: maybe(z.string()),
  is_private: maybe(z.boolean()),
  created_on: maybe(z.string()),
  updated_on: maybe(z.string()),
  links: Links,
});
export type ProjectObject = z.infer<typeof ProjectObject>;

/** The writable part of a project (the spec's `project`). In an update, a `key` other than the URL's moves the project. */
export interface ProjectBody {
  key?: string;
  name?: string;
  description?: string;
  is_private?: boolean;
}

const PROJECTS = "/workspaces/{workspace}/projects";

export function projectEndpoints(c: EndpointContext) {
  return {
    getProject: (workspace: string, key: string): Promise<ProjectObject> => c.get(ProjectObject, PROJECT, projectParams(workspace, key)),
    listProjects: (workspace: string, options?: ListOptions): Promise<ProjectObject[]> => c.list(ProjectObject, PROJECTS, { workspace }, options),
    /**
     * Not retried on 5xx / lost answers (a POST): the key is unique, so a repeat could not make a second
     * project, but it would answer 400 (key taken) for the one the first attempt made.
     */
    createProject: (workspace: string, body: ProjectBody & { key: string; name: string }): Promise<ProjectObject> =>
      c.request(ProjectObject, { method: "POST", route: PROJECTS, params: { workspace }, body }),
    /** PUT; when `body.key` changes the key, the project moves and its new key comes from `Location`. */
    async updateProject(workspace: string, key: string, body: ProjectBody): Promise<{ project: ProjectObject; locationKey?: string }> {
      const res = await c.send({ method: "PUT", route: PROJECT, params: projectParams(workspace, key), body });
      return { project: ProjectObject.parse(res.body), locationKey: lastSegment(res.headers.get("location")) };
    },
    /** Refused (403) while the project holds repositories. */
    deleteProject: (workspace: string, key: string): Promise<void> => c.delete(PROJECT, projectParams(workspace, key)),
  };
}

export function projectReads(c: EndpointContext) {
  const { getProject, listProjects } = projectEndpoints(c);
  return { project: getProject, projects: listProjects };
}
