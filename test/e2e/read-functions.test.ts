// The read functions through the real Pulumi CLI: examples/repository-facts, a program with no
// resources whose stack outputs come from getRepository, getBranches and getPullRequests, against the
// emulator's seed; credentials from the stack config, the token a secret; and with no credentials at
// all against a public repository.
import * as path from "path";
import { startEmulator } from "../../emulator";
import { CREDENTIALS } from "../../emulator/seed";
import { ensurePulumiCli, OwnerApi, QuickstartStack, REPO_ROOT, runtime } from "./helpers";

jest.setTimeout(10 * 60_000);

describe(`read functions through the real Pulumi CLI (runtime: ${process.env.E2E_RUNTIME ?? "default"})`, () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let stack: QuickstartStack;

  beforeAll(async () => {
    const cliBin = ensurePulumiCli();
    emulator = await startEmulator({ port: 0, quiet: true });
    stack = new QuickstartStack({ cliBin, nodeModules: runtime().nodeModules, programDir: path.join(REPO_ROOT, "examples", "repository-facts") });
    await stack.init(
      { repository: "acme/platform-api", "bitbucket:apiUrl": emulator.apiUrl, "bitbucket:email": CREDENTIALS.owner.username },
      { "bitbucket:apiToken": CREDENTIALS.owner.password },
    );
  });

  afterAll(async () => {
    stack?.dispose();
    await emulator?.stop();
  });

  test("pulumi up: the stack outputs are what Bitbucket holds, and nothing was written", async () => {
    const api = new OwnerApi(emulator.apiUrl);
    await fetch(`${emulator.url}/_emulator/requests`, { method: "DELETE" });
    await stack.up();
    const out = await stack.outputs();
    const live = await api.must("GET", "/repositories/acme/platform-api");
    const branches = await api.must("GET", "/repositories/acme/platform-api/refs/branches");
    expect(out).toEqual({
      fullName: "acme/platform-api",
      uuid: live.uuid,
      forksCount: (await api.must("GET", "/repositories/acme/platform-api/forks")).size,
      watchersCount: (await api.must("GET", "/repositories/acme/platform-api/watchers")).size,
      mainBranch: "main",
      branchNames: branches.values.map((b: { name: string }) => b.name),
      lastCommitOnMain: branches.values.find((b: { name: string }) => b.name === "main").target.hash,
      openPullRequests: ["#2 API work"],
      workspaceName: "Acme",
    });
    expect(out.forksCount).toBe(1);
    expect(out.watchersCount).toBe(3);
    const log = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as { method: string }[];
    expect(log.filter((r) => r.method !== "GET")).toEqual([]);
    expect(stack.transcript).not.toContain(CREDENTIALS.owner.password);
  });

  test("a missing repository fails the preview with an error naming it", async () => {
    await stack.setConfig("repository", "https://bitbucket.org/acme/no-such-repo");
    // Ends by itself (a killed run has code -1), with the message and no stack trace.
    const r = await stack.run(["preview"], { timeoutMs: 120_000 });
    expect(r.code).toBeGreaterThan(0);
    expect(r.output).toMatch(
      /error: Bitbucket API GET http:\/\/127\.0\.0\.1:\d+\/2\.0\/repositories\/acme\/no-such-repo failed with 404: Repository acme\/no-such-repo was not found/,
    );
    expect(r.output).not.toMatch(/at missingRepository|node_modules/);
  });

  test("with no credentials configured: a public repository's facts are read anonymously; a private one fails naming the credentials to set", async () => {
    const anonymous = new QuickstartStack({
      cliBin: ensurePulumiCli(),
      nodeModules: runtime().nodeModules,
      programDir: path.join(REPO_ROOT, "examples", "repository-facts"),
      stackName: "anonymous",
    });
    try {
      await anonymous.init({ repository: "acme/website", "bitbucket:apiUrl": emulator.apiUrl }, {});
      await fetch(`${emulator.url}/_emulator/requests`, { method: "DELETE" });
      await anonymous.up();
      // Within the anonymous budget (60 an hour): the repository and its two counts, branches, pull requests.
      const log = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as { method: string; status: number }[];
      expect(log.map((r) => `${r.method} ${r.status}`)).toEqual(Array(5).fill("GET 200"));
      const out = await anonymous.outputs();
      expect(out).toMatchObject({ fullName: "acme/website", mainBranch: "main", workspaceName: "Acme", forksCount: 1 });
      await anonymous.setConfig("repository", "acme/platform-api");
      const r = await anonymous.run(["preview"], { timeoutMs: 120_000 });
      expect(r.code).toBeGreaterThan(0);
      expect(r.output).toMatch(/Repository acme\/platform-api is private or does not exist; reading it needs credentials: set bitbucket:email/);
    } finally {
      anonymous.dispose();
    }
  });
});
