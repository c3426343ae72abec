// `pulumi-bitbucket-cloud import`: reads a workspace through the provider's client and writes a Pulumi
// TypeScript project that declares what it found, each resource taking over the existing object.
import * as fs from "fs";
import * as path from "path";
import { createClient, describeCost, RequestLedger } from "../client";
import { ENV_KEYS, resolveSettings } from "../config";
import { countsText, renderProgram, renderTerraformProgram } from "../import/program";
import { projectFiles, pulumiName, terraformReadme, writeProject } from "../import/project";
import { mainWorkspace, movedAddresses, needsReads, readState, terraformBlocks } from "../import/terraform";
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

export interface TerraformImportOptions {
  /** The state file (`terraform state pull` / `tofu state pull` JSON). */
  state: string;
  out: string;
  skipOtherProviders?: boolean;
  protect?: boolean;
  retainOnDelete?: boolean;
  force?: boolean;
  name?: string;
  packageSpec: string;
  apiUrl?: string;
  email?: string;
}

/**
 * `import --from-terraform-state FILE`: the program for exactly the objects the state manages. It reads
 * Bitbucket only where the state cannot be trusted (override settings, branch restrictions' users):
 * one GET per such instance. Nothing is written when the state is refused.
 */
export async function runTerraformImport(
  options: TerraformImportOptions,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  const progress = (message: string) => io.stderr.write(`import: ${message}\n`);
  try {
    const state = readState(fs.readFileSync(options.state, "utf8"), options.state, { skipOtherProviders: options.skipOtherProviders });
    const workspace = mainWorkspace(state.instances);
    const env = { ...io.env, ...(options.apiUrl ? { [ENV_KEYS.apiUrl]: options.apiUrl } : {}), ...(options.email ? { [ENV_KEYS.email]: options.email } : {}) };
    const api = needsReads(state) ? createClient(resolveSettings({}, env)).api : undefined;
    const { blocks, reads, missing } = await terraformBlocks(state, workspace, api);
    const skipped = [...state.skipped, ...missing];
    const commandLine = [
      `pulumi-bitbucket-cloud import --from-terraform-state ${path.basename(options.state)}`,
      ...(options.skipOtherProviders ? ["--skip-other-providers"] : []),
      ...(options.protect ? ["--protect"] : []),
      ...(options.retainOnDelete ? ["--retain-on-delete"] : []),
    ].join(" ");
    const retainOnDelete = options.retainOnDelete ?? !options.protect;
    const notCarried = skipped.map((s) => `Not imported: ${s.address}: ${s.reason}.`);
    const program = renderTerraformProgram(blocks, {
      workspace,
      protect: options.protect ?? false,
      retainOnDelete,
      commandLine,
      source: path.basename(options.state),
      notCarried,
    });
    const projectOptions = {
      name: options.name ?? pulumiName("bitbucket-", workspace),
      workspace,
      packageSpec: options.packageSpec,
      commandLine,
      protect: options.protect ?? false,
    };
    const moved = movedAddresses(blocks);
    const files = {
      ...projectFiles(program, projectOptions),
      "README.md": terraformReadme(program, projectOptions, {
        source: path.basename(options.state),
        moved,
        skipped,
        dataSources: state.dataSources,
      }),
    };
    writeProject(options.out, files, options.force ?? false);

    progress(
      `read ${state.instances.length} instances of the state; ${reads} reads from Bitbucket; wrote ${Object.keys(files).join(", ")} to ${options.out}: ${countsText(program.counts)}`,
    );
    for (const s of skipped) progress(`not imported: ${s.address}: ${s.reason}`);
    if (program.secrets.length > 0)
      progress(
        `${program.secrets.length} webhook secrets to set with \`pulumi config set --secret KEY\` before \`pulumi up\`: ${program.secrets.map((s) => s.key).join(", ")}`,
      );
    progress(
      `after \`pulumi up\` and a clean \`pulumi preview --refresh --expect-no-changes\`, remove the ${moved.length} moved instances from the Terraform state (the commands are in README.md)`,
    );
    io.stdout.write(`${path.resolve(options.out)}\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`import: error: ${(err as Error).message ?? String(err)}\n`);
    return 1;
  }
}
