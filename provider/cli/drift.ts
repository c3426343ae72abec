// `pulumi-bitbucket-cloud drift`: what differs between a stack's program (or, --from-state, its last
// update) and Bitbucket, field by field, and what sits around the stack unmanaged. Exit 0 clean, 1
// drift, 2 error.
import * as fs from "fs";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { Client, createClient } from "../client";
import { resolveSettings } from "../config";
import { assessResources } from "../drift/compare";
import { bitbucketConfig, previewStack, readPreviewJson, selectStack, stackResources, Step } from "../drift/preview";
import { stepsFromState } from "../drift/state";
import { buildReport, hasDrift, toJson, toJUnit, toMarkdown, toText } from "../drift/report";
import { findUnmanaged } from "../drift/unmanaged";

export const EXIT_CODES = { clean: 0, drift: 1, error: 2 } as const;

export interface DriftOptions {
  /** The Pulumi program's directory. */
  cwd: string;
  /** Default: the stack selected in `cwd`. */
  stack?: string;
  /** Read the steps from this `pulumi preview --refresh --json` output ("-": stdin) instead of running a preview. */
  previewJson?: string;
  /** Compare Bitbucket with the stack's state (the last update) by reading each resource here: no preview, no program run. */
  fromState?: boolean;
  /** Limit the search for unmanaged repositories to these project keys. */
  project: string[];
  /** False: skip the search for unmanaged objects. */
  unmanaged: boolean;
  junit?: string;
  markdown?: string;
  json?: string;
  /** The Markdown report's heading. */
  title?: string;
}

/** Where a command writes and which environment it reads (tests pass their own). */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

/** `urn:pulumi:STACK::project::...` → STACK. */
function stackOfSteps(steps: Step[]): string {
  return steps[0]?.urn.split("::")[0].split(":")[2] ?? "(unknown)";
}

/** The end of a long message: a failed preview's error carries the whole CLI transcript. */
function tail(message: string, lines = 25): string {
  const all = message.trimEnd().split("\n");
  return (all.length > lines ? ["…", ...all.slice(-lines)] : all).join("\n");
}

export async function runDrift(options: DriftOptions, io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const progress = (message: string) => io.stderr.write(`drift: ${message}\n`);
  try {
    let stack: Stack | undefined;
    let steps: Step[];
    // One client for the reads and the search of unmanaged objects, on the stack's config once decrypted.
    let made: Client | undefined;
    const client = async () => (made ??= createClient(resolveSettings(stack ? await bitbucketConfig(stack) : {}, io.env)));
    if (options.previewJson && options.fromState)
      throw new Error("--preview-json and --from-state cannot be used together: pick one source of the comparison.");
    if (options.fromState) {
      stack = await selectStack(options.cwd, options.stack);
      progress(`reading the resources of stack ${stack.name} from its state and from Bitbucket (no preview, no program run)`);
      const { api } = await client();
      steps = await stepsFromState(await stackResources(stack), () => ({ api, options: {}, adoptExisting: false }), progress);
    } else if (options.previewJson) {
      progress(`reading the preview from ${options.previewJson === "-" ? "standard input" : options.previewJson}`);
      steps = readPreviewJson(options.previewJson);
      // The stack, when named, only gives the credentials for the search of unmanaged objects.
      if (options.stack && options.unmanaged) stack = await selectStack(options.cwd, options.stack);
    } else {
      stack = await selectStack(options.cwd, options.stack);
      progress(`refreshed preview of stack ${stack.name} (pulumi preview --refresh --run-program in ${options.cwd})`);
      steps = await previewStack(stack);
    }
    const stackName = stack?.name ?? options.stack ?? stackOfSteps(steps);
    const resources = assessResources(steps);
    progress(`${resources.length} resources compared`);

    let unmanaged = null;
    if (options.unmanaged) {
      unmanaged = await findUnmanaged((await client()).api, resources, { projects: options.project, progress });
    }

    const report = buildReport(stackName, resources, unmanaged, new Date(), options.fromState ? "last update" : "program");
    const outputs: [string | undefined, () => string][] = [
      [options.junit, () => toJUnit(report)],
      [options.markdown, () => toMarkdown(report, options.title)],
      [options.json, () => toJson(report)],
    ];
    for (const [file, render] of outputs) {
      if (!file) continue;
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      fs.writeFileSync(file, render());
      progress(`wrote ${file}`);
    }
    io.stdout.write(toText(report));
    return hasDrift(report) ? EXIT_CODES.drift : EXIT_CODES.clean;
  } catch (err) {
    io.stderr.write(`drift: error: ${tail((err as Error).message ?? String(err))}\n`);
    return EXIT_CODES.error;
  }
}
