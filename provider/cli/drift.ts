// `pulumi-bitbucket-cloud drift`: what differs between a stack's program (or, --from-state, its last
// update) and Bitbucket, field by field, and what sits around the stack unmanaged. Exit 0 clean, 1
// drift, 2 error.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { closest, distance } from "fastest-levenshtein";
import { addCosts, Client, createClient, describeCost, ifFound, parseCost, RequestCost, RequestLedger } from "../client";
import type { Api } from "../client/api";
import { resolveSettings } from "../config";
import { assessResources, secretsToCheck } from "../drift/compare";
import { KIND, nameOfUrn, Step, typeOfUrn } from "../drift/steps";
import {
  bitbucketConfig,
  FinishedPreview,
  previewStack,
  readPreviewJson,
  requireCounted,
  selectStack,
  stackResources,
  UntrustedPreview,
} from "../drift/preview";
import { checkHiddenSecrets, stepsFromState, uncoveredResources } from "../drift/state";
import { readBaseline } from "../drift/baseline";
import { lookUpNames } from "../drift/naming";
import {
  buildReport,
  DriftReport,
  failedCheck,
  failedToJson,
  failedToJUnit,
  failedToMarkdown,
  hasDrift,
  markKnown,
  toJson,
  toJUnit,
  toMarkdown,
  toText,
  unnamedObjects,
} from "../drift/report";
import { deliverFailedCheck, deliverFindings, deliveryTarget, InsightsTarget } from "../drift/deliver";
import { readIgnoreFile } from "../drift/ignore";
import { siblingResources } from "../drift/siblings";
import { findUnmanaged, Scope, SEARCHED } from "../drift/unmanaged";
import { requireProjectKeys } from "../identifiers";

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
  /** Where unmanaged objects are searched (default: the stack's projects). */
  scope?: Scope;
  /** Sibling stacks (read through the Pulumi CLI) and state files (`pulumi stack export`) whose objects are not reported. */
  alsoStack?: string[];
  alsoState?: string[];
  /** The ignore file: what is deliberately unmanaged, with reasons. */
  ignore?: string;
  /** False: skip the search for unmanaged objects. */
  unmanaged: boolean;
  junit?: string;
  markdown?: string;
  json?: string;
  /** The Markdown report's heading. */
  title?: string;
  /** Publish the findings as a Bitbucket Code Insights report on a commit (drift/insights.ts). */
  codeInsights?: boolean;
  /** The report's repository, `workspace/slug` (default: BITBUCKET_WORKSPACE and BITBUCKET_REPO_SLUG). */
  repository?: string;
  /** The report's commit (default: BITBUCKET_COMMIT). */
  commit?: string;
  /** A previous JSON report: its findings are known drift and do not fail the check. */
  baseline?: string;
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

const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml", "Pulumi.json"];
const MAX_NAMED = 10;

/**
 * Refuses a preview (read from JSON) that does not cover the stack. With the stack's state at hand
 * (--stack, else the preview's own stack of the project in --cwd), each resource of this package in
 * it needs a step; without a project there, the preview's summary must count no more resources than
 * its steps name. Returns the stack it read, if any.
 */
async function requireCoverage(preview: FinishedPreview, options: DriftOptions, progress: (message: string) => void): Promise<Stack | undefined> {
  if (!options.stack && !PROJECT_FILES.some((file) => fs.existsSync(path.join(options.cwd, file)))) {
    progress(`no Pulumi project in ${options.cwd}: the preview's coverage of the stack is judged from its own summary`);
    requireCounted(preview);
    return undefined;
  }
  const name = options.stack ?? stackOfSteps(preview.steps);
  let stack: Stack;
  let resources;
  try {
    stack = await selectStack(options.cwd, name);
    resources = await stackResources(stack);
  } catch (err) {
    throw new UntrustedPreview(
      `could not read the state of stack ${name} in ${options.cwd} to check that the preview covers it (${tail((err as Error).message, 5)}); pass --stack with the stack's full name.`,
    );
  }
  const missing = uncoveredResources(preview.steps, resources);
  if (missing.length === 0) {
    progress(`the preview has steps for every resource in the state of stack ${name}`);
    return stack;
  }
  const named = missing.slice(0, MAX_NAMED).map((urn) => `${typeOfUrn(urn).replace(KIND, "bitbucket:$1")} ${nameOfUrn(urn)}`);
  if (missing.length > MAX_NAMED) named.push(`… and ${missing.length - MAX_NAMED} more`);
  throw new UntrustedPreview(
    `the preview has no step for ${missing.length} resource(s) in the state of stack ${name}: ${named.join(", ")}. ` +
      "It was limited (--target, --exclude), is older than the state, or is of another stack: run `pulumi preview --refresh --json` on the whole stack.",
  );
}

