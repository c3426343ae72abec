// The permissions a grant gives, on a repository and on a project.

export type Permission = "read" | "write" | "admin";
/** On a project, `create-repo` is write on its repositories plus the right to create repositories in it. */
export type ProjectPermission = Permission | "create-repo";
