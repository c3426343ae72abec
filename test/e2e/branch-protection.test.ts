// End to end through the real Pulumi CLI: `main` protected as code (RepositoryBranchRestrictions beside
// DefaultReviewers, a DeployKey and a committed CODEOWNERS) against the emulator. A restriction removed, an exemption added and
// a default reviewer removed by hand are named by the refreshed preview and by
// `pulumi-bitbucket-cloud drift` (JUnit), and restored by `up`; then no perpetual diff.
import * as fs from "fs";
import * as path from "path";
import { XMLParser } from "fast-xml-parser";
import { startEmulator } from "../../emulator";
import { CREDENTIALS, USERS } from "../../emulator/seed";
import { publicKey } from "../support/ssh-keys";
import { diffBlocks, ensurePulumiCli, OwnerApi, PulumiStack, runtime } from "./helpers";

jest.setTimeout(15 * 60_000);

const WS = "acme";
const REPO = "e2e-protected";
const DEPLOY_KEY = publicKey("e2e-protected-ci", "ci@build");
const CODEOWNERS = "* @acme/developers\n";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as bitbucket from "pulumi-bitbucket-cloud";

const config = new pulumi.Config();
const workspace = config.require("workspace");

const repo = new bitbucket.Repository("repo", { workspace, name: "${REPO}", isPrivate: true }, { retainOnDelete: true });

// main: no force push, no deletion, 2 approvals, a passing build, a default reviewer's approval;
// only the release manager (by account id) pushes to it directly.
new bitbucket.RepositoryBranchRestrictions("main-protection", {
  workspace,
  repository: repo.id,
  restrictions: [
    { kind: "force", pattern: "main" },
    { kind: "delete", pattern: "main" },
    { kind: "require_approvals_to_merge", pattern: "main", value: 2 },
    { kind: "require_passing_builds_to_merge", pattern: "main", value: 1 },
    { kind: "require_default_reviewer_approvals_to_merge", pattern: "main", value: 1 },
    { kind: "push", pattern: "main", users: [config.require("releaseManager")] },
  ],
});

new bitbucket.DefaultReviewers("reviewers", { workspace, repository: repo.id, users: config.requireObject<string[]>("reviewers") });

new bitbucket.DeployKey("ci-key", { workspace, repository: repo.id, key: config.require("deployKey"), label: "CI" });

