// End to end through the real Pulumi CLI: examples/gitops-access (RepositoryAccess, ProjectAccess,
// RepositoryWebhooks, RepositoryBranchRestrictions from an access file) against the emulator. Grants and webhooks added by hand are
// drift that the refreshed preview names, and `pulumi up --refresh` removes.
import { startEmulator } from "../../emulator";
import { CREDENTIALS, GROUPS, USERS } from "../../emulator/seed";
import { diffBlocks, ensurePulumiCli, OwnerApi, GitopsAccessStack, runtime } from "./helpers";

jest.setTimeout(15 * 60_000);

const WS = "acme";
const REPO = "e2e-access";
const PROJECT = "WEB";
const WEBHOOK_SECRET = "ci-hook-secret-7d41-do-not-leak";

const ACCESS = {
  workspace: WS,
  projects: { [PROJECT]: { groups: { [GROUPS.developers]: "read" }, users: { [USERS.alice.account_id]: "write" } } },
  repositories: {
    [REPO]: {
      project: "PLAT",
      description: "Access under GitOps",
      groups: { [GROUPS.developers]: "write" },
      users: { [USERS.alice.account_id]: "admin" },
      webhooks: { CI: { url: "https://ci.example.com/hooks/bitbucket", events: ["repo:push"], secretConfig: "ciWebhookSecret" } },
    },
  },
  protections: [
    { projects: "PL*", main: [{ kind: "force" }, { kind: "require_approvals_to_merge", value: 2 }] },
    { repositories: "other-*", main: [{ kind: "delete" }] },
  ],
};

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe(`access as code through the real Pulumi CLI (runtime: ${process.env.E2E_RUNTIME ?? "default"})`, () => {
  let emulator: Emulator;
  let api: OwnerApi;
  let stack: GitopsAccessStack;
  const repoPath = () => api.repoPath(WS, REPO);
  const projectPath = `/workspaces/${WS}/projects/${PROJECT}`;

  /** A collection of explicit grants as a map (groups by slug, users by account id). */
  async function grants(base: string, collection: "groups" | "users"): Promise<Record<string, string>> {
    const page = await api.must("GET", `${base}/permissions-config/${collection}`);
    return Object.fromEntries(page.values.map((v: any) => [collection === "groups" ? v.group.slug : v.user.account_id, v.permission]));
  }

  /** `pulumi preview --refresh --expect-no-changes --diff`. */
  const refreshedPreview = () => stack.run(["preview", "--refresh", "--expect-no-changes", "--diff"]);

  beforeAll(async () => {
    const cliBin = ensurePulumiCli();
    emulator = await startEmulator({ port: 0, quiet: true });
    api = new OwnerApi(emulator.apiUrl);
    stack = new GitopsAccessStack({ cliBin, nodeModules: runtime().nodeModules }, ACCESS);
    await stack.init(
      { "bitbucket:apiUrl": emulator.apiUrl, "bitbucket:email": CREDENTIALS.owner.username },
      { "bitbucket:apiToken": CREDENTIALS.owner.password, ciWebhookSecret: WEBHOOK_SECRET },
    );
  });

  afterAll(async () => {
    if (stack) {
      await stack.run(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
      stack.dispose();
    }
    await emulator?.stop();
  });

  test("pulumi up sets exactly the declared grants on the repository and the project, the declared webhook and the protections of main", async () => {
    await stack.up();
    const repo = ACCESS.repositories[REPO];
    expect(await grants(repoPath(), "groups")).toEqual(repo.groups);
    expect(await grants(repoPath(), "users")).toEqual(repo.users);
    expect(await grants(projectPath, "groups")).toEqual(ACCESS.projects[PROJECT].groups);
    expect(await grants(projectPath, "users")).toEqual(ACCESS.projects[PROJECT].users);
    const hooks = (await api.must("GET", `${repoPath()}/hooks`)).values;
    expect(hooks.map((h: any) => [h.description, h.url, h.secret_set])).toEqual([["CI", repo.webhooks.CI.url, true]]);
    // The protections of its project's pattern hold on main; those of a slug pattern it does not match do not.
    const rules = (await api.must("GET", `${repoPath()}/branch-restrictions`)).values;
    expect(rules.map((r: any) => [r.kind, r.pattern, r.value]).sort()).toEqual([
      ["force", "main", undefined],
      ["require_approvals_to_merge", "main", 2],
    ]);

    const r = await refreshedPreview();
    expect(diffBlocks(r.output)).toEqual({});
    expect(r.code).toBe(0);
  });

  test("grants added by hand on the repository and the project: the refreshed preview exits 7 naming them, up --refresh removes them", async () => {
    for (const base of [repoPath(), projectPath]) {
      await api.must("PUT", `${base}/permissions-config/groups/${GROUPS.contractors}`, { permission: "admin" });
      await api.must("PUT", `${base}/permissions-config/users/${USERS.bob.account_id}`, { permission: "write" });
    }

    const r = await refreshedPreview();
    expect(r.code).toBe(7);
    const blocks = diffBlocks(r.output);
    expect(Object.keys(blocks).sort()).toEqual([`${REPO}-access`, `project-${PROJECT}`]);
    for (const block of Object.values(blocks)) {
      expect(block.op).toBe("update");
      expect(block.text).toMatch(/- contractors\s*: "admin"/);
      expect(block.text).toContain(`- ${USERS.bob.account_id}: "write"`);
    }

    await stack.up(["--refresh"]);
    for (const base of [repoPath(), projectPath]) {
      expect(await grants(base, "groups")).not.toHaveProperty(GROUPS.contractors);
      expect(await grants(base, "users")).not.toHaveProperty(USERS.bob.account_id);
    }
    expect(await grants(repoPath(), "groups")).toEqual(ACCESS.repositories[REPO].groups);
    const clean = await refreshedPreview();
    expect(diffBlocks(clean.output)).toEqual({});
    expect(clean.code).toBe(0);
  });

  test("a webhook added by hand is named by the refreshed preview and deleted by up --refresh", async () => {
    await api.must("POST", `${repoPath()}/hooks`, { description: "exfil", url: "https://collector.example.net/push", events: ["repo:push"] });

    const r = await refreshedPreview();
    expect(r.code).toBe(7);
    const blocks = diffBlocks(r.output);
    expect(Object.keys(blocks)).toEqual([`${REPO}-webhooks`]);
    expect(blocks[`${REPO}-webhooks`].text).toMatch(/- exfil\s*: \{/);
    expect(blocks[`${REPO}-webhooks`].text).toContain('- url   : "https://collector.example.net/push"');

    await stack.up(["--refresh"]);
    const hooks = (await api.must("GET", `${repoPath()}/hooks`)).values;
    expect(hooks.map((h: any) => h.description)).toEqual(["CI"]);
    const clean = await refreshedPreview();
    expect(clean.code).toBe(0);
  });

  test("the webhook secret never appears in the state or any output", async () => {
    expect(await stack.exportState()).not.toContain(WEBHOOK_SECRET);
    expect(stack.transcript).not.toContain(WEBHOOK_SECRET);
    expect(stack.transcript).not.toContain(CREDENTIALS.owner.password);
  });

  test("pulumi destroy removes the grants, webhooks and branch restrictions the stack declared and leaves the repository (retainOnDelete)", async () => {
    await stack.ok(["destroy", "--yes", "--skip-preview"]);
    expect(await grants(projectPath, "groups")).toEqual({});
    expect(await grants(projectPath, "users")).toEqual({});
    expect(await grants(repoPath(), "groups")).toEqual({});
    expect(await grants(repoPath(), "users")).toEqual({});
    expect((await api.must("GET", `${repoPath()}/hooks`)).values).toEqual([]);
    expect((await api.must("GET", `${repoPath()}/branch-restrictions`)).values).toEqual([]);
    expect((await api.must("GET", repoPath())).description).toBe(ACCESS.repositories[REPO].description);
  });
});
