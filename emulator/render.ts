// State objects rendered as the API's JSON, links built on the address the client used.
import MarkdownIt from "markdown-it";
import { workspaceOf } from "./backend/access";
import type { GrantScope, GroupGrant, UserGrant } from "./backend/permissions";
import { badRequest } from "./errors";
import { ownValue } from "./records";
import type { Branch, Commit, Group, Hook, Project, PullRequest, Repository, State, Tag, User, Workspace } from "./store";

/** What renderers read: the address the client used (links are built on it) and the state. */
export interface View {
  base: string;
  state: Readonly<State>;
}

const link = (href: string) => ({ href });
const api = (view: View, path: string) => `${view.base}/2.0${path}`;

export function renderUser(view: View, u: User): Record<string, unknown> {
  return {
    type: "user",
    uuid: u.uuid,
    account_id: u.account_id,
    display_name: u.display_name,
    nickname: u.nickname,
    links: {
      self: link(api(view, `/users/${encodeURIComponent(u.uuid)}`)),
      html: link(`${view.base}/${encodeURIComponent(u.uuid)}/`),
      avatar: link(`${view.base}/account/${u.nickname}/avatar/`),
    },
  };
}

function userByUuid(view: View, uuid: string): User {
  return view.state.users.find((u) => u.uuid === uuid)!;
}

/** A workspace as a repository's `owner`: the API renders it as a team account. */
function renderWorkspaceOwner(view: View, ws: Workspace): Record<string, unknown> {
  return {
    type: "team",
    uuid: ws.uuid,
    username: ws.slug,
    display_name: ws.name,
    links: {
      self: link(api(view, `/workspaces/${ws.slug}`)),
      html: link(`${view.base}/${ws.slug}/`),
      avatar: link(`${view.base}/workspaces/${ws.slug}/avatar/`),
    },
  };
}

export function renderWorkspace(view: View, ws: Workspace, full = false): Record<string, unknown> {
  const base = {
    type: "workspace",
    uuid: ws.uuid,
    name: ws.name,
    slug: ws.slug,
    links: {
      self: link(api(view, `/workspaces/${ws.slug}`)),
      html: link(`${view.base}/${ws.slug}/`),
      avatar: link(`${view.base}/workspaces/${ws.slug}/avatar/`),
    },
  };
  if (!full) return base;
  return {
    ...base,
    is_private: ws.is_private,
    is_personal: false,
    forking_mode: "allow_forks",
    created_on: ws.created_on,
    updated_on: ws.created_on,
    links: {
      ...base.links,
      members: link(api(view, `/workspaces/${ws.slug}/members`)),
      owners: link(api(view, `/workspaces/${ws.slug}/members?q=permission%3D%22owner%22`)),
      projects: link(api(view, `/workspaces/${ws.slug}/projects`)),
      repositories: link(api(view, `/repositories/${ws.slug}`)),
      snippets: link(api(view, `/snippets/${ws.slug}`)),
    },
  };
}

/** `GET /user/workspaces`: the spec's `workspace_access`, its workspace as a `workspace_base` (as the spec's example). */
export function renderWorkspaceAccess(view: View, ws: Workspace, administrator: boolean): Record<string, unknown> {
  return {
    type: "workspace_access",
    administrator,
    workspace: {
      type: "workspace_base",
      uuid: ws.uuid,
      slug: ws.slug,
      links: { self: link(api(view, `/workspaces/${ws.slug}`)), avatar: link(`${view.base}/workspaces/${ws.slug}/avatar/`) },
    },
  };
}

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

export function renderMembership(view: View, ws: Workspace, u: User): Record<string, unknown> {
  return {
    type: "workspace_membership",
    user: renderUser(view, u),
    workspace: renderWorkspace(view, ws),
    links: { self: link(api(view, `/workspaces/${ws.slug}/members/${encodeURIComponent(u.uuid)}`)) },
  };
}

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