// Who reviews what, committed on main (one commit; never a history rewrite).
new bitbucket.CommitFile("codeowners", {
  workspace,
  repository: repo.id,
  branch: "main",
  path: "CODEOWNERS",
  content: ${JSON.stringify(CODEOWNERS)},
  message: "CODEOWNERS from Pulumi",
});
`;

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe(`branch protection through the real Pulumi CLI (runtime: ${process.env.E2E_RUNTIME ?? "default"})`, () => {
  let emulator: Emulator;
  let api: OwnerApi;
  let stack: PulumiStack;
  const nodeModules = runtime().nodeModules;
  const repoPath = () => api.repoPath(WS, REPO);
  const report = (name: string) => path.join(stack.root, "reports", name);
  const drift = () => stack.runBin(nodeModules, ["drift", "--junit", report("drift.xml")]);
  const refreshedPreview = () => stack.run(["preview", "--refresh", "--expect-no-changes", "--diff"]);

  const restrictions = async () =>
    ((await api.must("GET", `${repoPath()}/branch-restrictions?pagelen=100`)).values as any[]).map((r) => ({
      kind: r.kind as string,
      pattern: r.pattern as string,
      value: r.value as number | undefined,
      users: (r.users as { account_id: string }[]).map((u) => u.account_id).sort(),
    }));
  const reviewers = async () => ((await api.must("GET", `${repoPath()}/default-reviewers`)).values as { account_id: string }[]).map((u) => u.account_id).sort();

  const PROTECTED = [
    { kind: "delete", pattern: "main", value: undefined, users: [] },
    { kind: "force", pattern: "main", value: undefined, users: [] },
    { kind: "push", pattern: "main", value: undefined, users: [USERS.alice.account_id] },
    { kind: "require_approvals_to_merge", pattern: "main", value: 2, users: [] },
    { kind: "require_default_reviewer_approvals_to_merge", pattern: "main", value: 1, users: [] },
    { kind: "require_passing_builds_to_merge", pattern: "main", value: 1, users: [] },
  ];
  const REVIEWERS = [USERS.alice.account_id, USERS.bob.account_id].sort();
  const byKind = (rules: { kind: string }[]) => [...rules].sort((a, b) => a.kind.localeCompare(b.kind));

  beforeAll(async () => {
    const cliBin = ensurePulumiCli();
    emulator = await startEmulator({ port: 0, quiet: true });
    api = new OwnerApi(emulator.apiUrl);
    // The workspace holds only what the stack manages, so drift's search for unmanaged objects finds none.
    for (const slug of await api.repositorySlugs(WS)) await api.must("DELETE", api.repoPath(WS, slug));
    stack = new PulumiStack(
      { cliBin, nodeModules },
      {
        projectYaml: "name: bitbucket-branch-protection\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
        files: { "index.ts": PROGRAM, "package.json": JSON.stringify({ name: "bitbucket-branch-protection", private: true, main: "index.ts" }) },
      },
    );
    await stack.init(
      {
        "bitbucket:apiUrl": emulator.apiUrl,
        "bitbucket:email": CREDENTIALS.owner.username,
        workspace: WS,
        releaseManager: USERS.alice.account_id,
        deployKey: DEPLOY_KEY,
      },
      { "bitbucket:apiToken": CREDENTIALS.owner.password },
    );
    await stack.setConfig("reviewers", JSON.stringify([USERS.alice.account_id, USERS.bob.account_id]));
  });

  afterAll(async () => {
    if (stack) {
      await stack.run(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
      stack.dispose();
    }
    await emulator?.stop();
  });

  test("pulumi up protects main, sets the default reviewers and the deploy key, commits CODEOWNERS; the refreshed preview is clean", async () => {
    await stack.up();
    expect(await api.must("GET", `${repoPath()}/src/main/CODEOWNERS`)).toBe(CODEOWNERS);
    expect(byKind(await restrictions())).toEqual(PROTECTED);
    expect(await reviewers()).toEqual(REVIEWERS);
    const keys = (await api.must("GET", `${repoPath()}/deploy-keys`)).values as { label: string; key: string }[];
    expect(keys.map((k) => [k.label, k.key.split(" ").slice(0, 2).join(" ")])).toEqual([["CI", DEPLOY_KEY.split(" ").slice(0, 2).join(" ")]]);

    const r = await refreshedPreview();
    expect(diffBlocks(r.output)).toEqual({});
    expect(r.code).toBe(0);
  });

  test("a restriction removed, an exemption added and a reviewer removed by hand: named by the refreshed preview (exit 7) and by drift's JUnit, restored by up", async () => {
    const live = (await api.must("GET", `${repoPath()}/branch-restrictions?pagelen=100`)).values as { id: number; kind: string }[];
    await api.must("DELETE", `${repoPath()}/branch-restrictions/${live.find((r) => r.kind === "force")!.id}`);
    const push = live.find((r) => r.kind === "push")!;
    await api.must("PUT", `${repoPath()}/branch-restrictions/${push.id}`, {
      users: [{ account_id: USERS.alice.account_id }, { account_id: USERS.bob.account_id }],
    });
    await api.call("DELETE", `${repoPath()}/default-reviewers/${encodeURIComponent(USERS.bob.account_id)}`);

    const r = await refreshedPreview();
    expect(r.code).toBe(7);
    const blocks = diffBlocks(r.output);
    expect(Object.keys(blocks).sort()).toEqual(["main-protection", "reviewers"]);
    expect(blocks["main-protection"].op).toBe("update");
    expect(blocks["main-protection"].text).toMatch(/\+ force on main\s*: \{/);
    expect(blocks["main-protection"].text).toContain(USERS.bob.account_id);
    expect(blocks.reviewers.text).toContain(USERS.bob.account_id);

    const d = await drift();
    expect(d.code).toBe(1);
    const failures = junitFailures();
    const rules = failures.filter((f) => f.test.includes("RepositoryBranchRestrictions main-protection"));
    const said = rules.map((f) => f.message).join("\n");
    expect(said).toMatch(/branch restriction force on main: restrictions\.force on main \(declared \{.*\}, live \(absent\)\)/);
    expect(said).toMatch(
      new RegExp(`branch restriction push on main: restrictions\\.push on main\\.users \\(declared \\[.*\\], live \\[.*${USERS.bob.account_id}`),
    );
    const reviewer = failures.filter((f) => f.test.includes("DefaultReviewers reviewers"));
    expect(reviewer.map((f) => f.message).join("\n")).toContain(USERS.bob.account_id);
    expect(failures).toHaveLength(rules.length + reviewer.length);

    await stack.up(["--refresh"]);
    expect(byKind(await restrictions())).toEqual(PROTECTED);
    expect(await reviewers()).toEqual(REVIEWERS);
  });

  test("after up, preview --refresh --expect-no-changes exits 0, twice (no perpetual diff); drift finds none", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await refreshedPreview();
      expect(diffBlocks(r.output)).toEqual({});
      expect(r.code).toBe(0);
    }
    const d = await drift();
    expect(d.stdout).toContain("No drift.");
    expect(d.code).toBe(0);
  });

  test("pulumi destroy deletes the restrictions and reviewers the stack declared; the repository stays (retainOnDelete)", async () => {
    await stack.ok(["destroy", "--yes", "--skip-preview"]);
    expect(await restrictions()).toEqual([]);
    expect(await reviewers()).toEqual([]);
  });

  function junitFailures(): { test: string; message: string }[] {
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["testsuite", "testcase"].includes(name) }).parse(
      fs.readFileSync(report("drift.xml"), "utf8"),
    );
    return xml.testsuites.testsuite
      .flatMap((suite: any) => suite.testcase ?? [])
      .filter((c: any) => c.failure)
      .map((c: any) => ({ test: `${c.classname} ${c.name}`, message: c.failure.message }));
  }
});
