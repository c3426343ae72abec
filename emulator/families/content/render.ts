// What a repository holds as the API renders it: commits, branches, tags, pull requests, source entries,
// and markup files rendered to HTML.
import MarkdownIt from "markdown-it";
import { workspaceOf } from "../../access";
import { badRequest } from "../../errors";
import { ownValue } from "../../records";
import { api, link, View } from "../../view";
import type { Repository } from "../repositories/model";
import { renderRepository, repoPath } from "../repositories/render";
import { renderUser, userByUuid } from "../workspaces/render";
import { treeAt, type Branch, type Commit, type PullRequest, type Tag } from "./model";

export function renderCommit(view: View, repo: Repository, c: Commit): Record<string, unknown> {
  const ws = workspaceOf(view.state, repo);
  const self = api(view, `${repoPath(ws, repo)}/commit/${c.hash}`);
  const author = userByUuid(view, c.authorUuid);
  const email = c.authorRaw && /<([^<>]+)>$/.exec(c.authorRaw)?.[1];
  const named = c.authorRaw ? view.state.users.find((u) => u.email === email) : author;
  return {
    type: "commit",
    hash: c.hash,
    date: c.date,
    author: { type: "author", raw: c.authorRaw ?? `${author.display_name} <${author.email}>`, ...(named ? { user: renderUser(view, named) } : {}) },
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
    size: Buffer.byteLength(ownValue(treeAt(repo, commit), path) ?? ""),
    mimetype: path.endsWith(".md") ? "text/markdown" : null,
    links: { self: link(self), meta: link(`${self}?format=meta`) },
  };
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
