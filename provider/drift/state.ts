// The steps of a refresh done here, without the engine and without running the program: each of this
// package's resources in the stack's state is read from Bitbucket by the installed provider (read, as
// `pulumi refresh` calls it), and the state's inputs (what the last update applied) stand for the
// program's. What this finds is drift, the changes made outside Pulumi since the last update, as
// Terraform's `plan -refresh-only` does; program edits not applied yet are not seen (the refreshed
// preview sees both, at the cost of running the program and the engine).
import type { Context } from "../context";
import type { ResourceKind } from "../registry";
import { RESOURCES } from "../registry";
import type { KindProvider } from "../runtime";
import { providerFor } from "../runtime";
import { ExportedResource, KIND, ResourceState, SECRET, SECRET_SIGNATURE, Step } from "./steps";

const isSecret = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && SECRET_SIGNATURE in value;

/** The value with each secret as its plaintext, as the engine hands values to a provider. */
function revealed(value: unknown): unknown {
  if (isSecret(value)) {
    if (typeof value.plaintext !== "string") throw new Error("The state holds an encrypted secret: export it with --show-secrets.");
    return revealed(JSON.parse(value.plaintext));
  }
  if (Array.isArray(value)) return value.map(revealed);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealed(v)]));
  return value;
}

/** The fields without the serialized provider, secrets revealed. */
function fields(props: Record<string, unknown> | undefined): Record<string, unknown> {
  const { __provider: _provider, ...rest } = props ?? {};
  return revealed(rest) as Record<string, unknown>;
}

/** The fields with every field that the state keeps secret shown as SECRET: nothing secret reaches a report. */
function shown(props: Record<string, unknown>, secretKeys: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, secretKeys.has(k) ? SECRET : v]));
}

/**
 * The secret arguments whose declared value differs from the live one, by the provider's own diff: the
 * live state against its live inputs with only that argument as declared. Undefined when the live
 * inputs alone already differ from the live state, as the diff then says nothing about one argument.
 */
async function differingSecrets(
  provider: KindProvider,
  id: string,
  live: ResourceState,
  declared: Record<string, unknown>,
  secretKeys: Set<string>,
): Promise<string[] | undefined> {
  const differs = async (inputs: Record<string, unknown>) => (await provider.diff(id, live.outputs, inputs)).changes === true;
  if (await differs(live.inputs)) return undefined;
  const keys = [...secretKeys].filter((key) => key in declared).sort();
  const verdicts = await Promise.all(keys.map((key) => differs({ ...live.inputs, [key]: declared[key] })));
  return keys.filter((_key, i) => verdicts[i]);
}

export function isOwnResource(r: ExportedResource): boolean {
  const kind = KIND.exec(r.type)?.[1];
  return r.custom !== false && !r.delete && typeof r.id === "string" && r.id !== "" && kind !== undefined && Object.hasOwn(RESOURCES, kind);
}

/** A resource of the state read from Bitbucket by its provider, as `pulumi refresh` reads it; secrets in plaintext. */
async function readResource(r: ExportedResource, context: () => Context) {
  const provider = providerFor(KIND.exec(r.type)![1] as ResourceKind, context);
  const secretKeys = new Set([r.inputs, r.outputs].flatMap((props) => Object.keys(props ?? {}).filter((k) => isSecret(props![k]))));
  const inputs = fields(r.inputs);
  const outputs = fields(r.outputs);
  const read = await provider.read(r.id!, outputs);
  const live: ResourceState | undefined = read.id ? { id: read.id, custom: true, inputs: read.inputs ?? {}, outputs: read.props ?? {} } : undefined;
  return { provider, secretKeys, inputs, outputs, live };
}

/**
 * Reads every resource of this package in `resources` through `context` (its client caps the
 * requests in flight) and returns, per resource, a refresh step and a plan step as a refreshed
 * preview of an unchanged program would have them.
 */
export async function stepsFromState(resources: ExportedResource[], context: () => Context, progress: (message: string) => void): Promise<Step[]> {
  const own = resources.filter(isOwnResource);
  let done = 0;
  const every = Math.max(1, Math.ceil(own.length / 10));
  const perResource = await Promise.all(
    own.map(async (r): Promise<Step[]> => {
      const { provider, secretKeys, inputs, outputs, live } = await readResource(r, context);
      const changed = live !== undefined && (await provider.diff(r.id!, live.outputs, inputs)).changes === true;
      const secretsDiffering = changed ? await differingSecrets(provider, r.id!, live, inputs, secretKeys) : undefined;
      if (++done % every === 0 || done === own.length) progress(`read ${done} of ${own.length} resources`);
      const liveShown = live && { ...live, inputs: shown(live.inputs, secretKeys), outputs: shown(live.outputs, secretKeys) };
      const declared: ResourceState = { id: r.id, custom: true, inputs: shown(inputs, secretKeys), outputs: shown(outputs, secretKeys) };
      return [
        { op: "refresh", urn: r.urn, type: r.type, old: declared, new: liveShown },
        { op: !live ? "create" : changed ? "update" : "same", urn: r.urn, type: r.type, old: liveShown, new: declared, differingSecrets: secretsDiffering },
      ];
    }),
  );
  return perResource.flat();
}

/**
 * After a refreshed preview, which shows secrets masked on both sides: the secrets of `toCheck` (plan
 * steps whose other differences hide them, compare.ts `secretsToCheck`) judged as --from-state judges
 * them. Each of those resources is read again (one read each, none for the rest) with the plaintext
 * the last update wrote (the stack's state), and the provider's diff says which secrets differ. Returns
 * `steps` with `differingSecrets` set on the plan steps it could check.
 */
export async function checkHiddenSecrets(steps: Step[], toCheck: Step[], resources: ExportedResource[], context: () => Context): Promise<Step[]> {
  const stored = new Map(resources.filter(isOwnResource).map((r) => [r.urn, r]));
  const verdicts = new Map<Step, string[] | undefined>();
  await Promise.all(
    toCheck.map(async (plan) => {
      const r = stored.get(plan.urn);
      if (!r) return;
      const { provider, secretKeys, inputs, live } = await readResource(r, context);
      if (live) verdicts.set(plan, await differingSecrets(provider, r.id!, live, inputs, secretKeys));
    }),
  );
  return steps.map((step) => (verdicts.get(step) === undefined ? step : { ...step, differingSecrets: verdicts.get(step) }));
}

/**
 * The resources of this package in the stack's state that no step of a preview names: the preview
 * has no answer for them (it was limited with --target or --exclude, or is of another state).
 */
export function uncoveredResources(steps: Step[], resources: ExportedResource[]): string[] {
  const named = new Set(steps.map((s) => s.urn));
  return resources.filter((r) => isOwnResource(r) && !named.has(r.urn)).map((r) => r.urn);
}
