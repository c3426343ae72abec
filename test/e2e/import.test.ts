// Round trip through the real CLIs: a workspace of 50 repositories with varied settings, webhooks,
// grants, override settings and forks; `pulumi-bitbucket-cloud import` writes a project; `pulumi up`
// takes everything over, its only writes the secrets of webhooks that have one (Bitbucket never shows
// them); `pulumi preview --refresh --expect-no-changes` is clean; `pulumi destroy` leaves every object
// in Bitbucket. Each step prints its time and requests.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { CREDENTIALS } from "../../emulator/seed";
import { ensurePulumiCli, OwnerApi, plannedChanges, PulumiStack, runtime } from "./helpers";

jest.setTimeout(40 * 60_000);

const WS = "acme";
// 45 generated repositories and 5 forks: 50.
const REPOSITORIES = 45;
const FORKS = 5;
const STEP_TIMEOUT_MS = 15 * 60_000;

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type LoggedRequest = { method: string; route: string | null; status: number };

/** The write requests (anything but GET and HEAD), counted by route. */
function writesOf(requests: LoggedRequest[]): Record<string, number> {
  const byRoute: Record<string, number> = {};
  for (const r of requests) if (r.method !== "GET" && r.method !== "HEAD") byRoute[`${r.method} ${r.route}`] = (byRoute[`${r.method} ${r.route}`] ?? 0) + 1;
  return byRoute;
}

/**
 * The emulator's generated repositories (varied settings; 0-2 webhooks, some inactive, some with a
 * secret `secret-<slug>`; group and user grants; override settings), plus forks of the public ones
 * that allow forks (every sixth), made through the API as their owner would have.
 */
async function addForks(api: OwnerApi): Promise<void> {
  for (let f = 1; f <= FORKS; f++) {
    const parent = `generated-${String(6 * f).padStart(3, "0")}`;
    await api.must("POST", `${api.repoPath(WS, parent)}/forks`, { name: `${parent}-fork`, workspace: { slug: WS } });
  }
}