/**
 * Refuses --project keys `workspace` has no project for: the search would find no repository there
 * and the check would pass whatever sits in the project meant. A refused lookup (403...) throws too.
 */
async function requireProjects(client: Client, workspace: string, keys: string[]): Promise<void> {
  const found = await Promise.all(keys.map((key) => ifFound(client.reads.project(workspace, key))));
  const missing = keys.filter((_key, i) => found[i] === undefined);
  if (missing.length === 0) return;
  const existing = (await client.reads.projects(workspace)).map((project) => project.key);
  const nearest = (key: string) => {
    const likely = existing.length > 0 ? closest(key.toUpperCase(), existing) : undefined;
    return likely && distance(key.toUpperCase(), likely) <= Math.max(1, key.length / 3) ? ` (did you mean ${likely}?)` : "";
  };
  throw new Error(`${missing.map((key) => `--project ${key}: workspace ${workspace} has no project with this key${nearest(key)}`).join("; ")}.`);
}

/** The names the state lacks (a group's, a user's), looked up only for findings; without them the report still stands. */
async function nameObjects(report: DriftReport, client: () => Promise<Client>, progress: (message: string) => void): Promise<void> {
  const unnamed = unnamedObjects(report);
  if (unnamed.length === 0) return;
  let api: Api;
  try {
    api = (await client()).api;
  } catch (err) {
    progress(`names the state lacks not looked up: ${(err as Error).message}`);
    return;
  }
  await lookUpNames(api, unnamed, progress);
}

/**
 * The secrets a refreshed preview hides behind other differences of their resource, checked exactly
 * with the stack's state; without it (or if the check fails) the report lists them as not compared.
 */
async function checkSecrets(steps: Step[], stack: Stack | undefined, client: () => Promise<Client>, progress: (message: string) => void): Promise<Step[]> {
  const toCheck = secretsToCheck(steps);
  if (toCheck.length === 0) return steps;
  if (!stack) {
    progress(`secrets of ${toCheck.length} drifted resource(s) not compared: the preview masks them, and no stack state is at hand (pass --stack)`);
    return steps;
  }
  progress(`comparing the secrets of ${toCheck.length} drifted resource(s) with the stack's state: one read each`);
  try {
    const { api } = await client();
    return await checkHiddenSecrets(steps, toCheck, await stackResources(stack), () => ({ api, options: {}, adoptExisting: false }));
  } catch (err) {
    progress(`secrets not compared: ${(err as Error).message}`);
    return steps;
  }
}

function writeReports(
  options: DriftOptions,
  renderers: { junit: () => string; markdown: () => string; json: () => string },
  progress: (message: string) => void,
) {
  for (const kind of ["junit", "markdown", "json"] as const) {
    const file = options[kind];
    if (!file) continue;
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, renderers[kind]());
    progress(`wrote ${file}`);
  }
}

/**
 * Where the preview's provider writes the requests it makes: the stack's `bitbucket:costReport` when
 * set (relative to the program's directory), else a temporary file removed once read.
 */
async function previewCostReport(stack: Stack, cwd: string): Promise<{ file: string; given: boolean; read: () => RequestCost | undefined }> {
  const given = (await bitbucketConfig(stack))["bitbucket:costReport"];
  const file = given ? path.resolve(cwd, given) : path.join(os.tmpdir(), `pulumi-bitbucket-cloud-cost-${process.pid}-${Date.now()}.json`);
  return {
    file,
    given: Boolean(given),
    read: () => {
      try {
        return parseCost(fs.readFileSync(file, "utf8"));
      } catch {
        return undefined;
      } finally {
        if (!given) fs.rmSync(file, { force: true });
      }
    },
  };
}

