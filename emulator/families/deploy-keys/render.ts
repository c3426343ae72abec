// Deploy keys as the API renders them (the spec's deploy_key and project_deploy_key): the key without
// its comment, which comes apart; `last_used` only once the key was used.
import { findUser } from "../../access";
import { link, View } from "../../view";
import { renderProject, projectUrl } from "../projects/render";
import type { Project } from "../projects/model";
import { renderRepository, repoUrl } from "../repositories/render";
import type { Repository } from "../repositories/model";
import { renderUser } from "../workspaces/render";
import type { Workspace } from "../workspaces/model";
import type { DeployKey } from "./model";

function renderKey(view: View, k: DeployKey, self: string): Record<string, unknown> {
  return {
    id: k.id,
    key: k.key,
    ...(k.comment ? { comment: k.comment } : {}),
    label: k.label,
    // The spec's definition says added_on, its examples created_on: both are served.
    created_on: k.created_on,
    added_on: k.created_on,
    ...(k.last_used ? { last_used: k.last_used } : {}),
    links: { self: link(self) },
  };
}

const addedBy = (view: View, k: DeployKey) => {
  const user = k.addedByUuid ? findUser(view.state, k.addedByUuid) : undefined;
  return user ? renderUser(view, user) : undefined;
};

export function renderRepositoryDeployKey(view: View, repo: Repository, k: DeployKey): Record<string, unknown> {
  const owner = addedBy(view, k);
  return {
    type: "deploy_key",
    ...renderKey(view, k, `${repoUrl(view, repo)}/deploy-keys/${k.id}`),
    repository: renderRepository(view, repo, true),
    ...(owner ? { owner } : {}),
  };
}

export function renderProjectDeployKey(view: View, ws: Workspace, project: Project, k: DeployKey): Record<string, unknown> {
  const createdBy = addedBy(view, k);
  return {
    type: "project_deploy_key",
    ...renderKey(view, k, `${projectUrl(view, ws, project)}/deploy-keys/${k.id}`),
    project: renderProject(view, ws, project),
    ...(createdBy ? { created_by: createdBy } : {}),
  };
}
