// Webhooks of a repository. The POST is not retried on 5xx / lost answers: a repeat would make a
// second hook (see the api's createOnce).
import { z } from "zod";
import { EndpointContext, REPOSITORY, repositoryParams } from "./context";

export const HookObject = z.looseObject({
  uuid: z.string(),
  url: z.string(),
  description: z.string().nullish(),
  active: z.boolean().nullish(),
  events: z.array(z.string()),
  secret_set: z.boolean().nullish(),
});
export type HookObject = z.infer<typeof HookObject>;

export interface HookBody {
  url: string;
  description?: string;
  active?: boolean;
  events: string[];
  /** Omitted: keep the current secret; null: remove it. */
  secret?: string | null;
}

const HOOKS = `${REPOSITORY}/hooks`;
const HOOK = `${HOOKS}/{uid}`;

export function hookEndpoints(c: EndpointContext) {
  const hook = (workspace: string, repoSlug: string, uid: string) => ({ ...repositoryParams(workspace, repoSlug), uid });
  return {
    createHook: (workspace: string, repoSlug: string, body: HookBody): Promise<HookObject> =>
      c.request(HookObject, { method: "POST", route: HOOKS, params: repositoryParams(workspace, repoSlug), body }),
    getHook: (workspace: string, repoSlug: string, uid: string): Promise<HookObject> => c.get(HookObject, HOOK, hook(workspace, repoSlug, uid)),
    updateHook: (workspace: string, repoSlug: string, uid: string, body: HookBody): Promise<HookObject> =>
      c.request(HookObject, { method: "PUT", route: HOOK, params: hook(workspace, repoSlug, uid), body }),
    deleteHook: (workspace: string, repoSlug: string, uid: string): Promise<void> => c.delete(HOOK, hook(workspace, repoSlug, uid)),
    listHooks: (workspace: string, repoSlug: string): Promise<HookObject[]> => c.list(HookObject, HOOKS, repositoryParams(workspace, repoSlug)),
  };
}
