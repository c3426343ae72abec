#!/usr/bin/env node
// The package's command line (`bin`): `pulumi-bitbucket-cloud drift ...`, `pulumi-bitbucket-cloud import ...`.
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { SCOPES } from "../drift/unmanaged";
import { PULUMI_NAME } from "../import/project";
import { ProjectKey, Workspace } from "../identifiers";
import { DriftOptions, EXIT_CODES, runDrift } from "./drift";
import { ImportOptions, runImport, runTerraformImport } from "./import";

function projectKey(value: string, previous: string[]): string[] {
  // The key goes into a BBQL query: only what a project key can hold.
  const result = ProjectKey.safeParse(value);
  if (!result.success) throw new InvalidArgumentError(`${result.error.issues[0].message}.`);
  return [...previous, value];
}

function workspaceSlug(value: string): string {
  const result = Workspace.safeParse(value);
  if (!result.success) throw new InvalidArgumentError(result.error.issues[0].message);
  return result.data;
}

function pulumiProjectName(value: string): string {
  if (!PULUMI_NAME.test(value)) throw new InvalidArgumentError("a Pulumi project name has 1 to 100 letters, digits, '_', '.' and '-'.");
  return value;
}

const repeatable = (value: string, previous: string[]) => [...previous, value];

/** This package's version, from its package.json (above provider/cli in the source tree, above dist/provider/cli when installed). */
function ownVersion(): string {
  const file = [path.join(__dirname, "..", "..", "package.json"), path.join(__dirname, "..", "..", "..", "package.json")].find(
    (candidate) => fs.existsSync(candidate) && JSON.parse(fs.readFileSync(candidate, "utf8")).name === "pulumi-bitbucket-cloud",
  );
  return file ? JSON.parse(fs.readFileSync(file, "utf8")).version : "latest";
}

