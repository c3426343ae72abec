import { canSeeWorkspace, findWorkspace, isWorkspaceAdmin, repoAccess, requireRepository, requireWorkspace } from "../access";
import { badRequest, Ctx, forbidden, notFound, paginate, Reply } from "../http";
import { makeRepository, newUuid } from "../model";
import { renderRepository, repoPath } from "../render";
import { isValidSlug, slugify } from "../slug";
import type { ForkPolicy, Repository, Workspace } from "../store";
import { bodyObject, Route } from "./route";

const FORK_POLICIES: ForkPolicy[] = ["allow_forks", "no_public_forks", "no_forks"];

export function timestamp(now: number): string {
  return new Date(now).toISOString();
}

function check(cond: boolean, field: string, message: string): void {
  if (!cond) throw badRequest(`${field}: ${message}`, `Invalid value for field "${field}"`);
}

/** Validates the writable repository fields of a POST / PUT / fork body and returns them as state fields. */
export function repositoryFields(ws: Workspace, body: Record<string, unknown>): Partial<Repository> {
  const out: Partial<Repository> = {};
  const str = (k: string, allowNull = false) => {
    if (!(k in body)) return;
    const v = body[k];
    check(typeof v === "string" || (allowNull && v === null), k, allowNull ? "must be a string or null" : "must be a string");
    return v as string;
  };
  const bool = (k: string) => {
    if (!(k in body)) return;
    check(typeof body[k] === "boolean", k, "must be a boolean");
    return body[k] as boolean;
  };
  const name = str("name");
  if (name !== undefined) {
    check(name.trim().length > 0, "name", "must not be empty");
    out.name = name;
  }
  const description = str("description");
  if (description !== undefined) out.description = description;
  const language = str("language");
  if (language !== undefined) out.language = language.toLowerCase();
  const website = str("website", true);
  if (website !== undefined) out.website = website;
  for (const k of ["is_private", "has_issues", "has_wiki"] as const) {
    const v = bool(k);
    if (v !== undefined) out[k] = v;
  }
  if ("fork_policy" in body) {
    check(FORK_POLICIES.includes(body.fork_policy as ForkPolicy), "fork_policy", `must be one of ${FORK_POLICIES.join(", ")}`);
    out.fork_policy = body.fork_policy as ForkPolicy;
  }
  if ("scm" in body) check(body.scm === "git", "scm", "only git is supported");
  if ("mainbranch" in body) {
    const mb = body.mainbranch as { name?: unknown } | null;
    check(!!mb && typeof mb === "object" && typeof mb.name === "string" && mb.name.length > 0, "mainbranch", "must be an object with a name");
    out.mainbranch = mb!.name as string;
  }
  if ("project" in body) {
    const p = body.project as { key?: unknown } | null;
    check(!!p && typeof p === "object" && typeof p.key === "string", "project", "must be an object with a key");
    const project = ws.projects.find((x) => x.key === p!.key);
    if (!project) throw badRequest(`project: no project with key ${String(p!.key)} in workspace ${ws.slug}`, 'Invalid value for field "project"');
    out.projectKey = project.key;
  }
  return out;
}

export function oldestProjectKey(ws: Workspace): string {
  return [...ws.projects].sort((a, b) => Date.parse(a.created_on) - Date.parse(b.created_on))[0].key;
}

export function slugTaken(ctx: Ctx, ws: Workspace, slug: string, except?: Repository): boolean {
  return ctx.state.repositories.some((r) => r.workspaceUuid === ws.uuid && r.slug === slug && r !== except);
}

const slugTakenError = (ws: Workspace, slug: string) => badRequest(`Repository with this Slug and Owner already exists.`, `${ws.slug}/${slug} already exists`);

function callerUuid(ctx: Ctx, ws: Workspace): string {
  return ctx.caller!.kind === "user" ? ctx.caller!.user.uuid : ws.ownerUuid;
}

function createRepository(ctx: Ctx, ws: Workspace, status: 200 | 201): Reply {
  // The spec answers 400 (not 403) "if the caller lacks the privilege to create repositories under the targeted account".
  if (!isWorkspaceAdmin(ctx.caller!, ws)) throw badRequest(`You do not have permission to create repositories in ${ws.slug}`);
  const slug = ctx.params.repo_slug;
  if (!isValidSlug(slug)) throw badRequest(`Invalid repository slug: ${slug}`, `A slug may hold lower-case letters, digits, "_", "-" and "." (at most 62)`);
  const fields = repositoryFields(ws, bodyObject(ctx));
  if (slugTaken(ctx, ws, slug)) throw slugTakenError(ws, slug);
  const now = timestamp(ctx.now);
  const repo = makeRepository(
    { uuid: newUuid(), workspaceUuid: ws.uuid, slug, name: slug, projectKey: oldestProjectKey(ws), ...fields },
    callerUuid(ctx, ws),
    now,
  );
  ctx.state.repositories.push(repo);
  const headers = status === 201 ? { Location: `${ctx.base}/2.0${repoPath(ws, repo)}` } : undefined;
  return { status, body: renderRepository(ctx, repo), headers };
}

function listRepositories(ctx: Ctx): Reply {
  const ws = requireWorkspace(ctx);
  if (!canSeeWorkspace(ctx.caller!, ws) && !ctx.state.repositories.some((r) => r.workspaceUuid === ws.uuid && !r.is_private))
    throw notFound(`Workspace ${ws.slug} not found`);
  const role = ctx.query.get("role");
  const needed = role === "admin" || role === "owner" ? ["admin"] : role === "contributor" ? ["write", "admin"] : ["read", "write", "admin"];
  const repos = ctx.state.repositories.filter(
    (r) => r.workspaceUuid === ws.uuid && r.readyAt <= ctx.now && needed.includes(repoAccess(ctx.state, ctx.caller!, r)),
  );
  return paginate(
    ctx,
    repos.map((r) => renderRepository(ctx, r)),
  );
}

