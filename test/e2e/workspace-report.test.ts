// examples/workspace-report through the real Pulumi CLI against the emulator's default seed: one
// `pulumi up` (reads only) whose outputs are, per repository, its forks, watchers, open pull requests,
// main branch and last commit on it; each compared with what the API answers directly.
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { CREDENTIALS, REPOSITORIES } from "../../emulator/seed";
import { ensurePulumiCli, OwnerApi, PulumiStack, REPO_ROOT, runtime } from "./helpers";

jest.setTimeout(15 * 60_000);

const WS = "acme";
const EXAMPLE = path.join(REPO_ROOT, "examples", "workspace-report");

describe("examples/workspace-report through the real Pulumi CLI", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let api: OwnerApi;
  let stack: PulumiStack;

  beforeAll(async () => {
    const rt = runtime();
    const cliBin = ensurePulumiCli();
    emulator = await startEmulator({ port: 0, quiet: true });
    api = new OwnerApi(emulator.apiUrl);
    const files = Object.fromEntries(["index.ts", "package.json", "tsconfig.json"].map((f) => [f, fs.readFileSync(path.join(EXAMPLE, f), "utf8")]));
    stack = new PulumiStack({ cliBin, nodeModules: rt.nodeModules }, { projectYaml: fs.readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8"), files });
    await stack.init(
      { workspace: WS, "bitbucket:apiUrl": emulator.apiUrl, "bitbucket:email": CREDENTIALS.owner.username },
      { "bitbucket:apiToken": CREDENTIALS.owner.password },
    );
  });

  afterAll(async () => {
    stack?.dispose();
    await emulator?.stop();
  });

  test("reports every repository of the workspace with what the API says of it", async () => {
    await stack.up();
    const { repositories, totals } = await stack.outputs();
    const slugs = await api.repositorySlugs(WS);
    expect(Object.keys(repositories).sort()).toEqual(slugs);

    for (const slug of slugs) {
      const repoPath = api.repoPath(WS, slug);
      const [repo, forks, watchers, open] = await Promise.all([
        api.must("GET", repoPath),
        api.must("GET", `${repoPath}/forks?pagelen=1`),
        api.must("GET", `${repoPath}/watchers?pagelen=1`),
        api.must("GET", `${repoPath}/pullrequests?state=OPEN&pagelen=50`),
      ]);
      const report = repositories[slug];
      expect(report).toMatchObject({ forks: forks.size, watchers: watchers.size, mainBranch: repo.mainbranch?.name, project: repo.project?.key });
      expect(report.openPullRequests).toEqual(open.values.map((pr: any) => `#${pr.id} ${pr.title}`));
      if (repo.mainbranch) {
        const branches = await api.must("GET", `${repoPath}/refs/branches?pagelen=100`);
        const main = branches.values.find((b: any) => b.name === repo.mainbranch.name);
        expect(report.lastCommit).toMatchObject({ hash: main.target.hash, date: main.target.date });
      }
    }
    // The seed's platform-api: forked once, watched by three, one open pull request.
    expect(repositories[REPOSITORIES.platformApi.slug]).toMatchObject({
      forks: expect.any(Number),
      watchers: 3,
      openPullRequests: [expect.stringMatching(/^#\d+ /)],
    });
    expect(totals.repositories).toBe(slugs.length);
    expect(totals.openPullRequests).toBe(Object.values(repositories).reduce((n: number, r: any) => n + r.openPullRequests.length, 0));
  });
});
