// End to end: `pulumi-bitbucket-cloud drift --code-insights` on a stack of examples/gitops-access driven
// by the real Pulumi CLI against the emulator, as in Bitbucket Pipelines (BITBUCKET_* variables) and
// GitHub Actions at once: a hand-added grant becomes a Code Insights annotation, a workflow-command
// annotation and a job summary, each at the program line that declared the resource.
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { CREDENTIALS, GROUPS } from "../../emulator/seed";
import { reportIdFor } from "../../provider/drift/insights";
import { ensurePulumiCli, GitopsAccessStack, OwnerApi, runtime } from "./helpers";

jest.setTimeout(15 * 60_000);

const WS = "acme";
const REPO = "e2e-insights";
/** The repository holding the Pulumi program, whose commit the report goes on (a seeded one). */
const PROGRAM_REPO = "platform-api";
const ACCESS = {
  workspace: WS,
  repositories: { [REPO]: { project: "PLAT", description: "Reported in Code Insights", groups: { [GROUPS.developers]: "write" } } },
};

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe(`drift --code-insights on a real stack (runtime: ${process.env.E2E_RUNTIME ?? "default"})`, () => {
  let emulator: Emulator;
  let api: OwnerApi;
  let stack: GitopsAccessStack;
  const nodeModules = runtime().nodeModules;

  beforeAll(async () => {
    const cliBin = ensurePulumiCli();
    emulator = await startEmulator({ port: 0, quiet: true });
    api = new OwnerApi(emulator.apiUrl);
    stack = new GitopsAccessStack({ cliBin, nodeModules }, ACCESS);
    await stack.init(
      { "bitbucket:apiUrl": emulator.apiUrl, "bitbucket:email": CREDENTIALS.owner.username },
      { "bitbucket:apiToken": CREDENTIALS.owner.password },
    );
    await stack.up();
  });

  afterAll(async () => {
    if (stack) {
      await stack.run(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
      stack.dispose();
    }
    await emulator?.stop();
  });

  test("a hand-added admin grant: the Code Insights annotation, the ::error line and the job summary point at the line declaring the RepositoryAccess", async () => {
    await api.must("PUT", `${api.repoPath(WS, REPO)}/permissions-config/groups/${GROUPS.contractors}`, { permission: "admin" });
    const commit: string = (await api.must("GET", `${api.repoPath(WS, PROGRAM_REPO)}/commits`)).values[0].hash;
    const summary = path.join(stack.root, "summary.md");
    const r = await stack.runBin(nodeModules, ["drift", "--code-insights", "--no-unmanaged"], {
      BITBUCKET_WORKSPACE: WS,
      BITBUCKET_REPO_SLUG: PROGRAM_REPO,
      BITBUCKET_COMMIT: commit,
      // The checkout holds the Pulumi project in its folder `project/`.
      BITBUCKET_CLONE_DIR: stack.root,
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: stack.root,
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(r.stderr).toContain("published Code Insights report");
    expect(r.code).toBe(1);

    // The line of the program that declares the grants (`new bitbucket.RepositoryAccess(...)`).
    const program = fs.readFileSync(path.join(stack.projectDir, "index.ts"), "utf8").split("\n");
    const declaring = program.findIndex((line) => line.includes("new bitbucket.RepositoryAccess(")) + 1;
    expect(declaring).toBeGreaterThan(0);

    const reportPath = `${api.repoPath(WS, PROGRAM_REPO)}/commit/${commit}/reports/${reportIdFor("e2e")}`;
    const report = await api.must("GET", reportPath);
    expect(report).toMatchObject({ title: "Drift of stack e2e", report_type: "SECURITY", result: "FAILED" });
    const annotations: { summary: string; path?: string; line?: number }[] = (await api.must("GET", `${reportPath}/annotations`)).values;
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatchObject({ path: "project/index.ts", line: declaring, severity: "MEDIUM", annotation_type: "BUG" });
    // The finding names the Bitbucket object: the repository (slug, UUID) and the group (slug, name).
    const finding = `bitbucket:RepositoryAccess ${REPO}-access \\(repository acme/${REPO} \\{[0-9a-f-]+\\}[^)]*\\)?, group contractors \\(Contractors\\)\\): groups\\.contractors differs \\(declared \\(absent\\), live "admin"\\)`;
    expect(annotations[0].summary).toMatch(new RegExp(`^${finding}$`));

    expect(r.stdout).toMatch(
      new RegExp(`^::error file=project/index\\.ts,line=${declaring},title=drift%3A bitbucket%3ARepositoryAccess ${REPO}-access::${finding}$`, "m"),
    );
    const written = fs.readFileSync(summary, "utf8");
    expect(written).toContain("**Drift found**");
    expect(written).toContain("`groups.contractors`");
    expect(stack.transcript).not.toContain(CREDENTIALS.owner.password);
  });

  test("after pulumi up puts the grants back, a second run replaces the report with a PASSED one and no annotation", async () => {
    await stack.up(["--refresh"]);
    const commit: string = (await api.must("GET", `${api.repoPath(WS, PROGRAM_REPO)}/commits`)).values[0].hash;
    const r = await stack.runBin(nodeModules, ["drift", "--code-insights", "--no-unmanaged", "--repository", `${WS}/${PROGRAM_REPO}`, "--commit", commit]);
    expect(r.code).toBe(0);
    const reportPath = `${api.repoPath(WS, PROGRAM_REPO)}/commit/${commit}/reports/${reportIdFor("e2e")}`;
    expect(await api.must("GET", reportPath)).toMatchObject({ result: "PASSED" });
    expect((await api.must("GET", `${reportPath}/annotations`)).values).toEqual([]);
  });
});
