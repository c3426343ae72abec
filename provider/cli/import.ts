// `pulumi-bitbucket-cloud import`: reads a workspace through the provider's client and writes a Pulumi
// TypeScript project that declares what it found, each resource taking over the existing object.
import * as path from "path";
import { createClient, describeCost, RequestLedger } from "../client";
import { ENV_KEYS, resolveSettings } from "../config";
import { countsText, renderProgram } from "../import/program";
import { projectFiles, pulumiName, writeProject } from "../import/project";
import { readWorkspace } from "../import/workspace";
import type { CliIo } from "./drift";

export interface ImportOptions {
  workspace: string;
  project: string[];
  match: string[];
  out: string;
  protect?: boolean;
  retainOnDelete?: boolean;
  force?: boolean;
  /** The Pulumi project name. Default: bitbucket-WORKSPACE. */
  name?: string;
  /** How the written package.json asks for this package. */
  packageSpec: string;
  /** Non-secret settings may come as flags; secrets only from the environment (never on a command line). */
  apiUrl?: string;
  email?: string;
}

/** The command as recorded in the written files: what it selected, no credentials. */
function commandLine(options: ImportOptions): string {
  const parts = ["pulumi-bitbucket-cloud import", `--workspace ${options.workspace}`];
  for (const key of options.project) parts.push(`--project ${key}`);
  for (const glob of options.match) parts.push(`--match '${glob}'`);
  if (options.protect) parts.push("--protect");
  if (options.retainOnDelete) parts.push("--retain-on-delete");
  return parts.join(" ");
}

export async function runImport(options: ImportOptions, io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const progress = (message: string) => io.stderr.write(`import: ${message}\n`);
  const ledger = new RequestLedger();
  try {
    const env = { ...io.env, ...(options.apiUrl ? { [ENV_KEYS.apiUrl]: options.apiUrl } : {}), ...(options.email ? { [ENV_KEYS.email]: options.email } : {}) };
    const client = createClient(resolveSettings({}, env), { ledger });
    const started = Date.now();
    const repositories = await readWorkspace(client.api, { workspace: options.workspace, projects: options.project, match: options.match, progress });
    if (repositories.length === 0) throw new Error(`no repository of ${options.workspace} matches the selection: nothing to import.`);

    // retainOnDelete unless only protect was asked for.
    const retainOnDelete = options.retainOnDelete ?? !options.protect;
    const program = renderProgram(repositories, {
      workspace: options.workspace,
      protect: options.protect ?? false,
      retainOnDelete,
      commandLine: commandLine(options),
    });
    const files = projectFiles(program, {
      name: options.name ?? pulumiName("bitbucket-", options.workspace),
      workspace: options.workspace,
      packageSpec: options.packageSpec,
      commandLine: commandLine(options),
      protect: options.protect ?? false,
    });
    writeProject(options.out, files, options.force ?? false);

    const { counts } = program;
    progress(`wrote ${Object.keys(files).join(", ")} to ${options.out} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${countsText(counts)}`);
    progress(`cost: ${describeCost(ledger.cost())}`);
    if (program.secrets.length > 0) progress(`${program.secrets.length} webhook secrets to set before \`pulumi up\` (listed in README.md)`);
    io.stdout.write(`${path.resolve(options.out)}\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`import: error: ${(err as Error).message ?? String(err)}\n`);
    if (ledger.requests > 0) progress(`cost: ${describeCost(ledger.cost())}`);
    return 1;
  }
}
