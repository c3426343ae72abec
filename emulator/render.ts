// State objects rendered as the API's JSON, links built on the address the client used.
import { workspaceOf } from "./access";
import type { Ctx } from "./http";
import type { Branch, Commit, Group, Hook, Project, PullRequest, Repository, Tag, User, Workspace } from "./store";

const link = (href: string) => ({ href });
const api = (ctx: Ctx, path: string) => `${ctx.base}/2.0${path}`;

export function renderUser(ctx: Ctx, u: User): Record<string, unknown> {
  return {
    type: "user",
    uuid: u.uuid,
    account_id: u.account_id,
    display_name: u.display_name,
    nickname: u.nickname,
    links: {
      self: link(api(ctx, `/users/${encodeURIComponent(u.uuid)}`)),
      html: link(`${ctx.base}/${encodeURIComponent(u.uuid)}/`),
      avatar: link(`${ctx.base}/account/${u.nickname}/avatar/`),
    },
  };
}

function userByUuid(ctx: Ctx, uuid: string): User {
  return ctx.state.users.find((u) => u.uuid === uuid)!;
}

/** A workspace as a repository's `owner`: the API renders it as a team account. */
function renderWorkspaceOwner(ctx: Ctx, ws: Workspace): Record<string, unknown> {
  return {
    type: "team",
    uuid: ws.uuid,
    username: ws.slug,
    display_name: ws.name,
    links: {
      self: link(api(ctx, `/workspaces/${ws.slug}`)),
      html: link(`${ctx.base}/${ws.slug}/`),
      avatar: link(`${ctx.base}/workspaces/${ws.slug}/avatar/`),
    },
  };
}

export function renderWorkspace(ctx: Ctx, ws: Workspace, full = false): Record<string, unknown> {
  const base = {
    type: "workspace",
    uuid: ws.uuid,
    name: ws.name,
    slug: ws.slug,
    links: {
      self: link(api(ctx, `/workspaces/${ws.slug}`)),
      html: link(`${ctx.base}/${ws.slug}/`),
      avatar: link(`${ctx.base}/workspaces/${ws.slug}/avatar/`),
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
      members: link(api(ctx, `/workspaces/${ws.slug}/members`)),
      owners: link(api(ctx, `/workspaces/${ws.slug}/members?q=permission%3D%22owner%22`)),
      projects: link(api(ctx, `/workspaces/${ws.slug}/projects`)),
      repositories: link(api(ctx, `/repositories/${ws.slug}`)),
      snippets: link(api(ctx, `/snippets/${ws.slug}`)),
    },
  };
}

export function renderProject(ctx: Ctx, ws: Workspace, p: Project): Record<string, unknown> {
  return {
    type: "project",
    key: p.key,
    uuid: p.uuid,
    name: p.name,
    links: {
      html: link(`${ctx.base}/${ws.slug}/workspace/projects/${p.key}`),
      avatar: link(`${ctx.base}/${ws.slug}/workspace/projects/${p.key}/avatar`),
    },
  };
}

export function repoPath(ws: Workspace, repo: Repository): string {
  return `/repositories/${ws.slug}/${repo.slug}`;
}

/** `minimal` is the short form the API nests in other objects (hooks, permissions, commits). */
export function renderRepository(ctx: Ctx, repo: Repository, minimal = false): Record<string, unknown> {
  const ws = workspaceOf(ctx.state, repo);
  const self = api(ctx, repoPath(ws, repo));
  const host = new URL(ctx.base).hostname;
  const short = {
    type: "repository",
    full_name: `${ws.slug}/${repo.slug}`,
    name: repo.name,
    uuid: repo.uuid,
    links: {
      self: link(self),
      html: link(`${ctx.base}/${ws.slug}/${repo.slug}`),
      avatar: link(`${ctx.base}/${ws.slug}/${repo.slug}/avatar/32/`),
    },
  };
  if (minimal) return short;
  const project = ws.projects.find((p) => p.key === repo.projectKey);
  const parent = repo.parentUuid ? ctx.state.repositories.find((r) => r.uuid === repo.parentUuid) : undefined;
  const body: Record<string, unknown> = {
    ...short,
    // `slug` is not in the spec's repository schema, but the live API returns it (the schema allows extra properties).
    slug: repo.slug,
    description: repo.description,
    scm: "git",
    website: repo.website,
    owner: renderWorkspaceOwner(ctx, ws),
    workspace: renderWorkspace(ctx, ws),
    is_private: repo.is_private,
    project: project ? renderProject(ctx, ws, project) : undefined,
    fork_policy: repo.fork_policy,
    created_on: repo.created_on,
    updated_on: repo.updated_on,
    size: repo.size,
    language: repo.language,
    has_issues: repo.has_issues,
    has_wiki: repo.has_wiki,
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
        { name: "https", href: `${ctx.base}/${ws.slug}/${repo.slug}.git` },
        // The live API answers `git@host:ws/slug.git`, which is not a URI as the spec's `format: uri` requires.
        { name: "ssh", href: `ssh://git@${host}/${ws.slug}/${repo.slug}.git` },
      ],
    },
  };
  if (!project) delete body.project;
  if (parent) body.parent = renderRepository(ctx, parent, true);
  return body;
}

