// Webhooks of a workspace (its owners and its access token) and the webhook event types per subject
// (`/hook_events`, public). A workspace hook follows the repository hooks' rules (hooks/backend.ts).
import { requireVisibleWorkspace, isWorkspaceAdmin } from "../../access";
import type { Caller } from "../../auth";
import { Db, timestamp } from "../../db";
import { forbidden, notFound } from "../../errors";
import { hookEvents } from "../../spec";
import { findHook, newHook, updateHook } from "../hooks/backend";
import type { Hook } from "../hooks/model";
import type { Workspace } from "../workspaces/model";

type Body = Record<string, unknown>;

/** The subjects webhooks are installed on; both take the spec's event names (the spec does not tell them apart). */
export const SUBJECT_TYPES = ["repository", "workspace"] as const;

export class WorkspaceHooks {
  private readonly events = hookEvents();

  constructor(private readonly db: Db) {}

  private workspace(caller: Caller, id: string): Workspace {
    const ws = requireVisibleWorkspace(this.db, caller, id);
    if (!isWorkspaceAdmin(caller, ws)) throw forbidden(`You are not an owner of workspace ${ws.slug}`);
    return ws;
  }

  eventsOf(subjectType: string): readonly string[] {
    if (!(SUBJECT_TYPES as readonly string[]).includes(subjectType)) throw notFound(`Unknown subject type ${subjectType}: one of ${SUBJECT_TYPES.join(", ")}`);
    return this.events;
  }

  list(caller: Caller, id: string): { ws: Workspace; hooks: Hook[] } {
    const ws = this.workspace(caller, id);
    return { ws, hooks: ws.hooks ?? [] };
  }

  get(caller: Caller, id: string, uid: string): { ws: Workspace; hook: Hook } {
    const ws = this.workspace(caller, id);
    return { ws, hook: findHook(ws.hooks, uid) };
  }

  create(caller: Caller, id: string, body: Body): { ws: Workspace; hook: Hook } {
    const ws = this.workspace(caller, id);
    const hook = newHook(this.events, body, timestamp(this.db.now()));
    (ws.hooks ??= []).push(hook);
    return { ws, hook };
  }

  update(caller: Caller, id: string, uid: string, body: Body): { ws: Workspace; hook: Hook } {
    const { ws, hook } = this.get(caller, id, uid);
    updateHook(hook, this.events, body);
    return { ws, hook };
  }

  delete(caller: Caller, id: string, uid: string): void {
    const { ws, hook } = this.get(caller, id, uid);
    ws.hooks = ws.hooks!.filter((h) => h !== hook);
  }
}
