// End to end: a committed CODEOWNERS through the real Pulumi CLI against the emulator. Changed by hand
// (a commit through the API), it is named by the refreshed preview and by `pulumi-bitbucket-cloud
// drift` (JUnit), and `up --refresh` commits the program's content back on top; no perpetual diff.
import * as fs from "fs";
import * as path from "path";
import { XMLParser } from "fast-xml-parser";
import { startEmulator } from "../../emulator";
import { CREDENTIALS } from "../../emulator/seed";
import { ensurePulumiCli, OwnerApi, plannedChanges, Program, PulumiStack, runtime } from "./helpers";

jest.setTimeout(15 * 60_000);

const WS = "acme";
const REPO = "e2e-commit-file";
const CODEOWNERS = "* @acme/platform-team\n/docs/ @acme/writers\n";

// Plain JavaScript, so a run does not pay for compiling TypeScript.
const PROGRAM: Program = {
  projectYaml: "name: bitbucket-commit-file\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
  files: {
    "package.json": JSON.stringify({ name: "bitbucket-commit-file", main: "index.js" }),
    "index.js": `const bitbucket = require("pulumi-bitbucket-cloud");
const repo = new bitbucket.Repository("repo", { workspace: "${WS}", name: "${REPO}", isPrivate: true });
const owners = new bitbucket.CommitFile("codeowners", {
  workspace: "${WS}",
  repository: repo.id,
  branch: "main",
  path: "CODEOWNERS",
  content: ${JSON.stringify(CODEOWNERS)},
  message: "CODEOWNERS from Pulumi",
  author: "Platform Bot <platform@acme.test>",
});
exports.commit = owners.commit;
`,
  },
};

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe(`CommitFile through the real Pulumi CLI (runtime: ${process.env.E2E_RUNTIME ?? "default"})`, () => {
  let emulator: Emulator;
  let api: OwnerApi;
  let stack: PulumiStack;
  const nodeModules = runtime().nodeModules;
  const junit = () => path.join(stack.root, "drift.xml");
  const repoPath = () => api.repoPath(WS, REPO);
  const fileOnMain = async () => {
    const res = await fetch(`${emulator.apiUrl}${repoPath()}/src/main/CODEOWNERS`, { headers: { authorization: ownerAuth() } });
    return res.status === 200 ? res.text() : res.status;
  };
  const ownerAuth = () => `Basic ${Buffer.from(`${CREDENTIALS.owner.username}:${CREDENTIALS.owner.password}`).toString("base64")}`;
  const mainHead = async () => (await api.must("GET", `${repoPath()}/refs/branches`)).values.find((b: { name: string }) => b.name === "main").target;

  beforeAll(async () => {
    const cliBin = ensurePulumiCli();
    emulator = await startEmulator({ port: 0, quiet: true });
    api = new OwnerApi(emulator.apiUrl);
    stack = new PulumiStack({ cliBin, nodeModules, stackName: "commit-file" }, PROGRAM);
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

  test("up commits CODEOWNERS (one commit, the program's message and author); preview --refresh --expect-no-changes exits 0 twice", async () => {
    await stack.up();
    expect(await fileOnMain()).toBe(CODEOWNERS);
    const head = await mainHead();
    expect(head).toMatchObject({ message: "CODEOWNERS from Pulumi", author: { raw: "Platform Bot <platform@acme.test>" } });
    expect((await stack.outputs()).commit).toBe(head.hash);
    for (const run of [1, 2]) expect([run, (await stack.previewRefreshExpectNoChanges()).code]).toEqual([run, 0]);
  });

  test("CODEOWNERS changed by hand: named by the refreshed preview and by drift (JUnit); up --refresh commits it back on top; then no changes, twice", async () => {
    const form = new URLSearchParams([
      ["/CODEOWNERS", "* @someone-else\n"],
      ["message", "by hand"],
    ]);
    const res = await fetch(`${emulator.apiUrl}${repoPath()}/src`, { method: "POST", headers: { authorization: ownerAuth() }, body: form });
    expect(res.status).toBe(201);
    const byHand = await mainHead();

    const preview = await stack.previewRefreshExpectNoChanges();
    expect(preview.code).not.toBe(0);
    expect(plannedChanges(preview.output)).toEqual({ codeowners: "update" });
    expect(preview.output).toMatch(/codeowners.*\[diff: ~content\]/);

    const drift = await stack.runBin(nodeModules, ["drift", "--no-unmanaged", "--junit", junit()]);
    expect(drift.code).toBe(1);
    const cases = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (n) => ["testsuite", "testcase"].includes(n) })
      .parse(fs.readFileSync(junit(), "utf8"))
      .testsuites.testsuite.flatMap((s: any) => s.testcase ?? []);
    const failed = cases.filter((c: any) => c.failure).map((c: any) => `${c.classname} ${c.name}: ${c.failure.message}`);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain("CommitFile codeowners");
    expect(failed[0]).toContain('content (declared "* @acme/platform-team');
    expect(failed[0]).toContain('live "* @someone-else');

    await stack.up(["--refresh"]);
    expect(await fileOnMain()).toBe(CODEOWNERS);
    const restored = await mainHead();
    // A new commit on top of the hand-made one: history is kept.
    expect(restored.parents.map((p: { hash: string }) => p.hash)).toEqual([byHand.hash]);
    for (const run of [1, 2]) expect([run, (await stack.previewRefreshExpectNoChanges()).code]).toEqual([run, 0]);
  });

  test("destroy commits the removal of CODEOWNERS", async () => {
    await stack.ok(["destroy", "--yes", "--skip-preview", "--target", (await stack.exportState()).match(/"urn":\s*"([^"]*CommitFile::codeowners)"/)![1]]);
    // The repository is destroyed in afterAll; until then the file is gone from main, by a commit.
    expect(await fileOnMain()).toBe(404);
    expect((await mainHead()).message).toBe("Remove CODEOWNERS");
  });
});
