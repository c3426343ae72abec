// /users/{selected_user}/ssh-keys[/{key_id}] and /users/{selected_user}/gpg-keys[/{fingerprint}]: a
// user's SSH and GPG keys (a GPG key has no PUT).
import { bodyObject, created, noContent, ok, paginate } from "../../http";
import type { Route } from "../../route";
import type { UserKeys } from "./backend";
import { renderGpgKey, renderSshKey } from "./render";

const SSH_KEYS = "/users/{selected_user}/ssh-keys";
const GPG_KEYS = "/users/{selected_user}/gpg-keys";

export const userKeyRoutes: Route<UserKeys>[] = [
  {
    method: "GET",
    template: SSH_KEYS,
    handler: (ctx, keys) => {
      const { user, keys: listed } = keys.sshKeys(ctx.caller, ctx.params.selected_user);
      return paginate(
        ctx,
        listed.map((k) => renderSshKey(ctx, user, k)),
        { query: false },
      );
    },
  },
  {
    method: "POST",
    template: SSH_KEYS,
    handler: (ctx, keys) => {
      const { user, key } = keys.addSshKey(ctx.caller, ctx.params.selected_user, bodyObject(ctx));
      return created(renderSshKey(ctx, user, key));
    },
  },
  {
    method: "GET",
    template: `${SSH_KEYS}/{key_id}`,
    handler: (ctx, keys) => {
      const { user, key } = keys.sshKey(ctx.caller, ctx.params.selected_user, ctx.params.key_id);
      return ok(renderSshKey(ctx, user, key));
    },
  },
  {
    method: "PUT",
    template: `${SSH_KEYS}/{key_id}`,
    handler: (ctx, keys) => {
      const { user, key } = keys.updateSshKey(ctx.caller, ctx.params.selected_user, ctx.params.key_id, bodyObject(ctx));
      return ok(renderSshKey(ctx, user, key));
    },
  },
  {
    method: "DELETE",
    template: `${SSH_KEYS}/{key_id}`,
    handler: (ctx, keys) => {
      keys.deleteSshKey(ctx.caller, ctx.params.selected_user, ctx.params.key_id);
      return noContent();
    },
  },
  {
    method: "GET",
    template: GPG_KEYS,
    handler: (ctx, keys) => {
      const { user, keys: listed } = keys.gpgKeys(ctx.caller, ctx.params.selected_user);
      return paginate(
        ctx,
        listed.map((k) => renderGpgKey(ctx, user, k)),
        { query: false },
      );
    },
  },
  {
    method: "POST",
    template: GPG_KEYS,
    handler: (ctx, keys) => {
      const { user, key } = keys.addGpgKey(ctx.caller, ctx.params.selected_user, bodyObject(ctx));
      return created(renderGpgKey(ctx, user, key));
    },
  },
  {
    method: "GET",
    template: `${GPG_KEYS}/{fingerprint}`,
    handler: (ctx, keys) => {
      const { user, key } = keys.gpgKey(ctx.caller, ctx.params.selected_user, ctx.params.fingerprint);
      return ok(renderGpgKey(ctx, user, key));
    },
  },
  {
    method: "DELETE",
    template: `${GPG_KEYS}/{fingerprint}`,
    handler: (ctx, keys) => {
      keys.deleteGpgKey(ctx.caller, ctx.params.selected_user, ctx.params.fingerprint);
      return noContent();
    },
  },
];
