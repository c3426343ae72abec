// The quickstart: a repository with a webhook (with a secret), group and user permissions, override
// settings and a fork. Run it from the repository root (`pulumi up`, see Pulumi.yaml) or with
// `npm run demo` against the local emulator.
//
// Stack config (pulumi config set ...):
//   workspace        the Bitbucket workspace slug                      (required)
//   memberAccountId  account_id or {uuid} of a workspace member        (required)
//   webhookSecret    secret sent with each webhook delivery            (required, --secret)
//   repoName         the repository's name                             (default "pulumi-quickstart")
//   forkName         the fork's name                                   (default "<repoName>-fork")
//   group            group slug granted read access                    (default "developers")
//   webhookUrl       where Bitbucket sends push events                 (default "https://example.com/hooks/bitbucket")
//   adoptRepoSlug    an existing repository to bring under management  (optional, see docs/resources/Repository.md)
//   allowForkReplace true: let a change replace (delete and re-create) the fork (default: refused)
// Credentials: bitbucket:email + bitbucket:apiToken (or another option in docs/configuration.md), or BITBUCKET_* env.
import * as pulumi from "@pulumi/pulumi";
import * as bitbucket from "pulumi-bitbucket-cloud";

const config = new pulumi.Config();
const workspace = config.require("workspace");
const repoName = config.get("repoName") ?? "pulumi-quickstart";

const repo = new bitbucket.Repository("repo", {
  workspace,
  name: repoName,
  description: "Managed by Pulumi",
  isPrivate: true,
  forkPolicy: "no_public_forks",
});

const hook = new bitbucket.Webhook("push-hook", {
  workspace,
  repository: repo.id,
  description: "CI trigger",
  url: config.get("webhookUrl") ?? "https://example.com/hooks/bitbucket",
  events: ["repo:push", "pullrequest:created"],
  secret: config.requireSecret("webhookSecret"),
});

const developers = new bitbucket.GroupPermission("developers", {
  workspace,
  repository: repo.id,
  groupSlug: config.get("group") ?? "developers",
  permission: "read",
});

const member = new bitbucket.UserPermission("member", {
  workspace,
  repository: repo.id,
  user: config.require("memberAccountId"),
  permission: "write",
});

const settings = new bitbucket.OverrideSettings("settings", {
  workspace,
  repository: repo.id,
  defaultMergeStrategy: true,
  branchingModel: false,
});

const fork = new bitbucket.Fork("fork", {
  workspace,
  repository: repo.id,
  name: config.get("forkName") ?? `${repoName}-fork`,
  description: "A fork of the quickstart repository",
  isPrivate: true,
  // A fork holds history: replacing it (say, after its parent was recreated) needs consent.
  allowReplace: config.getBoolean("allowForkReplace"),
});

// Adoption: bring an existing repository under management without recreating it.
const adoptSlug = config.get("adoptRepoSlug");
const adopted = adoptSlug ? new bitbucket.Repository("adopted", { workspace, name: adoptSlug, adopt: true }) : undefined;

export const repositoryId = repo.id;
export const repositorySlug = repo.slug;
export const repositoryUrl = repo.htmlUrl;
export const webhookId = hook.id;
export const groupPermission = developers.id;
export const userPermission = member.id;
export const overrideSettings = settings.id;
export const forkId = fork.id;
export const forkSlug = fork.slug;
export const adoptedRepositoryId = adopted ? adopted.id : null;
