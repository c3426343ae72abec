// Reads only: a repository's facts as stack outputs, through the read functions (no resources).
//
// Stack config (pulumi config set ...):
//   repository   workspace/slug or a bitbucket.org URL of the repository   (required)
// Credentials: the same bitbucket:* config or BITBUCKET_* environment as the resources.
import * as pulumi from "@pulumi/pulumi";
import * as bitbucket from "pulumi-bitbucket-cloud";

const repository = new pulumi.Config().require("repository");

// The Output forms take Outputs and give Outputs: what stack outputs and resource arguments want. (A
// stack output made from a Promise that rejects makes the program hang after printing the error, in
// @pulumi/pulumi up to 3.276 at least: use the Output forms for outputs.)
const repo = bitbucket.getRepositoryOutput(repository);
const { branches } = bitbucket.getBranchesOutput({ repository });
const { pullRequests } = bitbucket.getPullRequestsOutput({ repository, state: "OPEN" });

export const fullName = repo.fullName;
export const uuid = repo.uuid;
export const forksCount = repo.forksCount;
export const watchersCount = repo.watchersCount;
export const mainBranch = repo.mainBranch;
export const branchNames = branches.apply((all) => all.map((b) => b.name));
export const lastCommitOnMain = pulumi.all([branches, repo.mainBranch]).apply(([all, main]) => all.find((b) => b.name === main)?.target.hash);
export const openPullRequests = pullRequests.apply((prs) => prs.map((p) => `#${p.id} ${p.title}`));

export const workspaceName = bitbucket.getWorkspaceOutput({ workspace: repo.workspace }).name;
