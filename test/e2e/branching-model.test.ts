// End to end through the real Pulumi CLI: a repository's and a project's branching model and a
// project's default reviewers. No perpetual diff (the Terraform provider's #23, #103, #207): after
// `up`, `preview --refresh --expect-no-changes` exits 0, twice. A change by hand is named by the
// refreshed preview and put back by `up --refresh`; destroy restores Bitbucket's defaults.
import { startEmulator } from "../../emulator";
import { CREDENTIALS, USERS } from "../../emulator/seed";
import { diffBlocks, ensurePulumiCli, OwnerApi, Program, PulumiStack, runtime } from "./helpers";

jest.setTimeout(15 * 60_000);

const WS = "acme";
const REPO = "e2e-branching";
const PROJECT = "WEB";

const PROGRAM: Program = {
  projectYaml: "name: bitbucket-branching\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
  files: {
    "package.json": JSON.stringify({ name: "bitbucket-branching", main: "index.js" }),
    "index.js": `const bitbucket = require("pulumi-bitbucket-cloud");
const repo = new bitbucket.Repository("repo", { workspace: "${WS}", name: "${REPO}", projectKey: "PLAT" });
new bitbucket.OverrideSettings("overrides", { workspace: "${WS}", repository: repo.id, branchingModel: true });
new bitbucket.BranchingModel("model", {
  workspace: "${WS}",
  repository: repo.id,
  productionBranch: "main",
  branchTypes: { feature: "feat/", hotfix: "hotfix/" },
  defaultBranchDeletion: true,
});
new bitbucket.ProjectBranchingModel("project-model", { workspace: "${WS}", project: "${PROJECT}", developmentBranch: "develop" });
new bitbucket.ProjectDefaultReviewers("project-reviewers", { workspace: "${WS}", project: "${PROJECT}", users: ["${USERS.alice.account_id}"] });
`,
  },
};

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe(`branching models through the real Pulumi CLI (runtime: ${process.env.E2E_RUNTIME ?? "default"})`, () => {
  let emulator: Emulator;
  let api: OwnerApi;
  let stack: PulumiStack;
  const settings = () => `${api.repoPath(WS, REPO)}/branching-model/settings`;
  const projectSettings = `/workspaces/${WS}/projects/${PROJECT}/branching-model/settings`;
  const refreshedPreview = () => stack.run(["preview", "--refresh", "--expect-no-changes", "--diff"]);

  beforeAll(async () => {
    const cliBin = ensurePulumiCli();
    emulator = await startEmulator({ port: 0, quiet: true });
    api = new OwnerApi(emulator.apiUrl);
    stack = new PulumiStack({ cliBin, nodeModules: runtime().nodeModules, stackName: "branching" }, PROGRAM);
    await stack.init(
      { "bitbucket:apiUrl": emulator.apiUrl, "bitbucket:email": CREDENTIALS.owner.username },
      { "bitbucket:apiToken": CREDENTIALS.owner.password },
    );
  });

  afterAll(async () => {
    if (stack) {
      await stack.run(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
      stack.dispose();
    }
    await emulator?.stop();
  });

  test("up sets the models and the reviewers; the refreshed preview then exits 0, twice (no perpetual diff)", async () => {
    await stack.up();
    const model = await api.must("GET", settings());
    expect(model.production).toEqual({ use_mainbranch: false, name: "main", enabled: true, is_valid: true });
    expect(model.branch_types.filter((t: any) => t.enabled).map((t: any) => [t.kind, t.prefix])).toEqual([
      ["feature", "feat/"],
      ["hotfix", "hotfix/"],
    ]);
    expect(model.default_branch_deletion).toBe("true");
    expect((await api.must("GET", projectSettings)).development).toEqual({ use_mainbranch: false, name: "develop", is_valid: true });
    const effective = await api.must("GET", `${api.repoPath(WS, REPO)}/effective-branching-model`);
    expect(effective.production).toEqual({ name: "main", use_mainbranch: false });

    for (const _ of [1, 2]) {
      const r = await refreshedPreview();
      expect(diffBlocks(r.output)).toEqual({});
      expect(r.code).toBe(0);
    }
  });

  test("changes by hand (a type enabled, deletion off, a project reviewer added) are named by the refreshed preview and put back by up --refresh", async () => {
    await api.must("PUT", settings(), { branch_types: [{ kind: "release", enabled: true }], default_branch_deletion: "false" });
    await api.must("PUT", `/workspaces/${WS}/projects/${PROJECT}/default-reviewers/${USERS.bob.account_id}`);

    const r = await refreshedPreview();
    expect(r.code).toBe(7);
    const blocks = diffBlocks(r.output);
    expect(Object.keys(blocks).sort()).toEqual(["model", "project-reviewers"]);
    expect(blocks.model.text).toMatch(/release/);
    expect(blocks.model.text).toMatch(/defaultBranchDeletion/);
    expect(blocks["project-reviewers"].text).toContain(USERS.bob.account_id);

    await stack.up(["--refresh"]);
    const model = await api.must("GET", settings());
    expect(model.branch_types.find((t: any) => t.kind === "release").enabled).toBe(false);
    expect(model.default_branch_deletion).toBe("true");
    const clean = await refreshedPreview();
    expect(diffBlocks(clean.output)).toEqual({});
    expect(clean.code).toBe(0);
  });

  test("destroy restores Bitbucket's defaults on the project and removes the project's reviewers", async () => {
    await stack.ok(["destroy", "--yes", "--skip-preview"]);
    const project = await api.must("GET", projectSettings);
    expect(project.development).toEqual({ use_mainbranch: true, is_valid: true });
    expect(project.branch_types.every((t: any) => t.enabled)).toBe(true);
    expect((await api.must("GET", `/workspaces/${WS}/projects/${PROJECT}/default-reviewers`)).values).toEqual([]);
  });
});
