// Workspaces, their members, and the calling account. A workspace the caller does not belong to answers
// 404; an access token sees its own workspace only and has no user account. (The list of every
// workspace, GET /workspaces, is gone: see families/removed/routes.ts.)
import { canSeeWorkspace, findUser, isWorkspaceAdmin, requireVisibleWorkspace, requireWorkspace } from "../../access";
import type { Caller } from "../../auth";
import type { Db } from "../../db";
import { badRequest, forbidden, notFound, unauthorized } from "../../errors";
import type { User, Workspace } from "./model";

export class Workspaces {
  constructor(private readonly db: Db) {}

  /**
   * `GET /user/workspaces`: the workspaces the calling user belongs to, each with whether the user
   * administers it; `administrator` keeps those where it is (true) or is not (false). A user's call:
   * access tokens have no user account.
   */
  accessible(caller: Caller, administrator: string | null): { ws: Workspace; administrator: boolean }[] {
    const user = this.currentUser(caller);
    if (administrator !== null && administrator !== "true" && administrator !== "false") throw badRequest("administrator: must be true or false");
    return this.db.state.workspaces
      .filter((ws) => ws.memberUuids.includes(user.uuid))
      .map((ws) => ({ ws, administrator: isWorkspaceAdmin(caller, ws) }))
      .filter((access) => administrator === null || String(access.administrator) === administrator);
  }

  get(caller: Caller, id: string): Workspace {
    return requireVisibleWorkspace(this.db, caller, id);
  }

  /** Members (the owner first, then in the order they joined); only members and the workspace's token may list them. */
  members(caller: Caller, id: string): { ws: Workspace; members: User[] } {
    const ws = this.memberView(caller, id);
    const users = ws.memberUuids.map((uuid) => this.db.state.users.find((u) => u.uuid === uuid)).filter((u): u is User => !!u);
    return { ws, members: users };
  }

  /** One membership, by `account_id` or `{uuid}`; 404 when the user is not a member. */
  member(caller: Caller, id: string, member: string): { ws: Workspace; user: User } {
    const ws = this.memberView(caller, id);
    const user = findUser(this.db.state, member);
    if (!user || !ws.memberUuids.includes(user.uuid)) throw notFound(`${member} is not a member of workspace ${ws.slug}`);
    return { ws, user };
  }

  /** `GET /users/{selected_user}`: anyone's public profile, by account id or `{uuid}`, to anyone (no credentials needed). */
  user(id: string): User {
    const user = findUser(this.db.state, id);
    if (!user) throw notFound(`User ${id} not found`);
    return user;
  }

  /**
   * The workspace whose Pipelines OIDC identity provider is asked for. Its discovery document and keys
   * are public whatever the workspace's privacy: the cloud providers that trust its tokens fetch them
   * without credentials.
   */
  oidcIssuer(id: string): Workspace {
    return requireWorkspace(this.db, id);
  }

  currentUser(caller: Caller): User {
    if (caller.kind === "anonymous") throw unauthorized("Authentication required");
    if (caller.kind !== "user") throw forbidden("Access tokens are not tied to a user account");
    return caller.user;
  }

  /** The member list is not public: outsiders get 404, as for a private workspace. */
  private memberView(caller: Caller, id: string): Workspace {
    const ws = requireVisibleWorkspace(this.db, caller, id);
    const isMember = caller.kind === "accessToken" || (caller.kind === "user" && ws.memberUuids.includes(caller.user.uuid));
    if (!isMember || !canSeeWorkspace(caller, ws)) throw notFound(`Workspace ${id} not found`);
    return ws;
  }
}
