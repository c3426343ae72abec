// One benchmark stack: a generated project (bench/programs.ts) in a temporary directory, on a local
// file backend with a passphrase, driven by the real Pulumi CLI. Each CLI run is timed; a run that
// fails throws with the CLI's output (a benchmark reports figures, but never figures of a failure).
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProgramKind, Shape, writeProject } from "./programs";

export interface StackSettings {
  cliBin: string;
  /** This checkout: its node_modules and its built package. */
  repoRoot: string;
  /** Extra environment for every CLI run (e.g. PULUMI_NODEJS_TRANSPILE_ONLY, PULUMI_SKIP_CHECKPOINTS). */
  env: Record<string, string>;
}

export interface Run {
  seconds: number;
  /** CPU time of the CLI and every process it ran (program, plugins), or null off Linux. */
  cpuSeconds: number | null;
  stdout: string;
}

/**
 * CPU seconds of this process's waited-for children (cutime + cstime of /proc/self/stat), which
 * include their own waited-for children: less disturbed than wall time on a busy machine.
 */
function childrenCpuSeconds(): number | null {
  try {
    const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    // After "pid (comm) ", cutime and cstime (fields 16 and 17 in proc(5)) are at 13 and 14, in clock ticks (100/s).
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

export class BenchStack {
  readonly root: string;
  readonly projectDir: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly kind: ProgramKind,
    shape: Shape,
    settings: StackSettings,
  ) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), `bb-bench-${kind}-`));
    this.projectDir = path.join(this.root, "project");
    const backendDir = path.join(this.root, "backend");
    fs.mkdirSync(this.projectDir);
    fs.mkdirSync(backendDir);
    writeProject(this.projectDir, kind, shape, settings.repoRoot);
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      // Credentials come from the stack config only; Pulumi settings only from this benchmark.
      if (!k.startsWith("BITBUCKET_") && !k.startsWith("PULUMI_")) env[k] = v;
    }
    this.env = {
      ...env,
      PATH: `${settings.cliBin}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_BACKEND_URL: `file://${backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: "bench-passphrase",
      PULUMI_HOME: path.join(this.root, "pulumi-home"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      NO_COLOR: "1",
      ...settings.env,
    };
  }

  /** Runs `pulumi <args>` in the project directory and times it; throws on a non-zero exit. */
  pulumi(args: string[], stdin = ""): Promise<Run> {
    return this.run("pulumi", [...args, "--non-interactive", "--color", "never"], stdin);
  }

  /** Runs the package's command line (`pulumi-bitbucket-cloud <args>`) as installed in the project, timed likewise. */
  packageBin(args: string[]): Promise<Run> {
    return this.run(process.execPath, [path.join(this.projectDir, "node_modules", "pulumi-bitbucket-cloud", "dist", "provider", "cli", "index.js"), ...args]);
  }

  private run(command: string, args: string[], stdin = ""): Promise<Run> {
    return new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const cpuBefore = childrenCpuSeconds();
      const child = spawn(command, args, { cwd: this.projectDir, env: this.env });
      child.stdin.end(stdin);
      let stdout = "";
      let output = "";
      child.stdout.on("data", (d) => {
        stdout += d;
        output += d;
      });
      child.stderr.on("data", (d) => (output += d));
      child.on("error", reject);
      child.on("close", (code) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const cpuAfter = childrenCpuSeconds();
        const cpuSeconds = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
        if (code === 0) resolve({ seconds, cpuSeconds, stdout });
        else reject(new Error(`${path.basename(command)} ${args.join(" ")} exited ${code} in ${this.projectDir}:\n${output.slice(-4000)}`));
      });
    });
  }

  async init(config: Record<string, string>, secrets: Record<string, string>): Promise<void> {
    await this.pulumi(["stack", "init", "bench"]);
    for (const [k, v] of Object.entries(config)) await this.pulumi(["config", "set", "--plaintext", k, v]);
    for (const [k, v] of Object.entries(secrets)) await this.pulumi(["config", "set", "--secret", k], v);
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

export interface StateSize {
  /** Resources of the dynamic provider in the state. */
  resources: number;
  /** Bytes of one resource's state entry (compact JSON), on average. */
  bytesPerResource: number;
  /** Of those, bytes of the serialized provider (`__provider` in inputs and outputs together). */
  providerBytesPerResource: number;
  /** How many copies of `__provider` one resource stores. */
  providerCopiesPerResource: number;
  /** Bytes of the whole `pulumi stack export`, per resource. */
  exportBytesPerResource: number;
}

/** Measures the state of `pulumi stack export`. */
export function stateSize(exported: string): StateSize {
  const deployment = JSON.parse(exported).deployment;
  const dynamic = (deployment.resources ?? []).filter((r: any) => String(r.type).startsWith("pulumi-nodejs:dynamic"));
  const bytes = (v: unknown) => (v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v)));
  let total = 0;
  let provider = 0;
  let copies = 0;
  for (const r of dynamic) {
    total += bytes(r);
    for (const props of [r.inputs, r.outputs]) {
      if (props?.__provider === undefined) continue;
      provider += bytes(props.__provider);
      copies++;
    }
  }
  const n = Math.max(dynamic.length, 1);
  return {
    resources: dynamic.length,
    bytesPerResource: Math.round(total / n),
    providerBytesPerResource: Math.round(provider / n),
    providerCopiesPerResource: copies / n,
    exportBytesPerResource: Math.round(Buffer.byteLength(exported) / n),
  };
}
