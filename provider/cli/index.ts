#!/usr/bin/env node
// The package's command line (`bin`): `pulumi-bitbucket-cloud drift ...`.
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { DriftOptions, EXIT_CODES, runDrift } from "./drift";

function projectKey(value: string, previous: string[]): string[] {
  // The key goes into a BBQL query: only what a project key can hold.
  if (!/^[A-Za-z0-9_]+$/.test(value)) throw new InvalidArgumentError("a project key has only letters, digits and '_'.");
  return [...previous, value];
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
    .option("--project <key>", "search for unmanaged repositories only in this project (repeatable)", projectKey, [])
    .option("--no-unmanaged", "do not search for unmanaged repositories, webhooks and grants")
    .option("--junit <file>", "write a JUnit XML report")
    .option("--markdown <file>", "write a Markdown report (pull-request comment, job summary)")
    .option("--json <file>", "write the report as JSON")
    .action(async (options: DriftOptions) => {
      process.exitCode = await runDrift(options);
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
