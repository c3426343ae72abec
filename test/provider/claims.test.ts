// Two resources over one object: a program that declares two resources owning the same Bitbucket
// object (or a collection and an object in it) is refused at check, the later resource naming the
// other, both kinds and the object; a `users` map naming one user twice, however spelled, is refused
// too. The program runs in this process under Pulumi's mocks (only the engine is mocked): what each
// resource registers is handed to its real check, against the emulator.
import { OTHER_KEY, SIGNER_KEY } from "../support/gpg-keys";
import * as pulumi from "@pulumi/pulumi";
import { GROUPS, REPOSITORIES, USERS } from "../../emulator";
import * as bitbucket from "../../provider/registry";
import type { ResourceKind } from "../../provider/registry";
import { UNKNOWN } from "../../provider/resources/common";
import { publicKey } from "../support/ssh-keys";
import { clearCounters, counters, Emulator, provider, startWithProvider } from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

const ws = "acme";
const repo = REPOSITORIES.platformApi;
const { alice, bob } = USERS;

interface Registered {
  kind: ResourceKind;
  name: string;
  inputs: Record<string, unknown>;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** The inputs as the engine hands them to a dynamic provider's check: secrets unwrapped, unknowns as the sentinel. */
function asEngineSends(value: any): any {
  if (value?.__pulumiUnknown === true) return UNKNOWN;
  if (value?.[SECRET_SIG] !== undefined) return asEngineSends(value.value);
  if (Array.isArray(value)) return value.map(asEngineSends);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asEngineSends(v)]));
  return value;
}

/**
 * Runs `program` as a Pulumi program (a fresh run each time, `preview` or not) and returns what each
 * resource registered, once every registration is done.
 */
async function run(program: () => pulumi.Resource[], preview = false): Promise<Registered[]> {
  const registered: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        // A get() reads: the engine does not check it.
        if (args.id === undefined || args.id === "")
          registered.push({
            kind: args.type.replace(/^pulumi-nodejs:dynamic\/bitbucket:/, "") as ResourceKind,
            name: args.name,
            inputs: asEngineSends(args.inputs),
          });
        // At preview a new resource's ID is not known yet.
        return { id: preview ? undefined : `{aaaaaaaa-0000-4000-8000-${String(registered.length).padStart(12, "0")}}`, state: args.inputs };
      },
      call: () => ({}),
    },
    "project",
    "stack",
    preview,
  );
  const resources = program();
  await Promise.all(resources.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  return registered;
}

/** Each registered resource's check failures, by resource name (only those that fail). */
async function checkAll(registered: Registered[]): Promise<Record<string, string[]>> {
  const failed: Record<string, string[]> = {};
  for (const r of registered) {
    const result = await provider(r.kind).check({}, r.inputs);
    if (result.failures?.length) failed[r.name] = result.failures.map((f) => `${f.property}: ${f.reason}`);
  }
  return failed;
}

const declare = async (program: () => pulumi.Resource[], preview = false) => checkAll(await run(program, preview));

const hook = { url: "https://ci.example.com/hook", events: ["repo:push" as const] };

