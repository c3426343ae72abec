// Deploy keys of a repository and of a project. Bitbucket refuses a key already added there, so a POST
// is retried like the others (idempotent): a retry after a lost answer meets that refusal, and the
// resources then take over the key the first attempt added.
import { z } from "zod";
import { EndpointContext, maybe, PROJECT, projectParams, REPOSITORY, repositoryParams } from "./context";

export const DeployKeyObject = z.looseObject({
  id: z.number(),
  /** `<type> <base64>`; Bitbucket gives the comment apart. */
  key: z.string(),
  comment: maybe(z.string()),
  label: maybe(z.string()),
  last_used: maybe(z.string()),
});
export type DeployKeyObject = z.infer<typeof DeployKeyObject>;

export interface DeployKeyBody {
  key: string;
  label?: string;
}

const REPOSITORY_KEYS = `${REPOSITORY}/deploy-keys`;
const REPOSITORY_KEY = `${REPOSITORY_KEYS}/{key_id}`;
const PROJECT_KEYS = `${PROJECT}/deploy-keys`;
const PROJECT_KEY = `${PROJECT_KEYS}/{key_id}`;

export function deployKeyEndpoints(c: EndpointContext) {
  const repositoryKey = (workspace: string, repoSlug: string, keyId: string) => ({ ...repositoryParams(workspace, repoSlug), key_id: keyId });
  const projectKey = (workspace: string, key: string, keyId: string) => ({ ...projectParams(workspace, key), key_id: keyId });
  return {
    createDeployKey: (workspace: string, repoSlug: string, body: DeployKeyBody): Promise<DeployKeyObject> =>
      c.request(DeployKeyObject, { method: "POST", route: REPOSITORY_KEYS, params: repositoryParams(workspace, repoSlug), body, idempotent: true }),
    getDeployKey: (workspace: string, repoSlug: string, keyId: string): Promise<DeployKeyObject> =>
      c.get(DeployKeyObject, REPOSITORY_KEY, repositoryKey(workspace, repoSlug, keyId)),
    /** Only the label and the comment can change: the body carries the same key. */
    updateDeployKey: (workspace: string, repoSlug: string, keyId: string, body: DeployKeyBody): Promise<DeployKeyObject> =>
      c.request(DeployKeyObject, { method: "PUT", route: REPOSITORY_KEY, params: repositoryKey(workspace, repoSlug, keyId), body }),
    deleteDeployKey: (workspace: string, repoSlug: string, keyId: string): Promise<void> => c.delete(REPOSITORY_KEY, repositoryKey(workspace, repoSlug, keyId)),
    listDeployKeys: (workspace: string, repoSlug: string): Promise<DeployKeyObject[]> =>
      c.list(DeployKeyObject, REPOSITORY_KEYS, repositoryParams(workspace, repoSlug)),
    createProjectDeployKey: (workspace: string, key: string, body: DeployKeyBody): Promise<DeployKeyObject> =>
      c.request(DeployKeyObject, { method: "POST", route: PROJECT_KEYS, params: projectParams(workspace, key), body, idempotent: true }),
    getProjectDeployKey: (workspace: string, key: string, keyId: string): Promise<DeployKeyObject> =>
      c.get(DeployKeyObject, PROJECT_KEY, projectKey(workspace, key, keyId)),
    deleteProjectDeployKey: (workspace: string, key: string, keyId: string): Promise<void> => c.delete(PROJECT_KEY, projectKey(workspace, key, keyId)),
    listProjectDeployKeys: (workspace: string, key: string): Promise<DeployKeyObject[]> => c.list(DeployKeyObject, PROJECT_KEYS, projectParams(workspace, key)),
  };
}
