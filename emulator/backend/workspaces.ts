// Workspaces and the calling account. A workspace the caller does not belong to answers 404; an access
// token has no user account.
import type { Caller } from "../auth";
import { forbidden } from "../errors";
import type { User, Workspace } from "../store";
import { requireVisibleWorkspace } from "./access";
import type { Db } from "./db";

export class Workspaces {
  constructor(private readonly db: Db) {}

  get(caller: Caller, id: string): Workspace {
    return requireVisibleWorkspace(this.db, caller, id);
  }

  currentUser(caller: Caller): User {
    if (caller.kind !== "user") throw forbidden("Access tokens are not tied to a user account");
    return caller.user;
  }
}
