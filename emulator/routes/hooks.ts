import { BlockList, isIP } from "net";
import { requireRepository } from "../access";
import { badRequest, Ctx, notFound, paginate, Reply } from "../http";
import { newUuid } from "../model";
import { renderHook, repoPath } from "../render";
import type { Hook, Repository } from "../store";
import { timestamp } from "./repositories";
import { bodyObject, Route } from "./route";

// Addresses a webhook must not point at: the service refuses to call into internal networks.
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const)
  INTERNAL.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
] as const)
  INTERNAL.addSubnet(net, prefix, "ipv6");
INTERNAL.addSubnet("::ffff:0:0", 96, "ipv6");

export function isInternalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) return true;
  const family = isIP(host);
  return family !== 0 && INTERNAL.check(host, family === 4 ? "ipv4" : "ipv6");
}

function checkUrl(value: unknown): string {
  if (typeof value !== "string") throw badRequest("url: must be a string", 'Invalid value for field "url"');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badRequest(`url: ${value} is not a valid URL`, 'Invalid value for field "url"');
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw badRequest(`url: only http and https URLs are allowed`, 'Invalid value for field "url"');
  if (isInternalHost(url.hostname)) throw badRequest(`url: ${url.hostname} is an internal address`, 'Invalid value for field "url"');
  return value;
}

function checkEvents(ctx: Ctx, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw badRequest("events: must be a non-empty list", 'Invalid value for field "events"');
  const unknown = value.filter((e) => typeof e !== "string" || !ctx.hookEvents.includes(e));
  if (unknown.length) throw badRequest(`events: unknown event ${unknown.map(String).join(", ")}`, 'Invalid value for field "events"');
  return [...new Set(value as string[])];
}

function checkSecret(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string" || value.length > 128)
    throw badRequest("secret: must be a string of at most 128 characters or null", 'Invalid value for field "secret"');
  return value;
}

function findHook(ctx: Ctx, repo: Repository): Hook {
  const uid = ctx.params.uid.replace(/^\{|\}$/g, "").toLowerCase();
  const hook = repo.hooks.find((h) => h.uuid.slice(1, -1).toLowerCase() === uid);
  if (!hook) throw notFound(`Webhook ${ctx.params.uid} not found`);
  return hook;
}

function createHook(ctx: Ctx): Reply {
  const { ws, repo } = requireRepository(ctx, "admin");
  const body = bodyObject(ctx);
  if (body.active !== undefined && typeof body.active !== "boolean") throw badRequest("active: must be a boolean");
  const hook: Hook = {
    uuid: newUuid(),
    url: checkUrl(body.url),
    description: typeof body.description === "string" ? body.description : "",
    active: body.active === undefined ? true : (body.active as boolean),
    events: checkEvents(ctx, body.events),
    secret: body.secret === undefined ? null : checkSecret(body.secret),
    created_at: timestamp(ctx.now),
  };
  repo.hooks.push(hook);
  return {
    status: 201,
    body: renderHook(ctx, repo, hook),
    headers: { Location: `${ctx.base}/2.0${repoPath(ws, repo)}/hooks/${encodeURIComponent(hook.uuid)}` },
  };
}

function updateHook(ctx: Ctx): Reply {
  const { repo } = requireRepository(ctx, "admin");
  const hook = findHook(ctx, repo);
  const body = bodyObject(ctx);
  const next = { ...hook };
  if ("url" in body) next.url = checkUrl(body.url);
  if ("description" in body) {
    if (typeof body.description !== "string") throw badRequest("description: must be a string");
    next.description = body.description;
  }
  if ("active" in body) {
    if (typeof body.active !== "boolean") throw badRequest("active: must be a boolean");
    next.active = body.active;
  }
  if ("events" in body) next.events = checkEvents(ctx, body.events);
  // Omitted keeps the secret, null removes it.
  if ("secret" in body) next.secret = checkSecret(body.secret);
  Object.assign(hook, next);
  return { status: 200, body: renderHook(ctx, repo, hook) };
}

export const hookRoutes: Route[] = [
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/hooks",
    handler: (ctx) => {
      const { repo } = requireRepository(ctx, "admin");
      return paginate(
        ctx,
        repo.hooks.map((h) => renderHook(ctx, repo, h)),
        { query: false },
      );
    },
  },
  { method: "POST", template: "/repositories/{workspace}/{repo_slug}/hooks", handler: createHook },
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/hooks/{uid}",
    handler: (ctx) => {
      const { repo } = requireRepository(ctx, "admin");
      return { status: 200, body: renderHook(ctx, repo, findHook(ctx, repo)) };
    },
  },
  { method: "PUT", template: "/repositories/{workspace}/{repo_slug}/hooks/{uid}", handler: updateHook },
  {
    method: "DELETE",
    template: "/repositories/{workspace}/{repo_slug}/hooks/{uid}",
    handler: (ctx) => {
      const { repo } = requireRepository(ctx, "admin");
      const hook = findHook(ctx, repo);
      repo.hooks = repo.hooks.filter((h) => h !== hook);
      return { status: 204 };
    },
  },
];