function updateRepository(ctx: Ctx): Reply {
  const ws = requireWorkspace(ctx);
  const id = ctx.params.repo_slug;
  const exists = ctx.state.repositories.some((r) => r.workspaceUuid === ws.uuid && (r.slug === id || r.uuid.toLowerCase() === id.toLowerCase()));
  if (!exists) {
    if (id.startsWith("{")) throw notFound(`Repository ${ws.slug}/${id} not found`);
    return createRepository(ctx, ws, 201);
  }
  const { repo } = requireRepository(ctx, "admin");
  const fields = repositoryFields(ws, bodyObject(ctx));
  const headers: Record<string, string> = {};
  if (fields.name !== undefined && fields.name !== repo.name) {
    const newSlug = slugify(fields.name);
    if (!newSlug) throw badRequest(`name: "${fields.name}" gives an empty slug`, `Invalid value for field "name"`);
    if (newSlug !== repo.slug && slugTaken(ctx, ws, newSlug, repo)) throw slugTakenError(ws, newSlug);
    repo.slug = newSlug;
    // The spec: Location "is only provided when the repository's name is changed".
    headers.Location = `${ctx.base}/2.0${repoPath(ws, repo)}`;
  }
  Object.assign(repo, fields, { updated_on: timestamp(ctx.now) });
  return { status: 200, body: renderRepository(ctx, repo), headers };
}

function deleteRepository(ctx: Ctx): Reply {
  const { repo } = requireRepository(ctx, "admin");
  ctx.state.repositories = ctx.state.repositories.filter((r) => r !== repo);
  return { status: 204 };
}

function listForks(ctx: Ctx): Reply {
  const { repo } = requireRepository(ctx, "read");
  const forks = ctx.state.repositories.filter((r) => r.parentUuid === repo.uuid && r.readyAt <= ctx.now && repoAccess(ctx.state, ctx.caller!, r) !== "none");
  return paginate(
    ctx,
    forks.map((r) => renderRepository(ctx, r)),
  );
}

function createFork(ctx: Ctx): Reply {
  const { ws: parentWs, repo: parent } = requireRepository(ctx, "read");
  const body = bodyObject(ctx);
  if (parent.fork_policy === "no_forks") throw badRequest("Forking is disabled for this repository", "fork_policy is no_forks");
  // `parent` and `full_name` cannot be overridden; like the service, the emulator ignores them.
  const target = body.workspace as { slug?: unknown } | undefined;
  const ws = target === undefined ? parentWs : findWorkspace(ctx.state, String(target?.slug ?? ""));
  if (!ws) throw badRequest(`workspace: no workspace ${String(target?.slug)}`, `Invalid value for field "workspace"`);
  if (!isWorkspaceAdmin(ctx.caller!, ws)) throw forbidden(`You do not have permission to create repositories in ${ws.slug}`);
  const fields = repositoryFields(ws, body);
  const name = fields.name ?? parent.name;
  const slug = slugify(name);
  if (!slug) throw badRequest(`name: "${name}" gives an empty slug`);
  if (slugTaken(ctx, ws, slug)) throw slugTakenError(ws, slug);
  const isPrivate = fields.is_private ?? parent.is_private;
  if (parent.fork_policy === "no_public_forks" && !isPrivate)
    throw badRequest("is_private: forks of this repository must be private", "The parent's fork_policy is no_public_forks");
  const now = timestamp(ctx.now);
  const uuid = newUuid();
  const fork: Repository = {
    ...makeRepository({ uuid, workspaceUuid: ws.uuid, slug, name, projectKey: oldestProjectKey(ws) }, callerUuid(ctx, ws), now),
    description: parent.description,
    language: parent.language,
    has_issues: parent.has_issues,
    has_wiki: parent.has_wiki,
    fork_policy: parent.fork_policy,
    mainbranch: parent.mainbranch,
    ...fields,
    name,
    slug,
    is_private: isPrivate,
    parentUuid: parent.uuid,
    // A fork carries its parent's history.
    commits: structuredClone(parent.commits),
    branches: structuredClone(parent.branches),
    tags: structuredClone(parent.tags),
    files: { ...parent.files },
    size: parent.size,
    readyAt: ctx.now + ctx.forkReadyDelayMs,
  };
  ctx.state.repositories.push(fork);
  return { status: 201, body: renderRepository(ctx, fork), headers: { Location: `${ctx.base}/2.0${repoPath(ws, fork)}` } };
}

export const repositoryRoutes: Route[] = [
  { method: "GET", template: "/repositories/{workspace}", handler: listRepositories },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}",
    handler: (ctx) => ({ status: 200, body: renderRepository(ctx, requireRepository(ctx).repo) }),
  },
  {
    method: "POST",
    template: "/repositories/{workspace}/{repo_slug}",
    handler: (ctx) => {
      const ws = requireWorkspace(ctx);
      if (ctx.params.repo_slug.startsWith("{")) throw badRequest("A repository is created by slug, not by UUID");
      return createRepository(ctx, ws, 200);
    },
  },
  { method: "PUT", template: "/repositories/{workspace}/{repo_slug}", handler: updateRepository },
  { method: "DELETE", template: "/repositories/{workspace}/{repo_slug}", handler: deleteRepository },
  { method: "GET", template: "/repositories/{workspace}/{repo_slug}/forks", handler: listForks },
  { method: "POST", template: "/repositories/{workspace}/{repo_slug}/forks", handler: createFork },
];
