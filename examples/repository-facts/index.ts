// Reads only: a repository's facts as stack outputs, through the read functions (no resources).
//
// Stack config (pulumi config set ...):
//   repository   workspace/slug or a bitbucket.org URL of the repository   (required)
// Credentials: none needed for a public repository (the reads are then anonymous: 60 requests an hour
// per address on Bitbucket; this program makes 5 per run). For a private one, the same bitbucket:* config
// or BITBUCKET_* environment as the resources.
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

// The owner of a workspace's repository is the workspace, with its name: readable even when the
// workspace itself is private, as long as the repository is public.
export const workspaceName = repo.apply((r) => r.owner?.displayName);
