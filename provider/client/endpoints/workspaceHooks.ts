// Webhooks of a workspace (the same objects as a repository's, hooks.ts) and the event types each
// subject takes. The POST is not retried on 5xx / lost answers: a repeat would make a second hook.
import { z } from "zod";
import { EndpointContext } from "./context";
import { HookBody, HookObject } from "./hooks";

const HOOKS = "/workspaces/{workspace}/hooks";
const HOOK = `${HOOKS}/{uid}`;

export const HookEventObject = z.looseObject({
  event: z.string(),
  category: z.string().nullish(),
  label: z.string().nullish(),
  description: z.string().nullish(),
});
export type HookEventObject = z.infer<typeof HookEventObject>;

export function workspaceHookEndpoints(c: EndpointContext) {
  const hook = (workspace: string, uid: string) => ({ workspace, uid });
  return {
    createWorkspaceHook: (workspace: string, body: HookBody): Promise<HookObject> =>
      c.request(HookObject, { method: "POST", route: HOOKS, params: { workspace }, body }),
    getWorkspaceHook: (workspace: string, uid: string): Promise<HookObject> => c.get(HookObject, HOOK, hook(workspace, uid)),
    updateWorkspaceHook: (workspace: string, uid: string, body: HookBody): Promise<HookObject> =>
      c.request(HookObject, { method: "PUT", route: HOOK, params: hook(workspace, uid), body }),
    deleteWorkspaceHook: (workspace: string, uid: string): Promise<void> => c.delete(HOOK, hook(workspace, uid)),
    listWorkspaceHooks: (workspace: string): Promise<HookObject[]> => c.list(HookObject, HOOKS, { workspace }),
  };
}

export function hookEventReads(c: EndpointContext) {
  return {
    /** The webhook event types of `repository` or `workspace` hooks. */
    hookEvents: (subjectType: string): Promise<HookEventObject[]> => c.list(HookEventObject, "/hook_events/{subject_type}", { subject_type: subjectType }),
  };
}