describe("two resources claiming one object in a program are refused at check, the later naming the earlier, both kinds and the object", () => {
  const cases: [string, () => pulumi.Resource[], string, RegExp][] = [
    [
      "two Repositories adopting one slug",
      () => [
        new bitbucket.Repository("first", { workspace: ws, name: "Platform API", slug: repo.slug, adopt: true }),
        new bitbucket.Repository("second", { workspace: ws, name: "Platform API", slug: repo.slug, adopt: true }),
      ],
      "second",
      /^slug: Repository 'second' \(bitbucket:Repository\) and Repository 'first' \(bitbucket:Repository\) both manage repository acme\/platform-api/,
    ],
    [
      "a Repository whose name gives the slug another one sets",
      () => [
        new bitbucket.Repository("by-slug", { workspace: ws, name: "Anything", slug: "platform-api" }),
        new bitbucket.Repository("by-name", { workspace: ws, name: "Platform API" }),
      ],
      "by-name",
      /^name: Repository 'by-name' .* and Repository 'by-slug' .* both manage repository acme\/platform-api/,
    ],
    [
      "a Fork at the slug of a Repository in its target workspace",
      () => [
        new bitbucket.Repository("repo", { workspace: "globex", name: "Shared Name" }),
        new bitbucket.Fork("fork", { workspace: ws, repository: repo.slug, targetWorkspace: "globex", name: "Shared Name" }),
      ],
      "fork",
      /^name: Fork 'fork' \(bitbucket:Fork\) and Repository 'repo' \(bitbucket:Repository\) both manage repository globex\/shared-name/,
    ],
    [
      "RepositoryAccess twice on one repository's users",
      () => [
        new bitbucket.RepositoryAccess("access-a", { workspace: ws, repository: repo.uuid, users: { [alice.account_id]: "read" } }),
        new bitbucket.RepositoryAccess("access-b", { workspace: ws, repository: repo.uuid.toUpperCase(), users: { [bob.account_id]: "read" } }),
      ],
      "access-b",
      /^users: RepositoryAccess 'access-b' .* and RepositoryAccess 'access-a' .* both manage the user permissions of repository acme\/\{/,
    ],
    [
      "RepositoryAccess owning the group grants and a GroupPermission for a group on the same repository",
      () => [
        new bitbucket.RepositoryAccess("access", { workspace: ws, repository: repo.slug, groups: { [GROUPS.developers]: "read" } }),
        new bitbucket.GroupPermission("developers", { workspace: ws, repository: repo.slug, groupSlug: GROUPS.developers, permission: "write" }),
      ],
      "developers",
      /^groupSlug: GroupPermission 'developers' \(bitbucket:GroupPermission\) and RepositoryAccess 'access' \(bitbucket:RepositoryAccess\) both manage the group permissions of repository acme\/platform-api: RepositoryAccess 'access' manages them all \(its groups\) and removes or resets what it does not declare, while GroupPermission 'developers' manages the permission of group developers on repository acme\/platform-api; .* Declare it in RepositoryAccess 'access' only/,
    ],
    [
      "a UserPermission declared before the RepositoryAccess owning the user grants of its repository",
      () => [
        new bitbucket.UserPermission("alice", { workspace: ws, repository: repo.slug, user: alice.account_id, permission: "read" }),
        new bitbucket.RepositoryAccess("access", { workspace: ws, repository: repo.slug, users: { [bob.account_id]: "write" } }),
      ],
      "access",
      /^users: RepositoryAccess 'access' \(bitbucket:RepositoryAccess\) and UserPermission 'alice' \(bitbucket:UserPermission\) both manage the user permissions of repository acme\/platform-api: RepositoryAccess 'access' manages them all \(its users\) .* while UserPermission 'alice' manages the permission of user 712020:/,
    ],
    [
      "ProjectAccess twice on one project's groups",
      () => [
        new bitbucket.ProjectAccess("plat-a", { workspace: ws, project: "PLAT", groups: { [GROUPS.developers]: "read" } }),
        new bitbucket.ProjectAccess("plat-b", { workspace: ws, project: "PLAT", groups: { [GROUPS.contractors]: "read" } }),
      ],
      "plat-b",
      /^groups: ProjectAccess 'plat-b' \(bitbucket:ProjectAccess\) and ProjectAccess 'plat-a' \(bitbucket:ProjectAccess\) both manage the group permissions of project acme\/PLAT/,
    ],
    [
      "ProjectAccess owning the group grants and a ProjectGroupPermission for a group on the same project",
      () => [
        new bitbucket.ProjectAccess("plat", { workspace: ws, project: "PLAT", groups: { [GROUPS.developers]: "read" } }),
        new bitbucket.ProjectGroupPermission("plat-dev", { workspace: ws, project: "PLAT", groupSlug: GROUPS.contractors, permission: "write" }),
      ],
      "plat-dev",
      /^groupSlug: ProjectGroupPermission 'plat-dev' \(bitbucket:ProjectGroupPermission\) and ProjectAccess 'plat' \(bitbucket:ProjectAccess\) both manage the group permissions of project acme\/PLAT: ProjectAccess 'plat' manages them all \(its groups\) .* while ProjectGroupPermission 'plat-dev' manages the permission of group contractors on project acme\/PLAT/,
    ],
    [
      "a ProjectUserPermission declared before the ProjectAccess owning the user grants of its project",
      () => [
        new bitbucket.ProjectUserPermission("plat-alice", { workspace: ws, project: "PLAT", user: alice.account_id, permission: "create-repo" }),
        new bitbucket.ProjectAccess("plat", { workspace: ws, project: "PLAT", users: { [bob.account_id]: "write" } }),
      ],
      "plat",
      /^users: ProjectAccess 'plat' \(bitbucket:ProjectAccess\) and ProjectUserPermission 'plat-alice' \(bitbucket:ProjectUserPermission\) both manage the user permissions of project acme\/PLAT: ProjectAccess 'plat' manages them all \(its users\) .* while ProjectUserPermission 'plat-alice' manages the permission of user 712020:/,
    ],
    [
      "RepositoryWebhooks twice on one repository",
      () => [
        new bitbucket.RepositoryWebhooks("hooks-a", { workspace: ws, repository: repo.slug, webhooks: { ci: hook } }),
        new bitbucket.RepositoryWebhooks("hooks-b", { workspace: ws, repository: repo.slug, webhooks: { chat: hook } }),
      ],
      "hooks-b",
      /^webhooks: RepositoryWebhooks 'hooks-b' .* and RepositoryWebhooks 'hooks-a' .* both manage the webhooks of repository acme\/platform-api/,
    ],
    [
      "RepositoryWebhooks and a Webhook on the same repository",
      () => [
        new bitbucket.RepositoryWebhooks("hooks", { workspace: ws, repository: repo.slug, webhooks: { ci: hook } }),
        new bitbucket.Webhook("deploy", { workspace: ws, repository: repo.slug, url: "https://deploy.example.com/hook", events: ["repo:push"] }),
      ],
      "deploy",
      /^url: Webhook 'deploy' \(bitbucket:Webhook\) and RepositoryWebhooks 'hooks' \(bitbucket:RepositoryWebhooks\) both manage the webhooks of repository acme\/platform-api: RepositoryWebhooks 'hooks' manages them all \(its webhooks\)/,
    ],
    [
      "two Webhooks that creation would make one hook (same URL, events in another order, same description)",
      () => [
        new bitbucket.Webhook("hook-a", { workspace: ws, repository: repo.slug, url: hook.url, events: ["repo:push", "pullrequest:created"] }),
        new bitbucket.Webhook("hook-b", { workspace: ws, repository: repo.slug, url: hook.url, events: ["pullrequest:created", "repo:push"] }),
      ],
      "hook-b",
      /^url: Webhook 'hook-b' .* and Webhook 'hook-a' .* both manage one webhook \(matched by URL, events and description\) on repository acme\/platform-api/,
    ],
    [
      "OverrideSettings twice on one repository",
      () => [
        new bitbucket.OverrideSettings("override-a", { workspace: ws, repository: repo.slug, branchingModel: true }),
        new bitbucket.OverrideSettings("override-b", { workspace: ws, repository: repo.slug, branchingModel: false }),
      ],
      "override-b",
      /^repository: OverrideSettings 'override-b' .* and OverrideSettings 'override-a' .* both manage the override settings of repository acme\/platform-api/,
    ],
    [
      "GroupPermission twice for one group on one repository",
      () => [
        new bitbucket.GroupPermission("dev-read", { workspace: ws, repository: repo.slug, groupSlug: GROUPS.developers, permission: "read" }),
        new bitbucket.GroupPermission("dev-admin", { workspace: ws, repository: repo.slug, groupSlug: GROUPS.developers, permission: "admin" }),
      ],
      "dev-admin",
      /^groupSlug: GroupPermission 'dev-admin' .* and GroupPermission 'dev-read' .* both manage the permission of group developers on repository acme\/platform-api/,
    ],
    [
      "UserPermission twice for one user on one repository ({uuid} in another case)",
      () => [
        new bitbucket.UserPermission("alice-read", { workspace: ws, repository: repo.slug, user: alice.uuid, permission: "read" }),
        new bitbucket.UserPermission("alice-write", { workspace: ws, repository: repo.slug, user: alice.uuid.toUpperCase(), permission: "write" }),
      ],
      "alice-write",
      /^user: UserPermission 'alice-write' .* and UserPermission 'alice-read' .* both manage the permission of user \{5EED/,
    ],
    [
      "two Projects with one key (Bitbucket compares keys without case)",
      () => [
        new bitbucket.Project("ops", { workspace: ws, key: "OPS", name: "Operations" }),
        new bitbucket.Project("ops-again", { workspace: ws, key: "ops", name: "Operations again" }),
      ],
      "ops-again",
      /^key: Project 'ops-again' \(bitbucket:Project\) and Project 'ops' \(bitbucket:Project\) both manage project acme\/OPS/,
    ],
    [
      "two DeployKeys with one key on one repository (the comment does not count)",
      () => [
        new bitbucket.DeployKey("ci", { workspace: ws, repository: repo.slug, key: publicKey("ci", "ci@one") }),
        new bitbucket.DeployKey("ci-again", { workspace: ws, repository: repo.slug, key: publicKey("ci", "ci@two"), label: "again" }),
      ],
      "ci-again",
      /^key: DeployKey 'ci-again' \(bitbucket:DeployKey\) and DeployKey 'ci' \(bitbucket:DeployKey\) both manage one deploy key \(matched by its public key\) on repository acme\/platform-api/,
    ],
    [
      "two ProjectDeployKeys with one key on one project",
      () => [
        new bitbucket.ProjectDeployKey("plat", { workspace: ws, project: "PLAT", key: publicKey("ci") }),
        new bitbucket.ProjectDeployKey("plat-again", { workspace: ws, project: "PLAT", key: publicKey("ci") }),
      ],
      "plat-again",
      /^key: ProjectDeployKey 'plat-again' .* and ProjectDeployKey 'plat' .* both manage one deploy key \(matched by its public key\) on project acme\/PLAT/,
    ],
    [
      "two BranchRestrictions of one kind and pattern on one repository (Bitbucket allows one)",
      () => [
        new bitbucket.BranchRestriction("no-force", { workspace: ws, repository: repo.slug, kind: "force", pattern: "main" }),
        new bitbucket.BranchRestriction("no-force-again", { workspace: ws, repository: repo.slug, kind: "force", pattern: "main" }),
        new bitbucket.BranchRestriction("no-force-develop", { workspace: ws, repository: repo.slug, kind: "force", pattern: "develop" }),
      ],
      "no-force-again",
      /^kind: BranchRestriction 'no-force-again' \(bitbucket:BranchRestriction\) and BranchRestriction 'no-force' \(bitbucket:BranchRestriction\) both manage one branch restriction \(its kind and match\) on repository acme\/platform-api/,
    ],
    [
      "two DefaultReviewers on one repository (each owns the whole list)",
      () => [
        new bitbucket.DefaultReviewers("reviewers", { workspace: ws, repository: repo.slug, users: [alice.account_id] }),
        new bitbucket.DefaultReviewers("reviewers-again", { workspace: ws, repository: repo.slug, users: [] }),
      ],
      "reviewers-again",
      /^users: DefaultReviewers 'reviewers-again' \(bitbucket:DefaultReviewers\) and DefaultReviewers 'reviewers' \(bitbucket:DefaultReviewers\) both manage the default reviewers of repository acme\/platform-api/,
    ],
    [
      "two CommitFiles on one file of one branch (one on another branch or path passes)",
      () => [
        new bitbucket.CommitFile("owners", { workspace: ws, repository: repo.slug, branch: "main", path: "CODEOWNERS", content: "a" }),
        new bitbucket.CommitFile("owners-again", { workspace: ws, repository: repo.slug, branch: "main", path: "CODEOWNERS", content: "b" }),
        new bitbucket.CommitFile("owners-develop", { workspace: ws, repository: repo.slug, branch: "develop", path: "CODEOWNERS", content: "a" }),
        new bitbucket.CommitFile("owners-docs", { workspace: ws, repository: repo.slug, branch: "main", path: "docs/CODEOWNERS", content: "a" }),
      ],
      "owners-again",
      /^path: CommitFile 'owners-again' \(bitbucket:CommitFile\) and CommitFile 'owners' \(bitbucket:CommitFile\) both manage one file \(by branch and path\) on repository acme\/platform-api/,
    ],
    [
      "two SshKeys with one key, even of two users (a key belongs to one account)",
      () => [
        new bitbucket.SshKey("mine", { user: alice.account_id, key: publicKey("laptop", "me@one") }),
        new bitbucket.SshKey("mine-again", { user: alice.uuid, key: publicKey("laptop", "me@two") }),
        new bitbucket.SshKey("another", { user: alice.account_id, key: publicKey("desktop") }),
      ],
      "mine-again",
      /^key: SshKey 'mine-again' \(bitbucket:SshKey\) and SshKey 'mine' \(bitbucket:SshKey\) both manage one SSH key \(matched by its public key\) on Bitbucket/,
    ],
    [
      "two GpgKeys with one key (by fingerprint, however armored)",
      () => [
        new bitbucket.GpgKey("signing", { user: alice.account_id, key: SIGNER_KEY }),
        new bitbucket.GpgKey("signing-again", { user: alice.account_id, key: SIGNER_KEY.replace("\n\n", "\nComment: again\n\n"), name: "again" }),
        new bitbucket.GpgKey("other", { user: alice.account_id, key: OTHER_KEY }),
      ],
      "signing-again",
      /^key: GpgKey 'signing-again' \(bitbucket:GpgKey\) and GpgKey 'signing' \(bitbucket:GpgKey\) both manage one GPG key \(matched by its fingerprint\) on Bitbucket/,
    ],
    [
      "two BranchingModels on one repository (each owns the whole model)",
      () => [
        new bitbucket.BranchingModel("model", { workspace: ws, repository: repo.slug }),
        new bitbucket.BranchingModel("model-again", { workspace: ws, repository: repo.slug, defaultBranchDeletion: true }),
      ],
      "model-again",
      /^repository: BranchingModel 'model-again' \(bitbucket:BranchingModel\) and BranchingModel 'model' \(bitbucket:BranchingModel\) both manage the branching model of repository acme\/platform-api/,
    ],
    [
      "two ProjectBranchingModels on one project",
      () => [
        new bitbucket.ProjectBranchingModel("project-model", { workspace: ws, project: "PLAT" }),
        new bitbucket.ProjectBranchingModel("project-model-again", { workspace: ws, project: "PLAT", developmentBranch: "develop" }),
      ],
      "project-model-again",
      /^project: ProjectBranchingModel 'project-model-again' \(bitbucket:ProjectBranchingModel\) and ProjectBranchingModel 'project-model' \(bitbucket:ProjectBranchingModel\) both manage the branching model of project acme\/PLAT/,
    ],
    [
      "two ProjectDefaultReviewers on one project",
      () => [
        new bitbucket.ProjectDefaultReviewers("project-reviewers", { workspace: ws, project: "PLAT", users: [alice.account_id] }),
        new bitbucket.ProjectDefaultReviewers("project-reviewers-again", { workspace: ws, project: "PLAT", users: [] }),
      ],
      "project-reviewers-again",
      /^users: ProjectDefaultReviewers 'project-reviewers-again' \(bitbucket:ProjectDefaultReviewers\) and ProjectDefaultReviewers 'project-reviewers' \(bitbucket:ProjectDefaultReviewers\) both manage the default reviewers of project acme\/PLAT/,
    ],
    [
      "a BranchRestriction after a RepositoryBranchRestrictions on one repository (it owns every rule)",
      () => [
        new bitbucket.RepositoryBranchRestrictions("main-rules", { workspace: ws, repository: repo.slug, restrictions: [{ kind: "force", pattern: "main" }] }),
        new bitbucket.BranchRestriction("no-delete", { workspace: ws, repository: repo.slug, kind: "delete", pattern: "main" }),
      ],
      "no-delete",
      /^kind: BranchRestriction 'no-delete' \(bitbucket:BranchRestriction\) and RepositoryBranchRestrictions 'main-rules' \(bitbucket:RepositoryBranchRestrictions\) both manage the branch restrictions of repository acme\/platform-api: RepositoryBranchRestrictions 'main-rules' manages them all \(its restrictions\)/,
    ],
    [
      "a RepositoryBranchRestrictions after a BranchRestriction on one repository",
      () => [
        new bitbucket.BranchRestriction("no-delete", { workspace: ws, repository: repo.slug, kind: "delete", pattern: "main" }),
        new bitbucket.RepositoryBranchRestrictions("main-rules", { workspace: ws, repository: repo.slug, restrictions: [] }),
      ],
      "main-rules",
      /^restrictions: RepositoryBranchRestrictions 'main-rules' \(bitbucket:RepositoryBranchRestrictions\) and BranchRestriction 'no-delete' \(bitbucket:BranchRestriction\) both manage the branch restrictions of repository acme\/platform-api/,
    ],
    [
      "two RepositoryVariables with one key on one repository (keys are case-sensitive: another case is another variable)",
      () => [
        new bitbucket.RepositoryVariable("env", { workspace: ws, repository: repo.slug, key: "DEPLOY_ENV", value: "a" }),
        new bitbucket.RepositoryVariable("env-lower", { workspace: ws, repository: repo.slug, key: "deploy_env", value: "b" }),
        new bitbucket.RepositoryVariable("env-again", { workspace: ws, repository: repo.slug, key: "DEPLOY_ENV", value: "c", secured: true }),
      ],
      "env-again",
      /^key: RepositoryVariable 'env-again' .* and RepositoryVariable 'env' .* both manage one pipeline variable \(matched by its key\) on repository acme\/platform-api/,
    ],
    [
      "two WorkspaceVariables with one key",
      () => [
        new bitbucket.WorkspaceVariable("shared", { workspace: ws, key: "SHARED", value: "a" }),
        new bitbucket.WorkspaceVariable("shared-again", { workspace: "ACME", key: "SHARED", value: "b" }),
      ],
      "shared-again",
      /^key: WorkspaceVariable 'shared-again' .* and WorkspaceVariable 'shared' .* both manage one pipeline variable \(matched by its key\) on workspace acme/,
    ],
    [
      "two DeploymentEnvironments with one name in another case on one repository",
      () => [
        new bitbucket.DeploymentEnvironment("prod", { workspace: ws, repository: repo.slug, name: "Production", environmentType: "Production" }),
        new bitbucket.DeploymentEnvironment("prod-again", { workspace: ws, repository: repo.slug, name: "production", environmentType: "Production" }),
      ],
      "prod-again",
      /^name: DeploymentEnvironment 'prod-again' .* and DeploymentEnvironment 'prod' .* both manage one deployment environment \(matched by its name, in any case\)/,
    ],
    [
      "two DeploymentVariables with one key in one environment",
      () => [
        new bitbucket.DeploymentVariable("db", {
          workspace: ws,
          repository: repo.slug,
          environment: "{0F8C2C1E-4B6E-4C2A-9D3E-2A1B3C4D5E6F}",
          key: "DB",
          value: "a",
        }),
        new bitbucket.DeploymentVariable("db-again", {
          workspace: ws,
          repository: repo.slug,
          environment: "{0f8c2c1e-4b6e-4c2a-9d3e-2a1b3c4d5e6f}",
          key: "DB",
          value: "b",
        }),
      ],
      "db-again",
      /^key: DeploymentVariable 'db-again' .* and DeploymentVariable 'db' .* both manage one deployment variable \(matched by its key\)/,
    ],
    [
      "two PipelinesConfigs on one repository",
      () => [
        new bitbucket.PipelinesConfig("pipelines", { workspace: ws, repository: repo.slug, enabled: true }),
        new bitbucket.PipelinesConfig("pipelines-again", { workspace: ws, repository: repo.slug, enabled: false }),
      ],
      "pipelines-again",
      /^repository: PipelinesConfig 'pipelines-again' .* and PipelinesConfig 'pipelines' .* both manage the pipelines configuration of repository acme\/platform-api/,
    ],
    [
      "a claim known only through an Output (repository: repo.id)",
      () => {
        const r = new bitbucket.Repository("repo", { workspace: ws, name: "Output Claims" });
        return [
          r,
          new bitbucket.OverrideSettings("override-a", { workspace: ws, repository: r.id }),
          new bitbucket.OverrideSettings("override-b", { workspace: ws, repository: r.id, defaultMergeStrategy: true }),
        ];
      },
      "override-b",
      /^repository: OverrideSettings 'override-b' .* and OverrideSettings 'override-a' .* both manage the override settings of repository acme\/\{aaaaaaaa-0000-4000-8000-000000000001\}/,
    ],
    [
      "WorkspaceWebhooks and a WorkspaceWebhook on the same workspace",
      () => [
        new bitbucket.WorkspaceWebhooks("ws-hooks", { workspace: ws, webhooks: { ci: hook } }),
        new bitbucket.WorkspaceWebhook("ws-deploy", { workspace: ws, url: "https://deploy.example.com/hook", events: ["repo:push"] }),
      ],
      "ws-deploy",
      /^url: WorkspaceWebhook 'ws-deploy' \(bitbucket:WorkspaceWebhook\) and WorkspaceWebhooks 'ws-hooks' \(bitbucket:WorkspaceWebhooks\) both manage the webhooks of workspace acme: WorkspaceWebhooks 'ws-hooks' manages them all \(its webhooks\)/,
    ],
    [
      "two PipelineKnownHosts of one hostname on one repository",
      () => [
        new bitbucket.PipelineKnownHost("host-a", { workspace: ws, repository: repo.slug, hostname: "git.example.com", key: publicKey("a") }),
        new bitbucket.PipelineKnownHost("host-b", { workspace: ws, repository: repo.slug, hostname: "GIT.example.com", key: publicKey("b") }),
      ],
      "host-b",
      /^hostname: PipelineKnownHost 'host-b' .* and PipelineKnownHost 'host-a' .* both manage the known host/,
    ],
  ];

  test.each(cases)("%s", async (_, program, refused, message) => {
    const failed = await declare(program);
    expect(Object.keys(failed)).toEqual([refused]);
    expect(failed[refused]).toEqual([expect.stringMatching(message)]);
  });
});

describe("resources that do not fight pass", () => {
  test("one object per resource; a RepositoryAccess managing groups beside one managing users; a Webhook beside a UserPermission; sub-resources of other repositories", async () => {
    const failed = await declare(() => [
      new bitbucket.Repository("one", { workspace: ws, name: "One" }),
      new bitbucket.Repository("two", { workspace: ws, name: "Two" }),
      new bitbucket.Repository("one-elsewhere", { workspace: "globex", name: "One" }),
      new bitbucket.Fork("unnamed-fork", { workspace: ws, repository: repo.slug, targetWorkspace: "globex" }),
      new bitbucket.RepositoryAccess("groups", { workspace: ws, repository: repo.slug, groups: { [GROUPS.developers]: "read" } }),
      new bitbucket.RepositoryAccess("users", { workspace: ws, repository: repo.slug, users: { [alice.account_id]: "read" } }),
      new bitbucket.Webhook("hook", { workspace: ws, repository: repo.slug, ...hook }),
      new bitbucket.Webhook("hook-other-events", { workspace: ws, repository: repo.slug, url: hook.url, events: ["pullrequest:created"] }),
      new bitbucket.GroupPermission("website-dev", { workspace: ws, repository: "website", groupSlug: GROUPS.developers, permission: "read" }),
      new bitbucket.UserPermission("website-alice", { workspace: ws, repository: "website", user: alice.account_id, permission: "read" }),
      new bitbucket.UserPermission("website-bob", { workspace: ws, repository: "website", user: bob.account_id, permission: "read" }),
      new bitbucket.OverrideSettings("override", { workspace: ws, repository: repo.slug }),
      new bitbucket.ProjectAccess("plat", { workspace: ws, project: "PLAT", groups: {} }),
      new bitbucket.ProjectAccess("web", { workspace: ws, project: "WEB", groups: {} }),
      new bitbucket.Project("ops", { workspace: ws, key: "OPS", name: "Operations" }),
      new bitbucket.Project("ops-elsewhere", { workspace: "globex", key: "OPS", name: "Operations" }),
      new bitbucket.ProjectAccess("ops-access", { workspace: ws, project: "OPS", groups: {} }),
    ]);
    expect(failed).toEqual({});
  });

  test("a claim whose arguments are unknown at preview is skipped (checked at `up`, once known); the check-only input never reaches the inputs check returns", async () => {
    const registered = await run(() => {
      const r = new bitbucket.Repository("repo", { workspace: ws, name: "Unknown At Preview" });
      return [
        r,
        new bitbucket.OverrideSettings("override-a", { workspace: ws, repository: r.id }),
        new bitbucket.OverrideSettings("override-b", { workspace: ws, repository: r.id }),
      ];
    }, true);
    expect(await checkAll(registered)).toEqual({});
    for (const r of registered) {
      const { inputs } = await provider(r.kind).check({}, r.inputs);
      expect(
        Object.keys(inputs ?? {}).filter((k) => !["__provider", "workspace", "repository", "name", "defaultMergeStrategy", "branchingModel"].includes(k)),
      ).toEqual([]);
    }
  });

  test("each program run starts afresh: what a previous run (of the same process) claimed is not held against the next one", async () => {
    expect(await declare(() => [new bitbucket.Repository("first-run", { workspace: ws, name: "Again" })])).toEqual({});
    expect(await declare(() => [new bitbucket.Repository("second-run", { workspace: ws, name: "Again" })])).toEqual({});
  });

  test("a get() reads an object and claims nothing", async () => {
    const failed = await declare(() => [
      new bitbucket.OverrideSettings("override", { workspace: ws, repository: repo.slug }),
      bitbucket.OverrideSettings.get("read-only", `${ws}/${repo.slug}`),
    ]);
    expect(failed).toEqual({});
  });
});

describe("a users map naming one user twice is refused at check, naming both spellings", () => {
  const check = (kind: "RepositoryAccess" | "ProjectAccess", users: Record<string, string>) =>
    provider(kind).check({}, kind === "RepositoryAccess" ? { workspace: ws, repository: repo.slug, users } : { workspace: ws, project: "PLAT", users });

  test.each(["RepositoryAccess", "ProjectAccess"] as const)("%s: account id and {uuid} of one member: one member lookup, then refused", async (kind) => {
    await clearCounters(emu);
    const result = await check(kind, { [alice.account_id]: "read", [alice.uuid]: "write", [bob.account_id]: "read" });
    expect(result.failures).toEqual([
      {
        property: "users",
        reason: expect.stringContaining(
          `users names one user twice: ${JSON.stringify(alice.uuid)} and ${JSON.stringify(alice.account_id)} are the same member of workspace acme (Alice Anders,`,
        ),
      },
    ]);
    expect((await counters(emu)).byRoute).toEqual({ "GET /workspaces/{workspace}/members/{member}": 1 });
  });

  test.each(["RepositoryAccess", "ProjectAccess"] as const)("%s: one {uuid} in two cases: refused with no request", async (kind) => {
    await clearCounters(emu);
    const result = await check(kind, { [alice.uuid]: "read", [alice.uuid.toUpperCase()]: "write" });
    expect(result.failures).toEqual([
      {
        property: "users",
        reason: `users names one user twice: ${JSON.stringify(alice.uuid)} and ${JSON.stringify(alice.uuid.toUpperCase())} differ only in case, so they name one user and would fight. Keep one of them.`,
      },
    ]);
    expect((await counters(emu)).total).toBe(0);
  });

  test("different users under mixed spellings pass (one lookup per key of the rarer spelling); one spelling throughout makes no request", async () => {
    await clearCounters(emu);
    expect((await check("RepositoryAccess", { [alice.account_id]: "read", [bob.uuid]: "write" })).failures).toBeUndefined();
    expect((await counters(emu)).byRoute).toEqual({ "GET /workspaces/{workspace}/members/{member}": 1 });
    await clearCounters(emu);
    expect((await check("RepositoryAccess", { [alice.account_id]: "read", [bob.account_id]: "write" })).failures).toBeUndefined();
    expect((await check("ProjectAccess", { [alice.uuid]: "read", [bob.uuid]: "write" })).failures).toBeUndefined();
    expect((await counters(emu)).total).toBe(0);
  });

  test("a lookup that fails fails the check, saying what could not be told and how to avoid the lookup", async () => {
    await fetch(`${emu.url}/_emulator/config`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ script: [{ pathPrefix: "/2.0/workspaces/acme/members/", status: 403, times: 1 }] }),
    });
    const result = await check("RepositoryAccess", { [alice.account_id]: "read", [bob.uuid]: "write" });
    expect(result.failures).toEqual([
      {
        property: "users",
        reason: expect.stringMatching(
          /^Cannot tell whether users "\{5eed.*\}" is also in users under another spelling .* failed: .*403.* Name every user one way \(all account ids, or all \{uuid\}s\)\.$/,
        ),
      },
    ]);
  });
});

test("every kind declares its claims over its own arguments (a misspelt field would silently claim nothing)", async () => {
  for (const [kind, module] of Object.entries(bitbucket.RESOURCES)) {
    expect(module.claims.fields.length).toBeGreaterThan(0);
    for (const field of module.claims.fields) {
      const result = await provider(kind as ResourceKind).check({}, { [field]: UNKNOWN });
      expect({ kind, field, failures: (result.failures ?? []).filter((f) => f.property === field) }).toEqual({ kind, field, failures: [] });
    }
  }
});