export async function runDrift(options: DriftOptions, io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const progress = (message: string) => io.stderr.write(`drift: ${message}\n`);
  let made: Client | undefined;
  let target: InsightsTarget | undefined;
  try {
    target = deliveryTarget(options, io.env);
    let stack: Stack | undefined;
    let steps: Step[];
    // One client for the reads, the search of unmanaged objects and the Code Insights report, on the stack's config once decrypted.
    const ledger = new RequestLedger();
    const client = async () => (made ??= createClient(resolveSettings(stack ? await bitbucketConfig(stack) : {}, io.env), { ledger }));
    /** The requests of the refreshed preview's provider (it writes them to its cost report), when there was one. */
    let previewCost: RequestCost | undefined;
    if (options.previewJson && options.fromState)
      throw new Error("--preview-json and --from-state cannot be used together: pick one source of the comparison.");
    // Read first: a baseline that cannot be used fails the check before any work.
    const baseline = options.baseline === undefined ? undefined : readBaseline(options.baseline);
    if (options.fromState) {
      stack = await selectStack(options.cwd, options.stack);
      progress(`reading the resources of stack ${stack.name} from its state and from Bitbucket (no preview, no program run)`);
      const { api } = await client();
      steps = await stepsFromState(await stackResources(stack), () => ({ api, options: {}, adoptExisting: false }), progress);
    } else if (options.previewJson) {
      progress(`reading the preview from ${options.previewJson === "-" ? "standard input" : options.previewJson}`);
      const preview = readPreviewJson(options.previewJson);
      const covered = await requireCoverage(preview, options, progress);
      // The stack, when named, also gives the credentials for the search of unmanaged objects.
      if (options.stack && options.unmanaged) stack = covered;
      steps = await checkSecrets(preview.steps, covered, client, progress);
    } else {
      stack = await selectStack(options.cwd, options.stack);
      progress(`refreshed preview of stack ${stack.name} (pulumi preview --refresh --run-program in ${options.cwd})`);
      const costReport = await previewCostReport(stack, options.cwd);
      const preview = await previewStack(stack, costReport.given ? undefined : costReport.file, (line) => progress(`provider: ${line}`));
      previewCost = costReport.read();
      requireCounted(preview);
      steps = await checkSecrets(preview.steps, stack, client, progress);
    }
    const stackName = stack?.name ?? options.stack ?? stackOfSteps(steps);
    const resources = assessResources(steps);
    progress(`${resources.length} resources compared`);

    let unmanaged = null;
    if (options.unmanaged) {
      // Keys checked for their form before any request, then for existence in each workspace searched.
      requireProjectKeys(options.project);
      const ignore = options.ignore ? readIgnoreFile(options.ignore, SEARCHED) : [];
      const siblings = await siblingResources(options.cwd, { stacks: options.alsoStack ?? [], files: options.alsoState ?? [] }, progress);
      const made = await client();
      unmanaged = await findUnmanaged(made.api, resources, {
        scope: options.scope,
        projects: options.project,
        siblings,
        ignore,
        requireProjects: (workspace) => requireProjects(made, workspace, options.project),
        progress,
      });
    }

    const report = buildReport(stackName, resources, unmanaged, new Date(), options.fromState ? "last update" : "program");
    await nameObjects(report, client, progress);
    if (baseline && options.baseline) markKnown(report, baseline, options.baseline);
    await deliverFindings(report, { target, stack, cwd: options.cwd, title: options.title, client, io, progress });
    report.requestCost = addCosts(ledger.cost(), previewCost);
    progress(`cost: ${describeCost(report.requestCost)}`);
    writeReports(options, { junit: () => toJUnit(report), markdown: () => toMarkdown(report, options.title), json: () => toJson(report) }, progress);
    io.stdout.write(toText(report));
    return hasDrift(report) ? EXIT_CODES.drift : EXIT_CODES.clean;
  } catch (err) {
    const message = tail((err as Error).message ?? String(err));
    io.stderr.write(`drift: error: ${message}\n`);
    // Reports asked for say the check failed: a file left from an earlier run must not stand for this one.
    const check = failedCheck(options.stack, message);
    await deliverFailedCheck(check, { target, client: made, title: options.title, error: err, io, progress });
    try {
      writeReports(
        options,
        { junit: () => failedToJUnit(check), markdown: () => failedToMarkdown(check, options.title), json: () => failedToJson(check) },
        progress,
      );
    } catch (writeErr) {
      io.stderr.write(`drift: error: could not write the reports: ${(writeErr as Error).message}\n`);
    }
    return EXIT_CODES.error;
  }
}
