// Drives the real Pulumi CLI for the end-to-end suite: a stack of the quickstart program on a local
// file backend with a passphrase, against the emulator on loopback.
//
// Runtimes: by default the program runs on the `node` on PATH with this repository's node_modules
// (Node 20 + @pulumi/pulumi 3.248.x here). `npm test` runs the suite a second time through
// scripts/test-node22.sh, which sets E2E_RUNTIME=node22, puts Node 22 first on PATH and points
// E2E_NODE_MODULES at an install of the latest @pulumi/pulumi with this package packed.
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { Client } from "../support/emulator-client";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const QUICKSTART_DIR = path.join(REPO_ROOT, "examples", "quickstart");

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions and for the secret scan. */
  output: string;
}

/**
 * Makes the Pulumi CLI available through scripts/ensure-pulumi.sh (a pulumi on PATH, or the cached
 * build). Throws, never skips: the suite must fail loudly on a machine without the CLI.
 */
export function ensurePulumiCli(): string {
  try {
    const out = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "ensure-pulumi.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      timeout: 40 * 60_000,
    });
    const lines = out.trim().split("\n");
    return lines[lines.length - 1];
  } catch (err) {
    throw new Error(
      "The e2e suite needs the Pulumi CLI: put `pulumi` on PATH or let scripts/ensure-pulumi.sh build it " +
        `(needs Go and the Go module proxy). ensure-pulumi failed: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** Which runtime this run exercises, and where the program's node_modules come from. */
export function runtime(): { name: string; nodeModules: string; expectedNodeMajor?: number } {
  const name = process.env.E2E_RUNTIME ?? "default";
  if (name === "node22") {
    const nodeModules = process.env.E2E_NODE_MODULES;
    if (!nodeModules || !fs.existsSync(nodeModules)) {
      throw new Error("E2E_RUNTIME=node22 needs E2E_NODE_MODULES (set by scripts/test-node22.sh)");
    }
    return { name, nodeModules, expectedNodeMajor: 22 };
  }
  return { name, nodeModules: path.join(REPO_ROOT, "node_modules") };
}

/** The version of @pulumi/pulumi the program runs with. */
export function pulumiSdkVersion(nodeModules: string): string {
  return JSON.parse(fs.readFileSync(path.join(nodeModules, "@pulumi", "pulumi", "package.json"), "utf8")).version;
}

export interface StackOptions {
  cliBin: string;
  nodeModules: string;
  /** For QuickstartStack: the program (index.ts, package.json) to run. Default: examples/quickstart. */
  programDir?: string;
  stackName?: string;
  passphrase?: string;
}

/**
 * The live processes of a session (field 6 of /proc/<pid>/stat). A CLI started by `PulumiStack.start`
 * leads its own session, and every plugin it starts stays in that session even after the CLI died:
 * Pulumi gives each plugin its own process group (so killing the CLI's group misses them), not its
 * own session.
 */
export function sessionProcesses(session: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended while we looked
    }
    // After the command name (which may hold spaces and parentheses): state, ppid, pgrp, session.
    const [state, , , sid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(sid) === session && state !== "Z") pids.push(Number(entry));
  }
  return pids;
}

/** SIGKILLs every process of a session, again while any is left (a plugin host may start one meanwhile). */
export function killSession(session: number): void {
  for (let round = 0; round < 5; round++) {
    const pids = sessionProcesses(session);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
      }
    }
  }
}

/** The processes of a session still alive after waiting up to `ms` for them to end. */
export async function sessionSurvivors(session: number, ms = 10_000): Promise<number[]> {
  for (const deadline = Date.now() + ms; ; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const pids = sessionProcesses(session);
    if (pids.length === 0 || Date.now() > deadline) return pids;
  }
}

/** A Pulumi project: its Pulumi.yaml and the files beside it. */
export interface Program {
  projectYaml: string;
  files: Record<string, string>;
}

/**
 * One stack of a program in a temporary project directory: node_modules linked to the runtime's,
 * stack config and backend kept in the temporary directory so runs never touch the working tree and
 * can run side by side.
 */
export class PulumiStack {
  readonly root: string;
  readonly projectDir: string;
  readonly backendDir: string;
  readonly stackName: string;
  readonly env: NodeJS.ProcessEnv;
  /** Everything every CLI call printed, for the secret scan. */
  transcript = "";
  /** The session of every CLI started, for killSessions. */
  private readonly sessions: number[] = [];

  constructor(opts: StackOptions, program: Program) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), "bb-e2e-"));
    this.projectDir = path.join(this.root, "project");
    this.backendDir = path.join(this.root, "backend");
    this.stackName = opts.stackName ?? "e2e";
    fs.mkdirSync(this.projectDir);
    fs.mkdirSync(this.backendDir);
    for (const [name, content] of Object.entries(program.files)) fs.writeFileSync(path.join(this.projectDir, name), content);
    fs.symlinkSync(opts.nodeModules, path.join(this.projectDir, "node_modules"), "dir");
    fs.writeFileSync(path.join(this.projectDir, "Pulumi.yaml"), program.projectYaml);
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      // Credentials come from the stack config only; nothing from Pulumi Cloud.
      if (!k.startsWith("BITBUCKET_") && !k.startsWith("PULUMI_")) env[k] = v;
    }
    Object.assign(env, {
      PATH: `${opts.cliBin}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_BACKEND_URL: `file://${this.backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: opts.passphrase ?? "e2e-passphrase",
      PULUMI_HOME: path.join(this.root, "pulumi-home"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      NO_COLOR: "1",
    });
    this.env = env;
  }

  /** The stack's config file (Pulumi.<stack>.yaml). */
  get configFile(): string {
    return path.join(this.projectDir, `Pulumi.${this.stackName}.yaml`);
  }

  /**
   * Runs `pulumi <args>` in the project directory; never throws on a non-zero exit. `stdin` is
   * written to the CLI's standard input (how secrets are passed: never on the command line).
   */
  run(args: string[], opts: { stdin?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
    return this.start(args, opts).done;
  }

  /**
   * Starts `pulumi <args>` in its own session and returns at once: `signal` sends a signal to the
   * CLI (SIGINT, like Ctrl-C) or kills its whole session (SIGKILL, like a lost CI runner: the
   * language host, the program and the provider plugins die with it); `done` resolves when the CLI
   * has exited.
   */
  start(
    args: string[],
    opts: { stdin?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
  ): { session: number; signal(signal: "SIGINT" | "SIGKILL"): void; output(): string; done: Promise<RunResult> } {
    const child = spawn("pulumi", [...args, "--non-interactive", "--color", "never"], {
      cwd: this.projectDir,
      env: { ...this.env, ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    child.stdin.end(opts.stdin ?? "");
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const session = child.pid!;
    this.sessions.push(session);
    const done = new Promise<RunResult>((resolve, reject) => {
      const timer = setTimeout(() => killSession(session), opts.timeoutMs ?? 5 * 60_000);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        const output = stdout + stderr;
        this.transcript += `\n$ pulumi ${args.join(" ")}\n${output}`;
        resolve({ code: code ?? -1, stdout, stderr, output });
      });
    });
    return {
      session,
      signal: (signal) => (signal === "SIGKILL" ? killSession(session) : child.kill(signal)),
      output: () => stdout + stderr,
      done,
    };
  }

  /** Like run, but throws with the CLI's output when the exit code is not the expected one. */
  async ok(args: string[], expectCode = 0, stdin?: string): Promise<RunResult> {
    const r = await this.run(args, { stdin });
    if (r.code !== expectCode) {
      throw new Error(`pulumi ${args.join(" ")} exited ${r.code} (expected ${expectCode}):\n${r.output}`);
    }
    return r;
  }

  async init(config: Record<string, string>, secrets: Record<string, string>): Promise<void> {
    await this.ok(["stack", "init", this.stackName]);
    for (const [k, v] of Object.entries(config)) await this.setConfig(k, v);
    for (const [k, v] of Object.entries(secrets)) await this.setConfig(k, v, true);
  }

  async setConfig(key: string, value: string, secret = false): Promise<void> {
    if (secret) await this.ok(["config", "set", "--secret", key], 0, value);
    else await this.ok(["config", "set", "--plaintext", key, value]);
  }

  async up(extra: string[] = []): Promise<RunResult> {
    return this.ok(["up", "--yes", "--skip-preview", ...extra]);
  }

  /** `pulumi preview --refresh --expect-no-changes`: exit 0 when nothing drifted. */
  previewRefreshExpectNoChanges(): Promise<RunResult> {
    return this.run(["preview", "--refresh", "--expect-no-changes"]);
  }

  /** Stack outputs (secrets stay masked). */
  async outputs(): Promise<Record<string, any>> {
    return JSON.parse((await this.ok(["stack", "output", "--json"])).stdout);
  }

  /** The exported state (secrets stay encrypted). */
  async exportState(): Promise<string> {
    return (await this.ok(["stack", "export"])).stdout;
  }

  /** The resource changes of the last update, from `pulumi stack history`. */
  async lastChanges(): Promise<Record<string, number>> {
    const history = JSON.parse((await this.ok(["stack", "history", "--json"])).stdout);
    return history[0]?.resourceChanges ?? {};
  }

  /**
   * Runs the package's `pulumi-bitbucket-cloud` command (the `bin` of the installed package, on the
   * runtime's node) in the project directory, with the stack's environment and `extraEnv`; `stdin`, when
   * given, is piped to it.
   */
  runBin(nodeModules: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}, stdin?: string): Promise<RunResult> {
    const pkg = path.join(nodeModules, "pulumi-bitbucket-cloud");
    const bin = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")).bin["pulumi-bitbucket-cloud"];
    return new Promise((resolve, reject) => {
      const child = spawn("node", [path.join(pkg, bin), ...args], {
        cwd: this.projectDir,
        env: { ...this.env, ...extraEnv },
        stdio: ["pipe", "pipe", "pipe"],
      });
      child.stdin.end(stdin ?? "");
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      const timer = setTimeout(() => child.kill("SIGKILL"), 5 * 60_000);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        this.transcript += `\n$ pulumi-bitbucket-cloud ${args.join(" ")}\n${stdout}${stderr}`;
        resolve({ code: code ?? -1, stdout, stderr, output: stdout + stderr });
      });
    });
  }

  /** Kills whatever is left of every CLI this stack started (after a failed or interrupted run). */
  killSessions(): void {
    for (const session of this.sessions.splice(0)) killSession(session);
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** A stack of examples/quickstart, or of another example directory (index.ts and package.json copied). */
export class QuickstartStack extends PulumiStack {
  constructor(opts: StackOptions) {
    const files = Object.fromEntries(["index.ts", "package.json"].map((f) => [f, fs.readFileSync(path.join(opts.programDir ?? QUICKSTART_DIR, f), "utf8")]));
    super(opts, { projectYaml: "name: bitbucket-quickstart\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n", files });
  }
}

/** A stack of examples/gitops-access whose access file (access.yaml) is `access`. */
export class GitopsAccessStack extends PulumiStack {
  constructor(opts: StackOptions, access: unknown) {
    const dir = path.join(REPO_ROOT, "examples", "gitops-access");
    const files = Object.fromEntries(["index.ts", "package.json"].map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
    super(opts, {
      projectYaml: "name: bitbucket-gitops-access\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
      files: { ...files, "access.yaml": stringify(access) },
    });
  }
}

/**
 * Lines of a preview's output (without --diff) that plan a change to a resource, keyed by resource
 * name: ` ~  pulumi-nodejs:dynamic/bitbucket:Repository repo update [diff: ~name]` gives repo → "update".
 * Refresh lines (`... repo refresh [diff: ...]`) are not planned changes and are left out.
 */
export function plannedChanges(output: string): Record<string, string> {
  const changes: Record<string, string> = {};
  const re = /^\s*(?:\+-|-\+|\+\+|--|[+~-])\s+(\S+:\S+:\S+)\s+(\S+)\s+(create|update|delete|replace|create-replacement|delete-replaced)\b/gm;
  for (const m of output.matchAll(re)) changes[m[2]] = m[3];
  return changes;
}

/** Plain calls to the emulator's /2.0 API as the workspace owner: the changes made "behind Pulumi's back". */
export class OwnerApi {
  private readonly client: Client;

  constructor(apiUrl: string) {
    this.client = new Client(apiUrl);
  }

  async call(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await this.client.request(method, pathname, { body });
    return { status: res.status, body: res.body ?? (res.text || undefined) };
  }

  async must(method: string, pathname: string, body?: unknown): Promise<any> {
    const r = await this.call(method, pathname, body);
    if (r.status >= 300) throw new Error(`${method} ${pathname} → ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  repoPath(workspace: string, repo: string): string {
    return `/repositories/${workspace}/${encodeURIComponent(repo)}`;
  }

  /** Every repository slug of a workspace. */
  async repositorySlugs(workspace: string): Promise<string[]> {
    const repositories: { slug: string }[] = await this.client.listAll(`/repositories/${workspace}?pagelen=100`);
    return repositories.map((r) => r.slug).sort();
  }
}

/**
 * The resource blocks of `pulumi preview --diff` output, by resource name: each block starts with
 * `~ pulumi-nodejs:dynamic/bitbucket:RepositoryAccess: (update)` and carries its URN and property diff.
 * Refresh blocks are left out: only planned steps.
 */
export function diffBlocks(output: string): Record<string, { op: string; text: string }> {
  const blocks: Record<string, { op: string; text: string }> = {};
  const lines = output.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*[~+-]{1,2}\s+\S+: \(([\w-]+)\)$/.exec(lines[i]);
    if (!header || header[1] === "refresh") continue;
    const urn = /\[urn=\S+::([^\]]+)\]/.exec(lines.slice(i + 1, i + 3).join("\n"));
    let end = i + 1;
    while (end < lines.length && !/^\s*(?:[~+-]{1,2}\s+)?\S+: \([\w-]+\)$/.test(lines[end]) && !/^Resources:/.test(lines[end])) end++;
    if (urn) blocks[urn[1]] = { op: header[1], text: lines.slice(i, end).join("\n") };
  }
  return blocks;
}
