// Default reviewers of a repository: the users added as reviewers to every new pull request. The rules:
// reading needs read access to the repository, changing needs admin (403); a user is named by account
// id or `{uuid}` (Bitbucket no longer resolves usernames: one answers 404, like a user that does not
// exist); only a member of the repository's workspace can be added (400, the spec's "user without
// access to the repository"); adding twice changes nothing; a user who is not a default reviewer
// answers 404 to GET and DELETE. A project's default reviewers follow the same rules, project admins
// changing them; a repository's effective reviewers are its own, then its project's not already listed.
import { findUser, RepoRef, requireProject, requireProjectAdmin, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import type { Db } from "../../db";
import { badRequest, notFound } from "../../errors";
import type { Project } from "../projects/model";
import type { User, Workspace } from "../workspaces/model";

/** Where default reviewers live: a repository or a project, created without any. */
type Holder = { defaultReviewerUuids?: string[] };

/** A default reviewer and where it comes from (the spec's default_reviewer_and_type). */
export interface TypedReviewer {
  user: User;
  reviewerType: "repository" | "project";
}

export class DefaultReviewers {
  constructor(private readonly db: Db) {}

  private user(id: string): User {
    const user = findUser(this.db.state, id);
    if (!user) throw notFound(`User ${id} does not exist (name a user by account id or {uuid})`);
    return user;
  }

  private reviewer(holder: Holder, id: string, what = "repository"): User {
    const user = this.user(id);
    if (!(holder.defaultReviewerUuids ?? []).includes(user.uuid)) throw notFound(`${user.display_name} is not a default reviewer of this ${what}`);
    return user;
  }

  private addTo(ws: Workspace, holder: Holder, id: string, what: string): User {
    const user = this.user(id);
    if (!ws.memberUuids.includes(user.uuid) && ws.ownerUuid !== user.uuid)
      throw badRequest(`${user.display_name} is not a member of workspace ${ws.slug} and cannot be a default reviewer of this ${what}`);
    if (!(holder.defaultReviewerUuids ?? []).includes(user.uuid)) holder.defaultReviewerUuids = [...(holder.defaultReviewerUuids ?? []), user.uuid];
    return user;
  }

  private project(caller: Caller, workspace: string, key: string, admin: boolean): { ws: Workspace; project: Project } {
    return admin ? requireProjectAdmin(this.db, caller, workspace, key) : requireProject(this.db, caller, workspace, key);
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
    return this.addTo(ws, repo, id, "repository");
  }

  remove(caller: Caller, ref: RepoRef, id: string): void {
    const { repo } = requireRepository(this.db, caller, ref, "admin");
    const user = this.reviewer(repo, id);
    repo.defaultReviewerUuids = (repo.defaultReviewerUuids ?? []).filter((uuid) => uuid !== user.uuid);
  }

  /** The repository's own reviewers, then its project's that are not among them. */
  effective(caller: Caller, ref: RepoRef): TypedReviewer[] {
    const { ws, repo } = requireRepository(this.db, caller, ref, "read");
    const own = repo.defaultReviewerUuids ?? [];
    const project = ws.projects.find((p) => p.key === repo.projectKey);
    const inherited = (project?.defaultReviewerUuids ?? []).filter((uuid) => !own.includes(uuid));
    return [
      ...own.map((uuid) => ({ user: this.user(uuid), reviewerType: "repository" as const })),
      ...inherited.map((uuid) => ({ user: this.user(uuid), reviewerType: "project" as const })),
    ];
  }

  listOfProject(caller: Caller, workspace: string, key: string): User[] {
    const { project } = this.project(caller, workspace, key, false);
    return (project.defaultReviewerUuids ?? []).map((uuid) => this.user(uuid));
  }

  getOfProject(caller: Caller, workspace: string, key: string, id: string): User {
    return this.reviewer(this.project(caller, workspace, key, false).project, id, "project");
  }

  addToProject(caller: Caller, workspace: string, key: string, id: string): User {
    const { ws, project } = this.project(caller, workspace, key, true);
    return this.addTo(ws, project, id, "project");
  }

  removeFromProject(caller: Caller, workspace: string, key: string, id: string): void {
    const { project } = this.project(caller, workspace, key, true);
    const user = this.reviewer(project, id, "project");
    project.defaultReviewerUuids = (project.defaultReviewerUuids ?? []).filter((uuid) => uuid !== user.uuid);
  }
}
