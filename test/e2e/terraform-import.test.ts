// Coming over from Terraform through the real CLIs, for every fixture of ../shared/fixtures/terraform:
// the emulator holds exactly the objects the state names (the fixture's emulator data, taken right
// after `tofu apply`); `import --from-terraform-state` writes a project; `pulumi up` takes everything
// over, its only write the webhook secret Bitbucket cannot show; `pulumi preview --refresh
// --expect-no-changes` is clean; `pulumi destroy` (retainOnDelete) leaves every object in place.
// Each step prints its requests and writes.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { CREDENTIALS } from "../../emulator/seed";
import { ensurePulumiCli, plannedChanges, PulumiStack, runtime } from "./helpers";

jest.setTimeout(20 * 60_000);

const FIXTURES = path.resolve(__dirname, "../../../shared/fixtures/terraform");
const STEP_TIMEOUT_MS = 10 * 60_000;

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type LoggedRequest = { method: string; route: string | null; status: number };

function writesOf(requests: LoggedRequest[]): Record<string, number> {
  const byRoute: Record<string, number> = {};
  for (const r of requests) if (r.method !== "GET" && r.method !== "HEAD") byRoute[`${r.method} ${r.route}`] = (byRoute[`${r.method} ${r.route}`] ?? 0) + 1;
  return byRoute;
}

