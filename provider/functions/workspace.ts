// A workspace, its projects and members, the caller, and the explicit grants on a repository or a
// project (what a program needs to compute who can do what).
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { GrantObject, ProjectObject } from "../client/reads";
import {
  Account,
  InRepository,
  inRepository,
  Limit,
  ListArgs,
  ListInRepository,
  ProjectKey,
  Query,
  readFunction,
  ReadOptions,
  repositoryFunction,
  toAccount,
  Workspace,
} from "./common";

const InWorkspace = z.strictObject({ workspace: Workspace });
const ListInWorkspace = InWorkspace.extend({ limit: Limit });

export interface WorkspaceArgs {
  /** A workspace slug or {uuid}. */
  workspace: string;
}

export interface WorkspaceListArgs extends WorkspaceArgs {
  /** Most values to return. Default: all. */
  limit?: number;
}

export interface GetWorkspaceResult {
  uuid: string;
  slug: string;
  name: string;
  isPrivate?: boolean;
  isPersonal?: boolean;
  forkingMode?: string;
  createdOn?: string;
  updatedOn?: string;
  htmlUrl?: string;
}

export const { promise: getWorkspace, output: getWorkspaceOutput } = readFunction(
  "getWorkspace",
  InWorkspace,
  async (args: WorkspaceArgs, client): Promise<GetWorkspaceResult> => {
    const w = await client.reads.workspace(args.workspace);
    return {
      uuid: w.uuid,
      slug: w.slug,
      name: w.name,
      isPrivate: w.is_private,
      isPersonal: w.is_personal,
      forkingMode: w.forking_mode,
      createdOn: w.created_on,
      updatedOn: w.updated_on,
      htmlUrl: w.links?.html?.href,
    };
  },
);

/** A project as the read functions report it (`Project` is the resource). */
export interface ProjectInfo {
  uuid: string;
  key: string;
  name: string;
  description?: string;
  isPrivate?: boolean;
  createdOn?: string;
  updatedOn?: string;
  htmlUrl?: string;
}

function toProject(p: ProjectObject): ProjectInfo {
  return {
    uuid: p.uuid,
    key: p.key,
    name: p.name,
    description: p.description,
    isPrivate: p.is_private,
    createdOn: p.created_on,
    updatedOn: p.updated_on,
    htmlUrl: p.links?.html?.href,
  };
}

export interface GetProjectsArgs extends WorkspaceListArgs {
  /** A BBQL filter, e.g. `name ~ "Platform"`. */
  q?: string;
  /** e.g. `key` or `-created_on`. */
  sort?: string;
}

export interface GetProjectsResult {
  workspace: string;
  projects: ProjectInfo[];
}

export const { promise: getProjects, output: getProjectsOutput } = readFunction(
  "getProjects",
  ListInWorkspace.extend({ q: Query, sort: Query }),
  async (args: GetProjectsArgs, client): Promise<GetProjectsResult> => ({
    workspace: args.workspace,
    projects: (await client.reads.projects(args.workspace, args)).map(toProject),
  }),
);

export interface GetProjectArgs extends WorkspaceArgs {
  /** The project's key (or {uuid}). */
  key: string;
}

export const { promise: getProject, output: getProjectOutput } = readFunction(
  "getProject",
  InWorkspace.extend({ key: ProjectKey }),
  async (args: GetProjectArgs, client): Promise<ProjectInfo> => toProject(await client.reads.project(args.workspace, args.key)),
);

const currentUser = readFunction("getCurrentUser", z.strictObject({}), async (_args: Record<string, never>, client): Promise<Account> =>
  toAccount(await client.reads.currentUser()),
);

/** The account the credentials belong to (access tokens have none: Bitbucket answers 403). */
export function getCurrentUser(args: Record<string, never> = {}, opts?: ReadOptions): Promise<Account> {
  return currentUser.promise(args, opts);
}

export function getCurrentUserOutput(args: Record<string, never> = {}, opts?: ReadOptions): pulumi.Output<Account> {
  return currentUser.output(args, opts);
}

export interface GetWorkspaceMembersResult {
  workspace: string;
  /** `accountId` is what `UserPermission.user` takes. */
  members: Account[];
}

export const { promise: getWorkspaceMembers, output: getWorkspaceMembersOutput } = readFunction(
  "getWorkspaceMembers",
  ListInWorkspace,
  async (args: WorkspaceListArgs, client): Promise<GetWorkspaceMembersResult> => ({
    workspace: args.workspace,
    members: (await client.reads.members(args.workspace, args)).map((m) => toAccount(m.user)),
  }),
);

export interface GroupGrant {
  /** The group's slug (what `GroupPermission.groupSlug` takes). */
  group: string;
  groupName?: string;
  permission: string;
}

export interface UserGrant {
  user: Account;
  permission: string;
}

export interface Grants {
  groups: GroupGrant[];
  users: UserGrant[];
}

function toGrants(groups: GrantObject[], users: GrantObject[]): Grants {
  return {
    groups: groups.filter((g) => g.group).map((g) => ({ group: g.group!.slug, groupName: g.group!.name, permission: g.permission })),
    users: users.filter((u) => u.user).map((u) => ({ user: toAccount(u.user!), permission: u.permission })),
  };
}

export interface GetRepositoryPermissionsResult extends Grants, InRepository {}

/** The explicit group and user grants on a repository (`read`, `write`, `admin`); needs admin rights on it. */
export const { promise: getRepositoryPermissions, output: getRepositoryPermissionsOutput } = repositoryFunction(
  "getRepositoryPermissions",
  ListInRepository,
  async (args: ListArgs, repo, client): Promise<Grants> => {
    const [groups, users] = await inRepository(client, repo, () =>
      Promise.all([client.reads.repositoryGroupGrants(repo.workspace, repo.slug, args), client.reads.repositoryUserGrants(repo.workspace, repo.slug, args)]),
    );
    return toGrants(groups, users);
  },
);

export interface GetProjectPermissionsResult extends Grants {
  workspace: string;
  key: string;
}

/** The explicit group and user grants on a project (`read`, `write`, `create-repo`, `admin`), which its repositories inherit. */
export const { promise: getProjectPermissions, output: getProjectPermissionsOutput } = readFunction(
  "getProjectPermissions",
  InWorkspace.extend({ key: ProjectKey, limit: Limit }),
  async (args: GetProjectArgs & { limit?: number }, client): Promise<GetProjectPermissionsResult> => {
    const [groups, users] = await Promise.all([
      client.reads.projectGroupGrants(args.workspace, args.key, args),
      client.reads.projectUserGrants(args.workspace, args.key, args),
    ]);
    return { workspace: args.workspace, key: args.key, ...toGrants(groups, users) };
  },
);