export function renderCommit(view: View, repo: Repository, c: Commit): Record<string, unknown> {
  const ws = workspaceOf(view.state, repo);
  const self = api(view, `${repoPath(ws, repo)}/commit/${c.hash}`);
  const author = userByUuid(view, c.authorUuid);
  return {
    type: "commit",
    hash: c.hash,
    date: c.date,
    author: { type: "author", raw: `${author.display_name} <${author.email}>`, user: renderUser(view, author) },
    message: c.message,
    summary: { raw: c.message, markup: "markdown", html: `<p>${c.message.trim()}</p>` },
    parents: c.parents.map((h) => ({ type: "commit", hash: h, links: { self: link(api(view, `${repoPath(ws, repo)}/commit/${h}`)) } })),
    repository: renderRepository(view, repo, true),
    links: { self: link(self), html: link(`${view.base}/${ws.slug}/${repo.slug}/commits/${c.hash}`) },
  };
}

function commitOf(repo: Repository, hash: string): Commit {
  return repo.commits.find((c) => c.hash === hash)!;
}

export function renderBranch(view: View, repo: Repository, b: Branch): Record<string, unknown> {
  const ws = workspaceOf(view.state, repo);
  return {
    type: "branch",
    name: b.name,
    target: renderCommit(view, repo, commitOf(repo, b.target)),
    merge_strategies: ["merge_commit", "squash", "fast_forward"],
    default_merge_strategy: "merge_commit",
    links: {
      self: link(api(view, `${repoPath(ws, repo)}/refs/branches/${encodeURIComponent(b.name)}`)),
      commits: link(api(view, `${repoPath(ws, repo)}/commits/${encodeURIComponent(b.name)}`)),
      html: link(`${view.base}/${ws.slug}/${repo.slug}/branch/${encodeURIComponent(b.name)}`),
    },
  };
}

export function renderTag(view: View, repo: Repository, t: Tag): Record<string, unknown> {
  const ws = workspaceOf(view.state, repo);
  const tagger = userByUuid(view, t.taggerUuid);
  return {
    type: "tag",
    name: t.name,
    target: renderCommit(view, repo, commitOf(repo, t.target)),
    message: t.message,
    date: t.date,
    tagger: { type: "author", raw: `${tagger.display_name} <${tagger.email}>`, user: renderUser(view, tagger) },
    links: {
      self: link(api(view, `${repoPath(ws, repo)}/refs/tags/${encodeURIComponent(t.name)}`)),
      commits: link(api(view, `${repoPath(ws, repo)}/commits/${encodeURIComponent(t.name)}`)),
      html: link(`${view.base}/${ws.slug}/${repo.slug}/commits/tag/${encodeURIComponent(t.name)}`),
    },
  };
}

export function renderPullRequest(view: View, repo: Repository, pr: PullRequest): Record<string, unknown> {
  const ws = workspaceOf(view.state, repo);
  const self = api(view, `${repoPath(ws, repo)}/pullrequests/${pr.id}`);
  const endpoint = (branch: string) => {
    const b = repo.branches.find((x) => x.name === branch);
    return {
      repository: renderRepository(view, repo, true),
      branch: { name: branch },
      ...(b ? { commit: { hash: b.target } } : {}),
    };
  };
  return {
    type: "pullrequest",
    id: pr.id,
    title: pr.title,
    summary: { raw: pr.description, markup: "markdown", html: pr.description ? `<p>${pr.description}</p>` : "" },
    state: pr.state,
    author: renderUser(view, userByUuid(view, pr.authorUuid)),
    source: endpoint(pr.sourceBranch),
    destination: endpoint(pr.destinationBranch),
    comment_count: 0,
    task_count: 0,
    close_source_branch: false,
    created_on: pr.created_on,
    updated_on: pr.updated_on,
    reviewers: [],
    draft: false,
    links: {
      self: link(self),
      html: link(`${view.base}/${ws.slug}/${repo.slug}/pull-requests/${pr.id}`),
      commits: link(`${self}/commits`),
      diff: link(`${self}/diff`),
    },
  };
}

