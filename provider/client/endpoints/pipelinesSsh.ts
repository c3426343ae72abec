// Pipelines' SSH settings of a repository: its key pair (the PUT creates or replaces it; Bitbucket
// never answers the private key) and its known hosts. A known host's POST is retried like the others
// (idempotent): a retry after a lost answer meets 409 (the hostname is taken), and the resource then
// takes over the host the first attempt added.
import { z } from "zod";
import { EndpointContext, maybe, REPOSITORY, repositoryParams } from "./context";

export const KeyPairObject = z.looseObject({ public_key: z.string() });
export type KeyPairObject = z.infer<typeof KeyPairObject>;

export const KnownHostObject = z.looseObject({
  uuid: z.string(),
  hostname: z.string(),
  public_key: z.looseObject({
    key_type: z.string(),
    key: z.string(),
    md5_fingerprint: maybe(z.string()),
    sha256_fingerprint: maybe(z.string()),
  }),
});
export type KnownHostObject = z.infer<typeof KnownHostObject>;

export interface KnownHostBody {
  hostname: string;
  public_key: { key_type: string; key: string };
}

const KEY_PAIR = `${REPOSITORY}/pipelines_config/ssh/key_pair`;
const KNOWN_HOSTS = `${REPOSITORY}/pipelines_config/ssh/known_hosts`;
const KNOWN_HOST = `${KNOWN_HOSTS}/{known_host_uuid}`;

export function pipelinesSshEndpoints(c: EndpointContext) {
  const host = (workspace: string, repoSlug: string, uuid: string) => ({ ...repositoryParams(workspace, repoSlug), known_host_uuid: uuid });
  return {
    getKeyPair: (workspace: string, repoSlug: string): Promise<KeyPairObject> => c.get(KeyPairObject, KEY_PAIR, repositoryParams(workspace, repoSlug)),
    putKeyPair: (workspace: string, repoSlug: string, body: { private_key: string; public_key: string }): Promise<KeyPairObject> =>
      c.request(KeyPairObject, { method: "PUT", route: KEY_PAIR, params: repositoryParams(workspace, repoSlug), body }),
    deleteKeyPair: (workspace: string, repoSlug: string): Promise<void> => c.delete(KEY_PAIR, repositoryParams(workspace, repoSlug)),
    createKnownHost: (workspace: string, repoSlug: string, body: KnownHostBody): Promise<KnownHostObject> =>
      c.request(KnownHostObject, { method: "POST", route: KNOWN_HOSTS, params: repositoryParams(workspace, repoSlug), body, idempotent: true }),
    getKnownHost: (workspace: string, repoSlug: string, uuid: string): Promise<KnownHostObject> =>
      c.get(KnownHostObject, KNOWN_HOST, host(workspace, repoSlug, uuid)),
    updateKnownHost: (workspace: string, repoSlug: string, uuid: string, body: KnownHostBody): Promise<KnownHostObject> =>
      c.request(KnownHostObject, { method: "PUT", route: KNOWN_HOST, params: host(workspace, repoSlug, uuid), body }),
    deleteKnownHost: (workspace: string, repoSlug: string, uuid: string): Promise<void> => c.delete(KNOWN_HOST, host(workspace, repoSlug, uuid)),
    listKnownHosts: (workspace: string, repoSlug: string): Promise<KnownHostObject[]> =>
      c.list(KnownHostObject, KNOWN_HOSTS, repositoryParams(workspace, repoSlug)),
  };
}
