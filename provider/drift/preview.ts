// The facts a drift report is built from: the steps of a refreshed preview. They come either from the
// JSON of `pulumi preview --refresh --json` (any pipeline can produce it) or from the engine events of
// a preview run here through the Automation API; both become the same list of steps.
//
// What the CLI really emits (v3.274): one `refresh` step per resource in the state, then the plan's
// steps, whose old state is the refreshed one and whose new inputs are the program's. In the events a
// refresh's outputs event carries what read() returned (nothing when the object is gone); in the JSON
// the refresh steps repeat the stored state, and resources whose plan step is `same` are left out.
// Neither carries a detailed diff for a dynamic provider: compare.ts works the fields out.
//
// A preview that failed still prints its JSON (exit 1): refresh steps for every resource, no plan steps
// after the failure, and the failure only as diagnostics of severity "error". So steps are only taken
// from a preview that proves it finished without errors; anything else is UntrustedPreview (exit 2).
import * as fs from "fs";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { z } from "zod";
import { ConfigValues, ENV_KEYS } from "../config";
import { ExportedResource, ResourceState, SECRET, SECRET_SIGNATURE, Step, typeOfUrn } from "./steps";

/** The value with every secret (either form) replaced by SECRET. */
function masked(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(masked);
  if (value && typeof value === "object") {
    if (SECRET_SIGNATURE in value) return SECRET;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v)]));
  }
  return value;
}

const RawState = z.looseObject({
  id: z.string().optional(),
  custom: z.boolean().optional(),
  inputs: z.record(z.string(), z.unknown()).nullish(),
  outputs: z.record(z.string(), z.unknown()).nullish(),
});

/** A state as both sources carry it. */
interface RawState {
  id?: string;
  custom?: boolean;
  inputs?: Record<string, unknown> | null;
  outputs?: Record<string, unknown> | null;
}

function stateOf(raw: RawState | null | undefined): ResourceState | undefined {
  if (!raw) return undefined;
  // The serialized provider is state bookkeeping, not a field of the resource.
  const fields = (o: Record<string, unknown> | null | undefined) => {
    const { __provider: _provider, ...rest } = o ?? {};
    return masked(rest) as Record<string, unknown>;
  };
  return { id: raw.id || undefined, custom: raw.custom ?? false, inputs: fields(raw.inputs), outputs: fields(raw.outputs) };
}

const PreviewJson = z.looseObject({
  // Left out of the JSON when the preview failed before its first step.
  steps: z
    .array(
      z.looseObject({
        op: z.string(),
        urn: z.string(),
        oldState: RawState.nullish(),
        newState: RawState.nullish(),
      }),
    )
    .nullish(),
  diagnostics: z.array(z.looseObject({ severity: z.string().optional(), message: z.string().optional() })).nullish(),
  duration: z.number().nullish(),
  changeSummary: z.record(z.string(), z.number().int().nonnegative()).nullish(),
});

/** A preview that finished without an error: its steps, and how many resources its summary counts. */
export interface FinishedPreview {
  steps: Step[];
  counted: number;
}

/** Why a preview cannot be judged: its answer is incomplete or wrong, so it proves neither drift nor its absence. */
export class UntrustedPreview extends Error {
  constructor(reason: string) {
    super(`the check cannot be trusted, so nothing is reported: ${reason}`);
    this.name = "UntrustedPreview";
  }
}

const MAX_QUOTED_ERRORS = 5;
const MAX_LINES_PER_ERROR = 3;
const MAX_LINE_LENGTH = 1000;

/** A message from the preview as plain text: no terminal escapes or other control characters, a few lines of bounded length. */
function quoted(message: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = message.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
  const lines = plain
    .trim()
    .split("\n")
    .map((line) => (line.length > MAX_LINE_LENGTH ? `${line.slice(0, MAX_LINE_LENGTH)}…` : line));
  return lines.length > MAX_LINES_PER_ERROR ? [...lines.slice(0, MAX_LINES_PER_ERROR), "…"].join("\n") : lines.join("\n");
}

/** Refuses a preview that reported an error, quoting its error diagnostics. */
function refuseErrors(messages: string[]): void {
  const distinct = [...new Set(messages.map(quoted))];
  if (distinct.length === 0) return;
  const shown = distinct.slice(0, MAX_QUOTED_ERRORS).map((m) => `  - ${m.replace(/\n/g, "\n    ")}`);
  if (distinct.length > MAX_QUOTED_ERRORS) shown.push(`  … and ${distinct.length - MAX_QUOTED_ERRORS} more`);
  throw new UntrustedPreview(`the preview reported ${distinct.length} error(s):\n${shown.join("\n")}`);
}

/**
 * The steps of `pulumi preview --refresh --json` output, once it proves a finished preview without
 * errors. The CLI prints this JSON even when the preview fails (exit 1): the failure is only in its
 * diagnostics, and a refresh step that failed still lists the resource, with its stored state.
 */
