// Repository webhooks. The rules: admin only; http(s) URLs to non-internal addresses; events from the
// spec's enum; the secret is write-only, at most 128 characters, and an empty or null secret leaves the
// hook without one; on update an omitted secret is kept and null (or empty) removes it.
import { RepoRef, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import { Db, timestamp } from "../../db";
import { badRequest, invalidField, notFound } from "../../errors";
import { newUuid, sameUuid } from "../../ids";
import { isInternalHostname } from "../../internalAddress";
import { hookEvents } from "../../spec";
import type { Repository } from "../repositories/model";
import type { Hook } from "./model";

type Body = Record<string, unknown>;

export function checkUrl(value: unknown): string {
  if (typeof value !== "string") throw invalidField("url", "must be a string");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidField("url", `${value} is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalidField("url", "only http and https URLs are allowed");
  if (isInternalHostname(url.hostname)) throw invalidField("url", `${url.hostname} is an internal address`);
  return value;
}

export function checkEvents(allowed: readonly string[], value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw invalidField("events", "must be a non-empty list");
  const unknown = value.filter((e) => typeof e !== "string" || !allowed.includes(e));
  if (unknown.length) throw invalidField("events", `unknown event ${unknown.map(String).join(", ")}`);
  return [...new Set(value as string[])];
}

/** The spec: "Passing a null or empty secret or not passing a secret will leave the webhook's secret unset." */
export function checkSecret(value: unknown): string | null {
  if (value === null || value === "") return null;
  if (typeof value !== "string" || value.length > 128) throw invalidField("secret", "must be a string of at most 128 characters or null");
  return value;
}

export function checkDescription(value: unknown): string {
  if (typeof value !== "string") throw badRequest("description: must be a string");
  return value;
}

export function checkActive(value: unknown): boolean {
  if (typeof value !== "boolean") throw badRequest("active: must be a boolean");
  return value;
}

/** A webhook from a create body; `now` is its creation time. */
export function newHook(events: readonly string[], body: Body, now: string): Hook {
  return {
    uuid: newUuid(),
    url: checkUrl(body.url),
    description: body.description === undefined ? "" : checkDescription(body.description),
    active: body.active === undefined ? true : checkActive(body.active),
    events: checkEvents(events, body.events),
    secret: body.secret === undefined ? null : checkSecret(body.secret),
    created_at: now,
  };
}

/** Changes the fields the body names; nothing changes when one of them is refused. */
export function updateHook(hook: Hook, events: readonly string[], body: Body): void {
  const next = { ...hook };
  if ("url" in body) next.url = checkUrl(body.url);
  if ("description" in body) next.description = checkDescription(body.description);
  if ("active" in body) next.active = checkActive(body.active);
  if ("events" in body) next.events = checkEvents(events, body.events);
  if ("secret" in body) next.secret = checkSecret(body.secret);
  Object.assign(hook, next);
}

export function findHook(hooks: readonly Hook[] | undefined, uid: string): Hook {
  const hook = hooks?.find((h) => sameUuid(uid, h.uuid));
  if (!hook) throw notFound(`Webhook ${uid} not found`);
  return hook;
}

export class Hooks {
  /** The webhook event names the spec allows. */
  private readonly events = hookEvents();

  constructor(private readonly db: Db) {}

  private find(caller: Caller, ref: RepoRef, uid: string): { repo: Repository; hook: Hook } {
    const { repo } = requireRepository(this.db, caller, ref, "admin");
    return { repo, hook: findHook(repo.hooks, uid) };
  }

  list(caller: Caller, ref: RepoRef): { repo: Repository; hooks: Hook[] } {
    const { repo } = requireRepository(this.db, caller, ref, "admin");
    return { repo, hooks: repo.hooks };
  }

  get(caller: Caller, ref: RepoRef, uid: string): { repo: Repository; hook: Hook } {
    return this.find(caller, ref, uid);
  }

  create(caller: Caller, ref: RepoRef, body: Body): { repo: Repository; hook: Hook } {
    const { repo } = requireRepository(this.db, caller, ref, "admin");
    const hook = newHook(this.events, body, timestamp(this.db.now()));
    repo.hooks.push(hook);
    return { repo, hook };
  }

  update(caller: Caller, ref: RepoRef, uid: string, body: Body): { repo: Repository; hook: Hook } {
    const { repo, hook } = this.find(caller, ref, uid);
    updateHook(hook, this.events, body);
    return { repo, hook };
  }

  delete(caller: Caller, ref: RepoRef, uid: string): void {
    const { repo, hook } = this.find(caller, ref, uid);
    repo.hooks = repo.hooks.filter((h) => h !== hook);
  }
}