function runCli(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** What the emulator holds that a take-over could change: repositories with their settings, hooks (secrets included), grants and override settings; projects with their grants. */
function estate(dataFile: string) {
  const data = JSON.parse(fs.readFileSync(dataFile, "utf8"));
  const repositories = data.repositories.map((r: any) => ({
    slug: r.slug,
    uuid: r.uuid,
    name: r.name,
    settings: [r.description, r.is_private, r.fork_policy, r.language, r.website, r.projectKey, r.parentUuid],
    hooks: r.hooks.map((h: any) => [h.uuid, h.url, h.description, h.active, [...h.events].sort(), h.secret]),
    groups: r.groupPermissions,
    users: r.userPermissions,
    overrideSettings: r.overrideSettings,
  }));
  const projects = data.workspaces.flatMap((w: any) =>
    w.projects.map((p: any) => ({
      workspace: w.slug,
      key: p.key,
      name: p.name,
      description: p.description,
      isPrivate: p.is_private,
      groups: p.groupPermissions,
      users: p.userPermissions,
    })),
  );
  return { repositories, projects };
}

const fixtures = fs.readdirSync(FIXTURES).filter((name) => fs.existsSync(path.join(FIXTURES, name, "terraform.tfstate")));

test("there are fixtures to run", () => {
  expect(fixtures.length).toBeGreaterThan(0);
});

describe.each(fixtures)("fixture %s: import --from-terraform-state, then up, refreshed preview and destroy through the real CLI", (fixture) => {
  const stateFile = path.join(FIXTURES, fixture, "terraform.tfstate");
  let emulator: Emulator;
  let dataFile: string;
  let stack: PulumiStack;
  let projectDir: string;
  let importOutput: string;
  let before: ReturnType<typeof estate>;
  let tmp: string;
  const figures: string[] = [];

  const admin = async (method: string, route: string) => {
    const res = await fetch(`${emulator.url}/_emulator${route}`, { method });
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  };

  async function step<T>(name: string, run: () => Promise<T>): Promise<{ result: T; requests: LoggedRequest[] }> {
    await admin("DELETE", "/requests");
    const result = await run();
    const requests: LoggedRequest[] = await admin("GET", "/requests");
    const writes = writesOf(requests);
    const count = Object.values(writes).reduce((n, k) => n + k, 0);
    figures.push(`${name.padEnd(48)} ${String(requests.length).padStart(4)} requests  ${count} writes${count ? ` ${JSON.stringify(writes)}` : ""}`);
    return { result, requests };
  }

  async function pulumi(args: string[]) {
    const r = await stack.run(args, { timeoutMs: STEP_TIMEOUT_MS });
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}:\n${r.output}`);
    return r;
  }

  beforeAll(async () => {
    const rt = runtime();
    const cliBin = ensurePulumiCli();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bb-tf-import-e2e-"));
    // The emulator writes to its data file: a copy.
    dataFile = path.join(tmp, "emulator-data.json");
    fs.copyFileSync(path.join(FIXTURES, fixture, "emulator-data.json"), dataFile);
    emulator = await startEmulator({ port: 0, dataFile, quiet: true });
    before = estate(dataFile);

    const bin = path.join(rt.nodeModules, "pulumi-bitbucket-cloud", "dist", "provider", "cli", "index.js");
    const outDir = path.join(tmp, "out");
    const env = {
      PATH: process.env.PATH,
      BITBUCKET_API_URL: emulator.apiUrl,
      BITBUCKET_EMAIL: CREDENTIALS.owner.username,
      BITBUCKET_API_TOKEN: CREDENTIALS.owner.password,
    };
    const { result } = await step("import --from-terraform-state", () => runCli(bin, ["import", "--from-terraform-state", stateFile, "--out", outDir], env));
    if (result.code !== 0) throw new Error(`import exited ${result.code}:\n${result.stderr}`);
    importOutput = result.stderr;
    const written = Object.fromEntries(fs.readdirSync(outDir).map((f) => [f, fs.readFileSync(path.join(outDir, f), "utf8")]));
    fs.rmSync(outDir, { recursive: true, force: true });
    const { "Pulumi.yaml": projectYaml, ...files } = written;
    stack = new PulumiStack({ cliBin, nodeModules: rt.nodeModules, stackName: fixture }, { projectYaml, files });
    projectDir = stack.projectDir;
  });

  afterAll(async () => {
    console.log(`terraform import round trip (fixture ${fixture}, runtime ${runtime().name}):\n  ${figures.join("\n  ")}`);
    stack?.dispose();
    await emulator?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** The hooks' secrets the state keeps, by the config key the README names (read as `jq` would). */
  function stateSecrets(): Map<string, string> {
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    const readme = fs.readFileSync(path.join(projectDir, "README.md"), "utf8");
    const secrets = new Map<string, string>();
    for (const [, key, repository, url] of readme.matchAll(/^pulumi config set --secret (\S+-secret) +# (\S+): (\S+)$/gm)) {
      const hook = state.resources
        .filter((r: any) => r.type === "bitbucket_hook")
        .flatMap((r: any) => r.instances)
        .find((i: any) => `${i.attributes.owner}/${i.attributes.repository}` === repository && i.attributes.url === url);
      secrets.set(key, hook.attributes.secret);
    }
    return secrets;
  }

  test("no file the import writes holds a secret of the state", () => {
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    const plaintext = state.resources.flatMap((r: any) =>
      r.instances.flatMap((i: any) => (typeof i.attributes.secret === "string" && i.attributes.secret ? [i.attributes.secret] : [])),
    );
    expect(plaintext.length).toBeGreaterThan(0);
    for (const file of fs.readdirSync(projectDir)) {
      if (fs.statSync(path.join(projectDir, file)).isDirectory()) continue;
      const text = fs.readFileSync(path.join(projectDir, file), "utf8");
      for (const secret of plaintext) expect(text).not.toContain(secret);
    }
    expect(importOutput).toMatch(/secrets to set/);
  });

  test("pulumi up takes everything over, writing only the webhook secrets Bitbucket cannot show", async () => {
    await stack.init(
      { "bitbucket:apiUrl": emulator.apiUrl, "bitbucket:email": CREDENTIALS.owner.username },
      { "bitbucket:apiToken": CREDENTIALS.owner.password },
    );
    const secrets = stateSecrets();
    expect(secrets.size).toBeGreaterThan(0);
    for (const [key, value] of secrets) await stack.setConfig(key, value, true);
    expect(fs.readFileSync(path.join(projectDir, `Pulumi.${fixture}.yaml`), "utf8")).not.toContain([...secrets.values()][0]);

    const { requests } = await step("pulumi up", () => pulumi(["up", "--yes", "--skip-preview"]));
    expect(writesOf(requests)).toEqual({ "PUT /repositories/{workspace}/{repo_slug}/hooks/{uid}": secrets.size });
    expect(estate(dataFile)).toEqual(before);
  });

  test("pulumi preview --refresh --expect-no-changes then exits 0", async () => {
    const { result, requests } = await step("pulumi preview --refresh --expect-no-changes", () =>
      stack.run(["preview", "--refresh", "--expect-no-changes"], { timeoutMs: STEP_TIMEOUT_MS }),
    );
    expect(plannedChanges(result.output)).toEqual({});
    expect(result.output.split("\n").filter((line) => /\brefresh\s+\[diff: /.test(line))).toEqual([]);
    expect(result.code).toBe(0);
    expect(writesOf(requests)).toEqual({});
  });

  test("pulumi destroy (retainOnDelete) leaves every object in Bitbucket", async () => {
    const { requests } = await step("pulumi destroy", () => pulumi(["destroy", "--yes", "--skip-preview"]));
    expect(writesOf(requests)).toEqual({});
    expect(estate(dataFile)).toEqual(before);
  });
});