export function buildProgram(): Command {
  const program = new Command("pulumi-bitbucket-cloud").description("Tools for stacks managed with pulumi-bitbucket-cloud.").exitOverride();
  program
    .command("drift")
    .description(
      "Report, field by field, what differs between a stack's program and Bitbucket, and the repositories, webhooks and grants " +
        "around the stack that no resource declares. Exit code: 0 no drift, 1 drift, 2 error.",
    )
    .option("-C, --cwd <dir>", "directory of the Pulumi program", process.cwd())
    .option("-s, --stack <name>", "stack to check (default: the selected stack)")
    .option("--preview-json <file>", "read the output of `pulumi preview --refresh --json` from FILE ('-': stdin) instead of running a preview")
    .option(
      "--from-state",
      "compare Bitbucket with the stack's state (its last update) instead of its program: each resource is read here, with no preview " +
        "and no program run (much faster on big stacks); finds changes made outside Pulumi, not program edits waiting for `pulumi up`",
    )
    .addOption(
      new Option(
        "--scope <scope>",
        "where to search for unmanaged objects: stack (only hooks and grants on the stack's repositories), projects (also the repositories " +
          "of the projects the stack's repositories are in) or workspace (every repository of the stack's workspaces)",
      )
        .choices(SCOPES)
        .default("projects"),
    )
    .option("--project <key>", "search for unmanaged repositories only in this project (repeatable)", projectKey, [])
    .option("--also-stack <name>", "a sibling stack (e.g. org/project/stack) whose objects are not reported as unmanaged (repeatable)", repeatable, [])
    .option("--also-state <file>", "the `pulumi stack export` of a sibling stack whose objects are not reported as unmanaged (repeatable)", repeatable, [])
    .option("--ignore <file>", "YAML or JSON file of repositories, webhooks and grants deliberately left unmanaged, each with a reason")
    .option("--no-unmanaged", "do not search for unmanaged repositories, webhooks and grants")
    .option("--junit <file>", "write a JUnit XML report")
    .option("--markdown <file>", "write a Markdown report (pull-request comment, job summary)")
    .option("--json <file>", "write the report as JSON")
    .option("--title <text>", "heading of the Markdown report")
    .option(
      "--code-insights",
      "publish the findings as a Bitbucket Code Insights report on the commit being built, each annotation at the program line that " +
        "declared the resource (the commit: --commit and --repository, else Bitbucket Pipelines' BITBUCKET_COMMIT, BITBUCKET_WORKSPACE, BITBUCKET_REPO_SLUG)",
    )
    .option("--repository <workspace/slug>", "the repository of the Code Insights report's commit (default: BITBUCKET_WORKSPACE/BITBUCKET_REPO_SLUG)")
    .option("--commit <sha>", "the commit of the Code Insights report (default: BITBUCKET_COMMIT)")
    .option("--baseline <file>", "a previous --json report: its findings are known drift, reported as such, and do not fail the check (exit 0 when only known)")
    .action(async (options: DriftOptions) => {
      process.exitCode = await runDrift(options);
    });
  program
    .command("import")
    .description(
      "Read a workspace (all of it, or some projects or slug patterns) and write a Pulumi TypeScript project that declares its repositories, " +
        "forks, webhooks, grants and override settings, each taking over the existing object. Credentials: BITBUCKET_* environment variables. " +
        "With --from-terraform-state, the project declares exactly what a Terraform/OpenTofu state of the DrFaust92/bitbucket provider manages.",
    )
    .option("-w, --workspace <slug>", "the workspace to import (required unless --from-terraform-state)", workspaceSlug)
    .option(
      "--from-terraform-state <file>",
      "write the program for the objects this Terraform/OpenTofu state (format version 4, `terraform state pull` / `tofu state pull`) manages, " +
        "named after their Terraform addresses (see docs/migrate-from-terraform.md)",
    )
    .option(
      "--skip-other-providers",
      "with --from-terraform-state: import the DrFaust92/bitbucket resources of a state that also holds other providers' (listed, not imported)",
    )
    .option("--project <key>", "only the repositories of this project (repeatable)", projectKey, [])
    .option("--match <glob>", "only the repositories whose slug matches this glob, e.g. 'api-*' (repeatable)", repeatable, [])
    .requiredOption("-o, --out <dir>", "directory to write the project to (must be empty or absent unless --force)")
    .option("--retain-on-delete", "give every resource retainOnDelete: removing it or `pulumi destroy` leaves it in Bitbucket (the default)")
    .option("--protect", "give every resource protect: Pulumi refuses to delete it (instead of retainOnDelete, unless both are given)")
    .option("--force", "write into a directory that has files (replaces the five project files only)")
    .option("--name <name>", "the Pulumi project name (default: bitbucket-WORKSPACE)", pulumiProjectName)
    .option("--package-spec <spec>", "how package.json asks for pulumi-bitbucket-cloud: a version range, a git URL or a tarball path", `^${ownVersion()}`)
    .option("--api-url <url>", "the Bitbucket API URL (default: BITBUCKET_API_URL, else https://api.bitbucket.org/2.0)")
    .option("--email <email>", "the account email for an API token (default: BITBUCKET_EMAIL; the token itself only from BITBUCKET_API_TOKEN)")
    .action(async (options: ImportOptions & { fromTerraformState?: string; skipOtherProviders?: boolean }) => {
      if (options.fromTerraformState !== undefined) {
        if (options.workspace !== undefined || options.project.length > 0 || options.match.length > 0) {
          process.stderr.write("import: error: --from-terraform-state imports what the state manages: --workspace, --project and --match do not apply.\n");
          process.exitCode = 1;
          return;
        }
        process.exitCode = await runTerraformImport({ ...options, state: options.fromTerraformState });
        return;
      }
      if (options.workspace === undefined) {
        process.stderr.write("import: error: --workspace is required (or --from-terraform-state).\n");
        process.exitCode = 1;
        return;
      }
      process.exitCode = await runImport(options);
    });
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (err) {
    // Commander has printed the problem (or the help, exit code 0).
    process.exitCode = err instanceof CommanderError && err.exitCode === 0 ? EXIT_CODES.clean : EXIT_CODES.error;
  }
}

if (require.main === module) void main();
