// Default reviewers of a repository: the users added as reviewers to every new pull request. The rules:
// reading needs read access to the repository, changing needs admin (403); a user is named by account
// id or `{uuid}` (Bitbucket no longer resolves usernames: one answers 404, like a user that does not
// exist); only a member of the repository's workspace can be added (400, the spec's "user without
// access to the repository"); adding twice changes nothing; a user who is not a default reviewer
// answers 404 to GET and DELETE.
import { findUser, RepoRef, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import type { Db } from "../../db";
import { badRequest, notFound } from "../../errors";
import type { Repository } from "../repositories/model";
import type { User } from "../workspaces/model";

export class DefaultReviewers {
  constructor(private readonly db: Db) {}

  private user(id: string): User {
    const user = findUser(this.db.state, id);
    if (!user) throw notFound(`User ${id} does not exist (name a user by account id or {uuid})`);
    return user;
  }

  private reviewer(repo: Repository, id: string): User {
    const user = this.user(id);
    if (!(repo.defaultReviewerUuids ?? []).includes(user.uuid)) throw notFound(`${user.display_name} is not a default reviewer of this repository`);
    return user;
  }

  list(caller: Caller, ref: RepoRef): User[] {
    const { repo } = requireRepository(this.db, caller, ref, "read");
    return (repo.defaultReviewerUuids ?? []).map((uuid) => this.user(uuid));
  }

  get(caller: Caller, ref: RepoRef, id: string): User {
    return this.reviewer(requireRepository(this.db, caller, ref, "read").repo, id);
  }

  add(caller: Caller, ref: RepoRef, id: string): User {
    const { ws, repo } = requireRepository(this.db, caller, ref, "admin");
    const user = this.user(id);
    if (!ws.memberUuids.includes(user.uuid) && ws.ownerUuid !== user.uuid)
      throw badRequest(`${user.display_name} is not a member of workspace ${ws.slug} and cannot be a default reviewer of this repository`);
    if (!(repo.defaultReviewerUuids ?? []).includes(user.uuid)) repo.defaultReviewerUuids = [...(repo.defaultReviewerUuids ?? []), user.uuid];
    return user;
  }

  remove(caller: Caller, ref: RepoRef, id: string): void {
    const { repo } = requireRepository(this.db, caller, ref, "admin");
    const user = this.reviewer(repo, id);
    repo.defaultReviewerUuids = (repo.defaultReviewerUuids ?? []).filter((uuid) => uuid !== user.uuid);
  }
}
