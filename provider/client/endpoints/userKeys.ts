// A user's SSH and GPG keys. Bitbucket refuses a key already on an account, so an SSH key's POST is
// retried like the others (idempotent): a retry after a lost answer meets that refusal, and the
// resource then takes over the key the first attempt added. A GPG key is looked for first (createOnce).
import { z } from "zod";
import { EndpointContext, maybe } from "./context";

export const SshKeyObject = z.looseObject({
  uuid: z.string(),
  /** `<type> <base64>`; Bitbucket gives the comment apart. */
  key: z.string(),
  comment: maybe(z.string()),
  label: maybe(z.string()),
  fingerprint: maybe(z.string()),
  created_on: maybe(z.string()),
  last_used: maybe(z.string()),
  expires_on: maybe(z.string()),
});
export type SshKeyObject = z.infer<typeof SshKeyObject>;

export interface SshKeyBody {
  key: string;
  label?: string;
}

export const GpgKeyObject = z.looseObject({
  /** 40 hex digits. */
  fingerprint: z.string(),
  key: maybe(z.string()),
  key_id: maybe(z.string()),
  name: maybe(z.string()),
  created_on: maybe(z.string()),
  expires_on: maybe(z.string()),
  last_used: maybe(z.string()),
});
export type GpgKeyObject = z.infer<typeof GpgKeyObject>;

export interface GpgKeyBody {
  key: string;
  name?: string;
}

const SSH_KEYS = "/users/{selected_user}/ssh-keys";
const GPG_KEYS = "/users/{selected_user}/gpg-keys";
const GPG_KEY = `${GPG_KEYS}/{fingerprint}`;
const SSH_KEY = `${SSH_KEYS}/{key_id}`;

export function userKeyEndpoints(c: EndpointContext) {
  const key = (user: string, keyId: string) => ({ selected_user: user, key_id: keyId });
  return {
    listSshKeys: (user: string): Promise<SshKeyObject[]> => c.list(SshKeyObject, SSH_KEYS, { selected_user: user }),
    createSshKey: (user: string, body: SshKeyBody): Promise<SshKeyObject> =>
      c.request(SshKeyObject, { method: "POST", route: SSH_KEYS, params: { selected_user: user }, body, idempotent: true }),
    getSshKey: (user: string, keyId: string): Promise<SshKeyObject> => c.get(SshKeyObject, SSH_KEY, key(user, keyId)),
    /** Only the label and the comment can change: the body carries the same key. */
    updateSshKey: (user: string, keyId: string, body: SshKeyBody): Promise<SshKeyObject> =>
      c.request(SshKeyObject, { method: "PUT", route: SSH_KEY, params: key(user, keyId), body }),
    deleteSshKey: (user: string, keyId: string): Promise<void> => c.delete(SSH_KEY, key(user, keyId)),
    listGpgKeys: (user: string): Promise<GpgKeyObject[]> => c.list(GpgKeyObject, GPG_KEYS, { selected_user: user }),
    createGpgKey: (user: string, body: GpgKeyBody): Promise<GpgKeyObject> =>
      c.request(GpgKeyObject, { method: "POST", route: GPG_KEYS, params: { selected_user: user }, body }),
    getGpgKey: (user: string, fingerprint: string): Promise<GpgKeyObject> => c.get(GpgKeyObject, GPG_KEY, { selected_user: user, fingerprint }),
    deleteGpgKey: (user: string, fingerprint: string): Promise<void> => c.delete(GPG_KEY, { selected_user: user, fingerprint }),
  };
}