/** Runs `node <bin> import ...` (the package's installed command line) and resolves with its exit code and output. */
function runImportCli(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "import", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe(`import a workspace of ${REPOSITORIES + FORKS} repositories, then up, refreshed preview and destroy through the real CLI`, () => {
  let emulator: Emulator;
  let api: OwnerApi;
  let stack: PulumiStack;
  let importDir: string;
  let slugsBefore: string[];
  let hooksBefore: number;
  /** The repositories whose (first) webhook has a secret. */
  let secretHooks: string[];
  const figures: string[] = [];

  const admin = async (method: string, route: string) => {
    const res = await fetch(`${emulator.url}/_emulator${route}`, { method });
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  };

  /** Runs one step with a clean request log; records its time and requests; returns the step's result and requests. */
  async function step<T>(name: string, run: () => Promise<T>): Promise<{ result: T; requests: LoggedRequest[] }> {
    await admin("DELETE", "/requests");
    const started = Date.now();
    const result = await run();
    const seconds = (Date.now() - started) / 1000;
    const requests: LoggedRequest[] = await admin("GET", "/requests");
    const writes = writesOf(requests);
    const count = Object.values(writes).reduce((n, k) => n + k, 0);
    figures.push(
      `${name.padEnd(48)} ${seconds.toFixed(1).padStart(6)} s  ${String(requests.length).padStart(4)} requests  ${count} writes` +
        (count ? ` ${JSON.stringify(writes)}` : ""),
    );
    return { result, requests };
  }

  /** Runs `pulumi <args>` (long steps get a long timeout) and fails with its output unless it exits 0. */
  async function pulumi(args: string[]) {
    const r = await stack.run(args, { timeoutMs: STEP_TIMEOUT_MS });
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}:\n${r.output}`);
    return r;
  }

  beforeAll(async () => {
    const rt = runtime();
    const cliBin = ensurePulumiCli();
    emulator = await startEmulator({ port: 0, seed: { base: "empty", extraRepositories: REPOSITORIES }, quiet: true });
    api = new OwnerApi(emulator.apiUrl);
    await addForks(api);
    slugsBefore = await api.repositorySlugs(WS);
    expect(slugsBefore).toHaveLength(REPOSITORIES + FORKS);
    const hooks = await listHooks(slugsBefore);
    hooksBefore = hooks.length;
    secretHooks = hooks.filter((h) => h.hook.secret_set).map((h) => h.slug);
    expect(secretHooks.length).toBeGreaterThan(0);

    // The package's command line as this runtime has it installed (a link to this repository, or the packed package).
    const bin = path.join(rt.nodeModules, "pulumi-bitbucket-cloud", "dist", "provider", "cli", "index.js");
    const outDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bb-import-e2e-")), "acme");
    const env = {
      PATH: process.env.PATH,
      BITBUCKET_API_URL: emulator.apiUrl,
      BITBUCKET_EMAIL: CREDENTIALS.owner.username,
      BITBUCKET_API_TOKEN: CREDENTIALS.owner.password,
    };
    const { result } = await step("import", () => runImportCli(bin, ["--workspace", WS, "--out", outDir], env));
    if (result.code !== 0) throw new Error(`import exited ${result.code}:\n${result.stderr}`);
    // The stack runs in its own directory with the written files.
    const written = Object.fromEntries(fs.readdirSync(outDir).map((f) => [f, fs.readFileSync(path.join(outDir, f), "utf8")]));
    fs.rmSync(path.dirname(outDir), { recursive: true, force: true });
    const { "Pulumi.yaml": projectYaml, ...files } = written;
    stack = new PulumiStack({ cliBin, nodeModules: rt.nodeModules, stackName: WS }, { projectYaml, files });
    importDir = stack.projectDir;
  });

  afterAll(async () => {
    console.log(`import round trip (${REPOSITORIES + FORKS} repositories, runtime ${runtime().name}):\n  ${figures.join("\n  ")}`);
    stack?.dispose();
    await emulator?.stop();
  });

  async function listHooks(slugs: string[]): Promise<{ slug: string; hook: any }[]> {
    const pages = await Promise.all(slugs.map((slug) => api.must("GET", `${api.repoPath(WS, slug)}/hooks?pagelen=100`)));
    return pages.flatMap((page, i) => page.values.map((hook: any) => ({ slug: slugs[i], hook })));
  }
  const countHooks = async (slugs: string[]) => (await listHooks(slugs)).length;

  test("import writes a project declaring every repository, fork, webhook, grant and override setting", () => {
    const program = fs.readFileSync(path.join(importDir, "index.ts"), "utf8");
    expect(program.match(/new bitbucket\.Repository\(/g)).toHaveLength(REPOSITORIES);
    expect(program.match(/new bitbucket\.Fork\(/g)).toHaveLength(FORKS);
    expect(program.match(/new bitbucket\.Webhook\(/g)).toHaveLength(hooksBefore);
    expect(program.match(/config\.requireSecret\(/g)).toHaveLength(secretHooks.length);
    expect(program).not.toMatch(/secret-generated-/);
  });

  test("pulumi up takes everything over, writing only the secrets of the webhooks that have one", async () => {
    await stack.init(
      { "bitbucket:apiUrl": emulator.apiUrl, "bitbucket:email": CREDENTIALS.owner.username },
      { "bitbucket:apiToken": CREDENTIALS.owner.password },
    );
    // The README lists each webhook secret to set; the test knows them because it made them.
    const readme = fs.readFileSync(path.join(importDir, "README.md"), "utf8");
    const keys = [...readme.matchAll(/^pulumi config set --secret ((generated-\d+)-webhook-1-secret) /gm)];
    expect(keys.map(([, , slug]) => slug).sort()).toEqual([...secretHooks].sort());
    for (const [, key, slug] of keys) await stack.setConfig(key, `secret-${slug}`, true);

    const { requests } = await step("pulumi up", () => pulumi(["up", "--yes", "--skip-preview"]));
    // The one write taking over requires: a hook's secret, which Bitbucket never shows, is set to the one given.
    expect(writesOf(requests)).toEqual({ "PUT /repositories/{workspace}/{repo_slug}/hooks/{uid}": secretHooks.length });
    const changes = await stack.lastChanges();
    expect(changes.create).toBeGreaterThan(REPOSITORIES + FORKS + hooksBefore);
    expect(await api.repositorySlugs(WS)).toEqual(slugsBefore);
    expect(await countHooks(slugsBefore)).toBe(hooksBefore);
  });

  test("pulumi preview --refresh --expect-no-changes then exits 0", async () => {
    const { result, requests } = await step("pulumi preview --refresh --expect-no-changes", () =>
      stack.run(["preview", "--refresh", "--expect-no-changes"], { timeoutMs: STEP_TIMEOUT_MS }),
    );
    expect(plannedChanges(result.output)).toEqual({});
    // Nor does the refresh show any argument as changed (create-only ones such as adopt included).
    expect(result.output.split("\n").filter((line) => /\brefresh\s+\[diff: /.test(line))).toEqual([]);
    expect(result.code).toBe(0);
    expect(writesOf(requests)).toEqual({});
  });

  test("pulumi destroy leaves every repository, webhook and grant in Bitbucket", async () => {
    const grantsBefore = await api.must("GET", `${api.repoPath(WS, "generated-002")}/permissions-config/groups`);
    const { requests } = await step("pulumi destroy", () => pulumi(["destroy", "--yes", "--skip-preview"]));
    expect(writesOf(requests)).toEqual({});
    expect(await api.repositorySlugs(WS)).toEqual(slugsBefore);
    expect(await countHooks(slugsBefore)).toBe(hooksBefore);
    expect(await api.must("GET", `${api.repoPath(WS, "generated-002")}/permissions-config/groups`)).toEqual(grantsBefore);
  });
});
