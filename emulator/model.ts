// Factories for state objects, shared by the seed and the routes.
import { createHash, randomUUID } from "crypto";
import type { Commit, Project, Repository } from "./store";

export function newUuid(): string {
  return `{${randomUUID()}}`;
}

export function commitHash(seed: string): string {
  return createHash("sha1").update(seed).digest("hex");
}

export type RepositoryFields = Pick<Repository, "uuid" | "workspaceUuid" | "slug" | "name" | "projectKey"> & Partial<Repository>;

/** A new repository has what `git init` + a first push would give it: one commit on the main branch and a README. */
export function makeRepository(fields: RepositoryFields, authorUuid: string, now: string): Repository {
  const mainbranch = fields.mainbranch ?? "main";
  const first: Commit = {
    hash: commitHash(`${fields.uuid}/initial`),
    message: "Initial commit\n",
    date: now,
    authorUuid,
    parents: [],
    paths: ["README.md"],
  };
  return {
    description: "",
    is_private: true,
    fork_policy: "allow_forks",
    language: "",
    website: null,
    mainbranch,
    parentUuid: null,
    created_on: now,
    updated_on: now,
    size: 1024,
    readyAt: 0,
    commits: [first],
    branches: [{ name: mainbranch, target: first.hash }],
    tags: [],
    files: { "README.md": `# ${fields.name}\n` },
    pullrequests: [],
    watcherUuids: [authorUuid],
    hooks: [],
    groupPermissions: {},
    userPermissions: {},
    overrideSettings: { default_merge_strategy: false, branching_model: false },
    pipelinesEnabled: false,
    ...fields,
  };
}

export type ProjectFields = Pick<Project, "key" | "uuid" | "name" | "is_private"> & Partial<Project>;

export function makeProject(fields: ProjectFields, now: string): Project {
  return { description: "", created_on: now, updated_on: now, groupPermissions: {}, userPermissions: {}, ...fields };
}
