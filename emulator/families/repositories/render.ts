// Repositories as the API renders them (forks carry their parent), and their URLs.
import { workspaceOf } from "../../access";
import { api, link, View } from "../../view";
import { renderProject } from "../projects/render";
import type { Workspace } from "../workspaces/model";
import { renderWorkspace, renderWorkspaceOwner } from "../workspaces/render";
import type { Repository } from "./model";

export function repoPath(ws: Workspace, repo: Repository): string {
  return `/repositories/${ws.slug}/${repo.slug}`;
}

/** The repository's API URL (a `Location` header, a `self` link). */
export function repoUrl(view: View, repo: Repository): string {
  return api(view, repoPath(workspaceOf(view.state, repo), repo));
}

/** `minimal` is the short form the API nests in other objects (hooks, permissions, commits). */
export function renderRepository(view: View, repo: Repository, minimal = false): Record<string, unknown> {
  const ws = workspaceOf(view.state, repo);
  const self = api(view, repoPath(ws, repo));
  const host = new URL(view.base).hostname;
  const short = {
    type: "repository",
    full_name: `${ws.slug}/${repo.slug}`,
    name: repo.name,
    uuid: repo.uuid,
    links: {
      self: link(self),
      html: link(`${view.base}/${ws.slug}/${repo.slug}`),
      avatar: link(`${view.base}/${ws.slug}/${repo.slug}/avatar/32/`),
    },
  };
  if (minimal) return short;
  const project = ws.projects.find((p) => p.key === repo.projectKey);
  const parent = repo.parentUuid ? view.state.repositories.find((r) => r.uuid === repo.parentUuid) : undefined;
  const body: Record<string, unknown> = {
    ...short,
    // `slug` is not in the spec's repository schema, but the live API returns it (the schema allows extra properties).
    slug: repo.slug,
    description: repo.description,
    scm: "git",
    website: repo.website,
    owner: renderWorkspaceOwner(view, ws),
    workspace: renderWorkspace(view, ws),
    is_private: repo.is_private,
    project: project ? renderProject(view, ws, project) : undefined,
    fork_policy: repo.fork_policy,
    created_on: repo.created_on,
    updated_on: repo.updated_on,
    size: repo.size,
    language: repo.language,
    // Issues and wikis were sunset on 2026-08-20: no repository has them, whatever an older data file holds.
    has_issues: false,
    has_wiki: false,
    mainbranch: { type: "branch", name: repo.mainbranch },
    links: {
      ...short.links,
      pullrequests: link(`${self}/pullrequests`),
      commits: link(`${self}/commits`),
      forks: link(`${self}/forks`),
      watchers: link(`${self}/watchers`),
      downloads: link(`${self}/downloads`),
      hooks: link(`${self}/hooks`),
      clone: [
        { name: "https", href: `${view.base}/${ws.slug}/${repo.slug}.git` },
        // The live API answers `git@host:ws/slug.git`, which is not a URI as the spec's `format: uri` requires.
        { name: "ssh", href: `ssh://git@${host}/${ws.slug}/${repo.slug}.git` },
      ],
    },
  };
  if (!project) delete body.project;
  if (parent) body.parent = renderRepository(view, parent, true);
  return body;
}