export function previewFromJson(text: string): FinishedPreview {
  if (text.trim() === "")
    throw new UntrustedPreview("the preview JSON is empty: the preview printed nothing (it was stopped, or its output was not captured).");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UntrustedPreview(
      `the preview JSON is not complete JSON (${(err as Error).message}): the preview did not finish, its output was cut, or this is not the output of \`pulumi preview --refresh --json\`.`,
    );
  }
  const parsed = PreviewJson.safeParse(json);
  if (!parsed.success) throw new Error("The preview JSON is not a preview's: give the output of `pulumi preview --refresh --json`.");
  const { steps, diagnostics, duration, changeSummary } = parsed.data;
  refuseErrors((diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message ?? "(no message)"));
  // The CLI writes the duration and the change summary from the engine's summary, at the end of a preview.
  if (duration == null || changeSummary == null) throw new UntrustedPreview("the preview did not finish: its JSON has no `duration` and `changeSummary`.");
  return {
    steps: (steps ?? []).map((s) => ({ op: s.op, urn: s.urn, type: typeOfUrn(s.urn), old: stateOf(s.oldState), new: stateOf(s.newState) })),
    counted: Object.values(changeSummary).reduce((sum, n) => sum + n, 0),
  };
}

/**
 * The steps of a preview's engine events, once they prove a finished preview without errors: a
 * refresh's result is in its outputs event, every other step in its pre-event.
 */
export function previewFromEvents(events: EngineEvent[]): FinishedPreview {
  refuseErrors(events.flatMap((e) => (e.diagnosticEvent?.severity === "error" ? [e.diagnosticEvent.message] : [])));
  const summary = events.find((e) => e.summaryEvent)?.summaryEvent;
  if (!summary) throw new UntrustedPreview("the preview did not finish: its events have no summary.");
  const steps: Step[] = [];
  for (const event of events) {
    const metadata = event.resOutputsEvent?.metadata ?? event.resourcePreEvent?.metadata;
    if (!metadata) continue;
    const isRefresh = metadata.op === "refresh";
    if (isRefresh !== Boolean(event.resOutputsEvent)) continue;
    steps.push({ op: metadata.op, urn: metadata.urn, type: typeOfUrn(metadata.urn), old: stateOf(metadata.old), new: stateOf(metadata.new) });
  }
  return { steps, counted: Object.values(summary.resourceChanges ?? {}).reduce((sum, n) => sum + (n ?? 0), 0) };
}

/**
 * Refuses a preview whose summary counts more resources than its steps name: it left some out
 * (`--target`, `--exclude`), so what it says about the rest is unknown. A resource the summary counts
 * as `same` has no plan step in the JSON, but it has a refresh step, since it is in the state.
 */
export function requireCounted(preview: FinishedPreview): void {
  const named = new Set(preview.steps.map((s) => s.urn)).size;
  if (preview.counted > named)
    throw new UntrustedPreview(
      `the preview counts ${preview.counted} resources but has steps for ${named}: it was limited (--target, --exclude); run \`pulumi preview --refresh --json\` on the whole stack.`,
    );
}

export function readPreviewJson(file: string): FinishedPreview {
  const text = file === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(file, "utf8");
  return previewFromJson(text);
}

/** Selects the stack of the program in `cwd` (the given one, or the current one). */
export async function selectStack(cwd: string, stackName?: string): Promise<Stack> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const workspace = await LocalWorkspace.create({ workDir: cwd });
  const name = stackName ?? (await workspace.stack())?.name;
  if (!name) throw new Error(`No stack is selected in ${cwd}: pass --stack NAME.`);
  return LocalWorkspace.selectStack({ stackName: name, workDir: cwd });
}

/**
 * A refreshed preview of the stack. `runProgram` makes the refresh use the provider as the program
 * configures it now (current stack config and environment), not as stored in the state with the
 * credentials of the last update.
 */
export async function previewStack(stack: Stack, costReport?: string, onProviderLine?: (line: string) => void): Promise<FinishedPreview> {
  const events: EngineEvent[] = [];
  // The provider's lines (a wait for the rate limit, a retry) are shown by the CLI and repeated under
  // Diagnostics: each is passed on once.
  const passedOn = new Set<string>();
  let partial = "";
  const onOutput = (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const said = line.match(/bitbucket: (.*)$/)?.[1]?.trim();
      if (said && !passedOn.has(said)) {
        passedOn.add(said);
        onProviderLine?.(said);
      }
    }
  };
  // The provider writes the requests it makes to this file (unless the stack config names another).
  if (costReport) stack.workspace.envVars[ENV_KEYS.costReport] = costReport;
  try {
    // A preview that fails rejects (exit 2 with its output); one that resolves is still checked for errors.
    await stack.preview({ refresh: true, runProgram: true, onEvent: (event) => events.push(event), ...(onProviderLine && { onOutput }) });
  } finally {
    if (costReport) delete stack.workspace.envVars[ENV_KEYS.costReport];
  }
  return previewFromEvents(events);
}

/** The resources in the stack's state, secrets in plaintext (for the provider's read; never printed). */
export async function stackResources(stack: Stack): Promise<ExportedResource[]> {
  const exported = await stack.exportStack();
  return (exported.deployment?.resources ?? []) as ExportedResource[];
}

/** The stack's `bitbucket:*` config, decrypted: where the provider takes its credentials from. */
export async function bitbucketConfig(stack: Stack): Promise<ConfigValues> {
  const all = await stack.getAllConfig();
  return Object.fromEntries(
    Object.entries(all)
      .filter(([key]) => key.startsWith("bitbucket:"))
      .map(([key, item]) => [key, item.value]),
  );
}
