// Benchmark through the real Pulumi CLI: for each shape, N and latency, a generated stack of N repositories
// (basic: each with a webhook, a group grant, a user grant and override settings; realistic: 2 webhooks,
// 4 group grants, 4 user grants and override settings; see bench/programs.ts) runs `up`, `preview`,
// `preview --refresh`, a rename of one repository (`up`) and `destroy` against the emulator, and
// reports wall time, API requests (by route, and per resource) and state bytes per resource. Beside it, the engine's
// floor: the same stack shape on a dynamic provider that makes no API call (bench/programs.ts).
// Prints a Markdown table on stdout, writes it and a JSON file under --out; progress on stderr.
// Figures only: nothing here fails on a time.
//
//   npm run bench -- --repos 20,100 --latency-ms 0,50 --out bench/results/2026-01-01-before
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "node:util";
import { CREDENTIALS, EmulatorHandle, generatedGroupSlug, generatedMember, startEmulator } from "../emulator";
import { ProgramKind, resourcesPerRepository, Shape, SHAPES } from "./programs";
import { BenchStack, StackSettings, stateSize, StateSize } from "./stack";

const REPO_ROOT = path.resolve(__dirname, "..");

const { values: flags } = parseArgs({
  options: {
    repos: { type: "string", default: "20" },
    shape: { type: "string", default: "basic" },
    "latency-ms": { type: "string", default: "0" },
    programs: { type: "string", default: "ours,floor" },
    parallel: { type: "string" },
    concurrency: { type: "string" },
    "transpile-only": { type: "boolean", default: false },
    "skip-checkpoints": { type: "boolean", default: false },
    out: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (flags.help) {
  process.stdout.write(`npm run bench -- [options]
  --repos 20,100          repository counts
  --shape basic,realistic resources per repository: basic 5 (a webhook, a group grant, a user grant, override
                          settings, and the repository), realistic 12 (2 webhooks, 4 group grants, 4 user grants, override settings, the repository)
  --latency-ms 0,50       emulator latency per API request (the floor makes no request: run once per count)
  --programs ours,floor   which stacks to run
  --parallel P            pulumi --parallel (default: the CLI's)
  --concurrency C         bitbucket:concurrency, requests in flight in the provider (default: the provider's, 8)
  --transpile-only        PULUMI_NODEJS_TRANSPILE_ONLY=true (no type check of the program)
  --skip-checkpoints      PULUMI_EXPERIMENTAL=true PULUMI_SKIP_CHECKPOINTS=true
  --out PATH              write PATH.md and PATH.json (e.g. bench/results/2026-01-01-before)
`);
  process.exit(0);
}

const numbers = (flag: string, value: string, min: number, max: number) =>
  value.split(",").map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${flag}: ${s} is not a whole number from ${min} to ${max}`);
    return n;
  });
const repoCounts = numbers("repos", flags.repos!, 1, 2000);
const latencies = numbers("latency-ms", flags["latency-ms"]!, 0, 5000);
const programs = flags.programs!.split(",") as ProgramKind[];
const shapes = flags.shape!.split(",") as Shape[];
for (const s of shapes) if (!(s in SHAPES)) throw new Error(`--shape: ${s} is neither basic nor realistic`);
const GRANTED = Math.max(...Object.values(SHAPES).map((s) => s.grants));
for (const p of programs) if (p !== "ours" && p !== "floor") throw new Error(`--programs: ${p} is neither ours nor floor`);
const parallelArgs = flags.parallel ? ["--parallel", String(numbers("parallel", flags.parallel, 1, 1000)[0])] : [];
const concurrencyConfig: Record<string, string> = flags.concurrency
  ? { "bitbucket:concurrency": String(numbers("concurrency", flags.concurrency, 1, 64)[0]) }
  : {};

// "drift --from-state": the package's drift check from the state (no preview, no program run), only for ours.
const STEPS = ["up", "preview", "preview --refresh", "drift --from-state", "rename (up)", "destroy"] as const;
type StepName = (typeof STEPS)[number];

interface StepResult {
  seconds: number;
  cpuSeconds: number | null;
  requests: number;
  requestsPerResource: number;
  byRoute: Record<string, number>;
}

interface StackResult {
  program: ProgramKind;
  shape: Shape;
  repos: number;
  resources: number;
  latencyMs: number | null;
  /** The floor has no drift step. */
  steps: Partial<Record<StepName, StepResult>>;
  state: StateSize;
}

const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function admin(emu: EmulatorHandle, method: string, pathname: string, body?: unknown): Promise<any> {
  const res = await fetch(`${emu.url}/_emulator${pathname}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`emulator admin ${method} ${pathname} → ${res.status}`);
  return res.status === 204 ? undefined : res.json();
}

async function benchStack(
  emu: EmulatorHandle,
  settings: StackSettings,
  program: ProgramKind,
  shape: Shape,
  repos: number,
  latencyMs: number | null,
): Promise<StackResult> {
  const label = `${program} ${shape} repos=${repos}${latencyMs === null ? "" : ` latency=${latencyMs}ms`}`;
  const resources = repos * resourcesPerRepository(shape);
  await admin(emu, "POST", "/reset");
  await admin(emu, "PUT", "/config", { latencyMs: latencyMs ?? 0 });
  const stack = new BenchStack(program, shape, settings);
  try {
    await stack.init(
      {
        repos: String(repos),
        groups: Array.from({ length: GRANTED }, (_, i) => generatedGroupSlug(i + 1)).join(","),
        members: Array.from({ length: GRANTED }, (_, i) => generatedMember(i + 1).account_id).join(","),
        "bitbucket:apiUrl": emu.apiUrl,
        "bitbucket:email": CREDENTIALS.owner.username,
        ...concurrencyConfig,
      },
      { "bitbucket:apiToken": CREDENTIALS.owner.password },
    );
    const steps: StackResult["steps"] = {};
    const step = async (name: StepName, args: string[], runStep = () => stack.pulumi(args)) => {
      await admin(emu, "DELETE", "/requests");
      progress(`${label}: ${name} ...`);
      const run = await runStep();
      const counters = await admin(emu, "GET", "/counters");
      steps[name] = {
        seconds: round(run.seconds, 2),
        cpuSeconds: run.cpuSeconds === null ? null : round(run.cpuSeconds, 2),
        requests: counters.total,
        requestsPerResource: round(counters.total / resources, 3),
        byRoute: counters.byRoute,
      };
      progress(`${label}: ${name} ${run.seconds.toFixed(1)} s (CPU ${run.cpuSeconds?.toFixed(1) ?? "?"} s), ${counters.total} requests`);
    };
    await step("up", ["up", "--yes", "--skip-preview", ...parallelArgs]);
    const state = stateSize((await stack.pulumi(["stack", "export"])).stdout);
    if (state.resources !== resources) throw new Error(`${label}: ${state.resources} resources in the state, expected ${resources}`);
    // A benchmark of a provider that shows phantom changes would measure the wrong work.
    await step("preview", ["preview", "--expect-no-changes", ...parallelArgs]);
    await step("preview --refresh", ["preview", "--refresh", "--expect-no-changes", ...parallelArgs]);
    if (program === "ours") await step("drift --from-state", [], () => stack.packageBin(["drift", "--from-state", "--no-unmanaged", "--stack", "bench"]));
    await stack.pulumi(["config", "set", "--plaintext", "renamed", "0"]);
    await step("rename (up)", ["up", "--yes", "--skip-preview", ...parallelArgs]);
    await step("destroy", ["destroy", "--yes", "--skip-preview", ...parallelArgs]);
    return { program, shape, repos, resources, latencyMs, steps, state };
  } finally {
    stack.dispose();
  }
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

function machine() {
  const pulumiVersion = (bin: string) => execFileSync(path.join(bin, "pulumi"), ["version"], { encoding: "utf8" }).trim();
  const cli = cliBin();
  const git = (...args: string[]) => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
  return {
    date: new Date().toISOString(),
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    // Other jobs on the machine slow every figure: say how busy it was when the run started.
    loadAverage: os.loadavg().map((l) => round(l, 1)),
    node: process.version,
    pulumiCli: pulumiVersion(cli),
    pulumiSdk: JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version,
    commit: git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain", "--untracked-files=no") ? " (with uncommitted changes)" : ""),
  };
}

let cachedCliBin: string | undefined;
function cliBin(): string {
  cachedCliBin ??= execFileSync("bash", [path.join(REPO_ROOT, "scripts", "ensure-pulumi.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
    .trim()
    .split("\n")
    .pop()!;
  return cachedCliBin;
}

function markdown(results: StackResult[], about: ReturnType<typeof machine>, options: Record<string, unknown>): string {
  const kb = (b: number) => `${(b / 1024).toFixed(2)} KB`;
  const lines = [
    `Benchmark of ${about.date.slice(0, 10)} on ${about.cores} cores (${about.cpu}, ${about.memoryGiB} GiB, load average ${about.loadAverage.join(" ")} at the start), Node ${about.node}, ` +
      `Pulumi CLI ${about.pulumiCli}, @pulumi/pulumi ${about.pulumiSdk}, commit ${about.commit}. Options: ${JSON.stringify(options)}.`,
    "",
    `Wall time / CPU time of the CLI and its processes, in seconds (API requests; API requests per resource). ` +
      `Shapes: basic, 5 resources per repository (itself included); realistic, 12. "floor": the same stack on a dynamic provider that makes no API call.`,
    "",
    `| stack | shape | repos | resources | latency | ${STEPS.join(" | ")} | state / resource | provider text / resource |`,
    `|---|---|---:|---:|---:|${STEPS.map(() => "---:").join("|")}|---:|---:|`,
  ];
  for (const r of results) {
    const cells = STEPS.map((s) => {
      if (!r.steps[s]) return "–";
      const { seconds, cpuSeconds, requests } = r.steps[s];
      const cost = r.program === "floor" ? "" : ` (${requests}; ${(requests / r.resources).toFixed(2)})`;
      return `${seconds.toFixed(1)}${cpuSeconds === null ? "" : ` / ${cpuSeconds.toFixed(1)}`}${cost}`;
    });
    const provider = `${kb(r.state.providerBytesPerResource)} (${r.state.providerCopiesPerResource}×)`;
    lines.push(
      `| ${r.program} | ${r.shape} | ${r.repos} | ${r.resources} | ${r.latencyMs === null ? "–" : `${r.latencyMs} ms`} | ${cells.join(" | ")} | ${kb(r.state.bytesPerResource)} | ${provider} |`,
    );
  }
  lines.push("", "Requests by route:", "");
  for (const r of results.filter((x) => x.program === "ours")) {
    lines.push(`- ours, ${r.shape}, ${r.repos} repos, ${r.latencyMs} ms:`);
    for (const s of STEPS) {
      const routes = Object.entries(r.steps[s]?.byRoute ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([route, n]) => `${route} ${n}`)
        .join(", ");
      lines.push(`  - ${s}: ${routes || "none"}`);
    }
  }
  return lines.join("\n") + "\n";
}

async function main() {
  const env: Record<string, string> = {};
  if (flags["transpile-only"]) env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
  if (flags["skip-checkpoints"]) Object.assign(env, { PULUMI_EXPERIMENTAL: "true", PULUMI_SKIP_CHECKPOINTS: "true" });
  const settings: StackSettings = { cliBin: cliBin(), repoRoot: REPO_ROOT, env };
  const options = {
    shapes,
    parallel: flags.parallel ?? "CLI default",
    concurrency: flags.concurrency ?? "provider default",
    transpileOnly: flags["transpile-only"],
    skipCheckpoints: flags["skip-checkpoints"],
  };
  const about = machine();
  const emu = await startEmulator({ port: 0, quiet: true, seed: { base: "empty", extraMembers: GRANTED, extraGroups: GRANTED } });
  const results: StackResult[] = [];
  try {
    for (const shape of shapes)
      for (const repos of repoCounts) {
        if (programs.includes("ours")) for (const latency of latencies) results.push(await benchStack(emu, settings, "ours", shape, repos, latency));
        if (programs.includes("floor")) results.push(await benchStack(emu, settings, "floor", shape, repos, null));
      }
  } finally {
    await emu.stop();
  }
  const table = markdown(results, about, options);
  process.stdout.write(table);
  if (flags.out) {
    fs.mkdirSync(path.dirname(flags.out), { recursive: true });
    fs.writeFileSync(`${flags.out}.md`, table);
    fs.writeFileSync(`${flags.out}.json`, JSON.stringify({ machine: about, options, results }, null, 2) + "\n");
    progress(`wrote ${flags.out}.md and ${flags.out}.json`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
