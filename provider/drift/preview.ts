// The facts a drift report is built from: the steps of a refreshed preview. They come either from the
// JSON of `pulumi preview --refresh --json` (any pipeline can produce it) or from the engine events of
// a preview run here through the Automation API; both become the same list of steps.
//
// What the CLI really emits (v3.274): one `refresh` step per resource in the state, then the plan's
// steps, whose old state is the refreshed one and whose new inputs are the program's. In the events a
// refresh's outputs event carries what read() returned (nothing when the object is gone); in the JSON
// the refresh steps repeat the stored state, and resources whose plan step is `same` are left out.
// Neither carries a detailed diff for a dynamic provider: compare.ts works the fields out.
import * as fs from "fs";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { z } from "zod";
import { ConfigValues } from "../config";
import type { ExportedResource } from "./state";

export interface ResourceState {
  id?: string;
  /** False for component resources, which have no live object of their own. */
  custom: boolean;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

export interface Step {
  op: string;
  urn: string;
  type: string;
  old?: ResourceState;
  new?: ResourceState;
}

/** How a secret value reads in the preview JSON; events carry a signature object instead. */
export const SECRET = "[secret]";
/** The key that marks a secret value in the state and in engine events. */
export const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

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

/** `urn:pulumi:stack::project::[parent$]type::name` → its type. */
export function typeOfUrn(urn: string): string {
  const parts = urn.split("::");
  return (parts[parts.length - 2] ?? "").split("$").pop() ?? "";
}

export function nameOfUrn(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

const PreviewJson = z.looseObject({
  steps: z.array(
    z.looseObject({
      op: z.string(),
      urn: z.string(),
      oldState: RawState.nullish(),
      newState: RawState.nullish(),
    }),
  ),
});

/** The steps of `pulumi preview --refresh --json` output. */
export function stepsFromPreviewJson(text: string): Step[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`The preview JSON is not JSON (${(err as Error).message}): give the output of \`pulumi preview --refresh --json\`.`, {
      cause: err,
    });
  }
  const parsed = PreviewJson.safeParse(json);
  if (!parsed.success) throw new Error("The preview JSON has no `steps`: give the output of `pulumi preview --refresh --json`.");
  return parsed.data.steps.map((s) => ({ op: s.op, urn: s.urn, type: typeOfUrn(s.urn), old: stateOf(s.oldState), new: stateOf(s.newState) }));
}

/** The steps of a preview's engine events: a refresh's result is in its outputs event, every other step in its pre-event. */
export function stepsFromEvents(events: EngineEvent[]): Step[] {
  const steps: Step[] = [];
  for (const event of events) {
    const metadata = event.resOutputsEvent?.metadata ?? event.resourcePreEvent?.metadata;
    if (!metadata) continue;
    const isRefresh = metadata.op === "refresh";
    if (isRefresh !== Boolean(event.resOutputsEvent)) continue;
    steps.push({ op: metadata.op, urn: metadata.urn, type: typeOfUrn(metadata.urn), old: stateOf(metadata.old), new: stateOf(metadata.new) });
  }
  return steps;
}

export function readPreviewJson(file: string): Step[] {
  const text = file === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(file, "utf8");
  return stepsFromPreviewJson(text);
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
export async function previewStack(stack: Stack): Promise<Step[]> {
  const events: EngineEvent[] = [];
  await stack.preview({ refresh: true, runProgram: true, onEvent: (event) => events.push(event) });
  return stepsFromEvents(events);
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