export function renderCommit(ctx: Ctx, repo: Repository, c: Commit): Record<string, unknown> {
  const ws = workspaceOf(ctx.state, repo);
  const self = api(ctx, `${repoPath(ws, repo)}/commit/${c.hash}`);
  const author = userByUuid(ctx, c.authorUuid);
  return {
    type: "commit",
    hash: c.hash,
    date: c.date,
    author: { type: "author", raw: `${author.display_name} <${author.email}>`, user: renderUser(ctx, author) },
    message: c.message,
    summary: { raw: c.message, markup: "markdown", html: `<p>${c.message.trim()}</p>` },
    parents: c.parents.map((h) => ({ type: "commit", hash: h, links: { self: link(api(ctx, `${repoPath(ws, repo)}/commit/${h}`)) } })),
    repository: renderRepository(ctx, repo, true),
    links: { self: link(self), html: link(`${ctx.base}/${ws.slug}/${repo.slug}/commits/${c.hash}`) },
  };
}

function commitOf(repo: Repository, hash: string): Commit {
  return repo.commits.find((c) => c.hash === hash)!;
}

export function renderBranch(ctx: Ctx, repo: Repository, b: Branch): Record<string, unknown> {
  const ws = workspaceOf(ctx.state, repo);
  return {
    type: "branch",
    name: b.name,
    target: renderCommit(ctx, repo, commitOf(repo, b.target)),
    merge_strategies: ["merge_commit", "squash", "fast_forward"],
    default_merge_strategy: "merge_commit",
    links: {
      self: link(api(ctx, `${repoPath(ws, repo)}/refs/branches/${encodeURIComponent(b.name)}`)),
      commits: link(api(ctx, `${repoPath(ws, repo)}/commits/${encodeURIComponent(b.name)}`)),
      html: link(`${ctx.base}/${ws.slug}/${repo.slug}/branch/${encodeURIComponent(b.name)}`),
    },
  };
}

export function renderTag(ctx: Ctx, repo: Repository, t: Tag): Record<string, unknown> {
  const ws = workspaceOf(ctx.state, repo);
  const tagger = userByUuid(ctx, t.taggerUuid);
  return {
    type: "tag",
    name: t.name,
    target: renderCommit(ctx, repo, commitOf(repo, t.target)),
    message: t.message,
    date: t.date,
    tagger: { type: "author", raw: `${tagger.display_name} <${tagger.email}>`, user: renderUser(ctx, tagger) },
    links: {
      self: link(api(ctx, `${repoPath(ws, repo)}/refs/tags/${encodeURIComponent(t.name)}`)),
      commits: link(api(ctx, `${repoPath(ws, repo)}/commits/${encodeURIComponent(t.name)}`)),
      html: link(`${ctx.base}/${ws.slug}/${repo.slug}/commits/tag/${encodeURIComponent(t.name)}`),
    },
  };
}

export function renderPullRequest(ctx: Ctx, repo: Repository, pr: PullRequest): Record<string, unknown> {
  const ws = workspaceOf(ctx.state, repo);
  const self = api(ctx, `${repoPath(ws, repo)}/pullrequests/${pr.id}`);
  const endpoint = (branch: string) => {
    const b = repo.branches.find((x) => x.name === branch);
    return {
      repository: renderRepository(ctx, repo, true),
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
    author: renderUser(ctx, userByUuid(ctx, pr.authorUuid)),
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
      html: link(`${ctx.base}/${ws.slug}/${repo.slug}/pull-requests/${pr.id}`),
      commits: link(`${self}/commits`),
      diff: link(`${self}/diff`),
    },
  };
}

export function renderHook(ctx: Ctx, repo: Repository, h: Hook): Record<string, unknown> {
  const ws = workspaceOf(ctx.state, repo);
  return {
    type: "webhook_subscription",
    uuid: h.uuid,
    url: h.url,
    description: h.description,
    subject_type: "repository",
    subject: renderRepository(ctx, repo, true),
    active: h.active,
    created_at: h.created_at,
    events: h.events,
    // The secret is write-only: responses only say whether one is set.
    secret_set: h.secret !== null,
    links: { self: link(api(ctx, `${repoPath(ws, repo)}/hooks/${encodeURIComponent(h.uuid)}`)) },
  };
}

export function renderGroup(ctx: Ctx, ws: Workspace, g: Group): Record<string, unknown> {
  return {
    type: "group",
    name: g.name,
    slug: g.slug,
    full_slug: `${ws.slug}:${g.slug}`,
    workspace: renderWorkspace(ctx, ws),
    links: { self: link(api(ctx, `/groups/${ws.slug}/${g.slug}`)), html: link(`${ctx.base}/${ws.slug}/workspace/settings/groups/${g.slug}`) },
  };
}

export function renderFileEntry(ctx: Ctx, repo: Repository, commit: Commit, path: string, isDir: boolean): Record<string, unknown> {
  const ws = workspaceOf(ctx.state, repo);
  const self = api(ctx, `${repoPath(ws, repo)}/src/${commit.hash}/${path}${isDir ? "/" : ""}`);
  const commitRef = { type: "commit", hash: commit.hash, links: { self: link(api(ctx, `${repoPath(ws, repo)}/commit/${commit.hash}`)) } };
  if (isDir) return { type: "commit_directory", path, commit: commitRef, links: { self: link(self) } };
  return {
    type: "commit_file",
    path,
    commit: commitRef,
    escaped_path: path,
    size: Buffer.byteLength(repo.files[path]),
    mimetype: path.endsWith(".md") ? "text/markdown" : null,
    links: { self: link(self), meta: link(`${self}?format=meta`) },
  };
}
