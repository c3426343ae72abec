// A read-only dashboard of a workspace: for every repository, its forks, watchers, open pull requests,
// main branch and last commit on it, as stack outputs. No resources: `pulumi up` only reads.
//
// Stack config (pulumi config set ...):
//   workspace   the workspace to report on                          (required)
//   project     only the repositories of this project key           (optional)
// Credentials: the same bitbucket:* config or BITBUCKET_* environment as the resources.
// Cost: 1 request per 100 repositories, then 5 per repository (the repository and its two counts,
// its open pull requests, its branches).
import * as pulumi from "@pulumi/pulumi";
import * as bitbucket from "pulumi-bitbucket-cloud";

const config = new pulumi.Config();
const workspace = config.require("workspace");
const project = config.get("project");

interface RepositoryReport {
  project?: string;
  forks: number;
  watchers: number;
  openPullRequests: string[];
  mainBranch?: string;
  lastCommit?: { hash: string; date?: string; message?: string; author?: string };
}

// The Output forms throughout: an error then fails the program as a Pulumi error, where a rejected
// Promise inside an apply would leave it hanging.
function reportOn(slug: string): pulumi.Output<RepositoryReport> {
  const repository = { workspace, repository: slug };
  const repo = bitbucket.getRepositoryOutput(repository);
  const pulls = bitbucket.getPullRequestsOutput({ ...repository, state: "OPEN" });
  // The main branch's head is its last commit (one request per 100 branches; none without commits).
  const { branches } = bitbucket.getBranchesOutput(repository);
  const last = pulumi.all([repo, branches]).apply(([r, all]) => all.find((b) => b.name === r.mainBranch)?.target);
  return pulumi.all([repo, pulls, last]).apply(([repo, pulls, last]) => ({
    project: repo.projectKey,
    forks: repo.forksCount,
    watchers: repo.watchersCount,
    openPullRequests: pulls.pullRequests.map((pr) => `#${pr.id} ${pr.title}`),
    mainBranch: repo.mainBranch,
    lastCommit: last && { hash: last.hash, date: last.date, message: last.message?.split("\n")[0], author: last.author?.displayName ?? last.authorRaw },
  }));
}

const listed = bitbucket.getWorkspaceRepositoriesOutput({ workspace, ...(project ? { q: `project.key = "${project}"` } : {}), sort: "slug" });

/** slug → report, in slug order. */
export const repositories = listed.repositories.apply((repos) => pulumi.all(Object.fromEntries(repos.map((r) => [r.slug, reportOn(r.slug)]))));

/** Totals over the workspace (or the project). */
export const totals = repositories.apply((all) => {
  const reports = Object.values(all);
  return {
    repositories: reports.length,
    forks: reports.reduce((n, r) => n + r.forks, 0),
    watchers: reports.reduce((n, r) => n + r.watchers, 0),
    openPullRequests: reports.reduce((n, r) => n + r.openPullRequests.length, 0),
  };
});
