// Explicit group and user permissions, on a repository or a project, as the API renders them.
import { link, View } from "../../view";
import { projectUrl, renderProject } from "../projects/render";
import { renderRepository, repoUrl } from "../repositories/render";
import { renderGroup, renderUser } from "../workspaces/render";
import type { GrantScope, GroupGrant, UserGrant } from "./backend";

/** The repository or project a grant is on: its nested form, its URL, and the type prefix of the grant. */
function grantHolder(view: View, scope: GrantScope): { key: string; value: Record<string, unknown>; url: string; type: string } {
  return scope.kind === "repository"
    ? { key: "repository", value: renderRepository(view, scope.repo, true), url: repoUrl(view, scope.repo), type: "repository" }
    : { key: "project", value: renderProject(view, scope.ws, scope.project), url: projectUrl(view, scope.ws, scope.project), type: "project" };
}

export function renderGroupPermission(view: View, grant: GroupGrant): Record<string, unknown> {
  const holder = grantHolder(view, grant);
  return {
    type: `${holder.type}_group_permission`,
    permission: grant.permission,
    group: renderGroup(view, grant.ws, grant.group),
    [holder.key]: holder.value,
    links: { self: link(`${holder.url}/permissions-config/groups/${grant.group.slug}`) },
  };
}

export function renderUserPermission(view: View, grant: UserGrant): Record<string, unknown> {
  const holder = grantHolder(view, grant);
  return {
    type: `${holder.type}_user_permission`,
    permission: grant.permission,
    user: renderUser(view, grant.user),
    [holder.key]: holder.value,
    links: { self: link(`${holder.url}/permissions-config/users/${grant.user.account_id}`) },
  };
}
