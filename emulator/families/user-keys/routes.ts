// /users/{selected_user}/ssh-keys[/{key_id}]: a user's SSH keys.
import { bodyObject, noContent, ok, paginate } from "../../http";
import type { Route } from "../../route";
import type { UserKeys } from "./backend";
import { renderSshKey } from "./render";

const SSH_KEYS = "/users/{selected_user}/ssh-keys";

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
      return { status: 201, body: renderSshKey(ctx, user, key) };
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
];