export function renderHook(view: View, repo: Repository, h: Hook): Record<string, unknown> {
  const ws = workspaceOf(view.state, repo);
  return {
    type: "webhook_subscription",
    uuid: h.uuid,
    url: h.url,
    description: h.description,
    subject_type: "repository",
    subject: renderRepository(view, repo, true),
    active: h.active,
    created_at: h.created_at,
    events: h.events,
    // The secret is write-only: responses only say whether one is set.
    secret_set: h.secret !== null,
    links: { self: link(api(view, `${repoPath(ws, repo)}/hooks/${encodeURIComponent(h.uuid)}`)) },
  };
}

export function renderGroup(view: View, ws: Workspace, g: Group): Record<string, unknown> {
  return {
    type: "group",
    name: g.name,
    slug: g.slug,
    full_slug: `${ws.slug}:${g.slug}`,
    workspace: renderWorkspace(view, ws),
    links: { self: link(api(view, `/groups/${ws.slug}/${g.slug}`)), html: link(`${view.base}/${ws.slug}/workspace/settings/groups/${g.slug}`) },
  };
}

export function renderFileEntry(view: View, repo: Repository, commit: Commit, path: string, isDir: boolean): Record<string, unknown> {
  const ws = workspaceOf(view.state, repo);
  const self = api(view, `${repoPath(ws, repo)}/src/${commit.hash}/${path}${isDir ? "/" : ""}`);
  const commitRef = { type: "commit", hash: commit.hash, links: { self: link(api(view, `${repoPath(ws, repo)}/commit/${commit.hash}`)) } };
  if (isDir) return { type: "commit_directory", path, commit: commitRef, links: { self: link(self), meta: link(`${self}?format=meta`) } };
  return {
    type: "commit_file",
    path,
    commit: commitRef,
    escaped_path: path,
    size: Buffer.byteLength(ownValue(repo.files, path) ?? ""),
    mimetype: path.endsWith(".md") ? "text/markdown" : null,
    links: { self: link(self), meta: link(`${self}?format=meta`) },
  };
}

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

export function renderOverrideSettings(settings: Repository["overrideSettings"]): Record<string, unknown> {
  return { type: "repository_inheritance_state", override_settings: { ...settings } };
}

export function renderPipelinesConfig(view: View, repo: Repository): Record<string, unknown> {
  return { type: "repository_pipelines_configuration", enabled: repo.pipelinesEnabled ?? false, repository: renderRepository(view, repo, true) };
}

const markdown = new MarkdownIt({ html: false, linkify: true });
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The markup `format=rendered` supports, by extension (the spec's list). */
const MARKUPS: Record<string, "markdown" | "plaintext" | "rst" | "textile"> = {
  md: "markdown",
  markdown: "markdown",
  mkd: "markdown",
  mkdn: "markdown",
  mdown: "markdown",
  text: "plaintext",
  rst: "rst",
  textile: "textile",
};

/**
 * `src/…?format=rendered`: `{raw, markup, html}`. Markdown goes through markdown-it; the emulator has no
 * reStructuredText or Textile renderer, so those (and plain text) come back as escaped preformatted text.
 */
export function renderRenderedFile(path: string, content: string): Record<string, unknown> {
  const markup = ownValue(MARKUPS, path.slice(path.lastIndexOf(".") + 1).toLowerCase());
  if (!path.includes(".") || !markup)
    throw badRequest(
      `format=rendered supports only ${Object.keys(MARKUPS)
        .map((e) => `.${e}`)
        .join(", ")} files`,
    );
  const html = markup === "markdown" ? markdown.render(content) : `<pre>${escapeHtml(content)}</pre>`;
  return { type: "rendered", raw: content, markup, html };
}
