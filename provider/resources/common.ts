// Helpers shared by the resource files: the shape of a resource's provider, check with zod (leaving
// preview-time unknowns alone), pure diff helpers, ID parts, and JSON-clean outputs.
import * as pulumi from "@pulumi/pulumi";
import { closest, distance } from "fastest-levenshtein";
import * as path from "path";
import { z } from "zod";
import { notifyOnStderr } from "../client";
import type { Api } from "../client/api";
import type { Credentials } from "../client/auth";
import type { CheckContext, Context } from "../context";
import type { ResourceKind } from "../registry";
import { shim } from "../shim";
import { CLAIM_CONFLICTS, claimConflicts, ClaimRule } from "./claims";
import { text } from "./discovery";

/** What each resource file exports as `provider`: check and diff never write (check may look up through CheckContext); the rest get the client. */
export interface ResourceProvider {
  /**
   * The credential kinds its API calls accept; unset: all. The runtime's check refuses the others at
   * preview: for any inputs, or with `whenSet` only when one of those arguments is set.
   */
  credentials?: { accepted: readonly Credentials["kind"][]; whenSet?: readonly string[] };
  check(olds: Record<string, unknown>, news: Record<string, unknown>, known?: CheckContext): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult>;
  create(ctx: Context, inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult>;
  read(ctx: Context, id: string, props?: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult>;
  update(ctx: Context, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult>;
  delete(ctx: Context, id: string, props: Record<string, unknown>): Promise<void>;
}

/** What the engine sends for a value not known yet (preview), also inside arrays and objects. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * The value a map holds under `key` itself. Map keys come from programs and from Bitbucket (group
 * slugs, webhook titles): `constructor` or `toString` is a key like any other, not a property every
 * object inherits.
 */
export function ownValue<V>(map: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

export function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (value && typeof value === "object") return Object.values(value).some(isUnknown);
  return false;
}

function describe(issue: z.core.$ZodIssue, secretKeys: readonly string[]): string {
  const field = issue.path.map(String).join(".") || "(input)";
  const secret = issue.path.some((p) => secretKeys.includes(String(p)));
  const got = !secret && "input" in issue && issue.input !== undefined ? ` (got ${JSON.stringify(issue.input)})` : "";
  switch (issue.code) {
    case "invalid_value":
      return `${field} must be one of ${issue.values.map((v) => String(v)).join(", ")}${got}.`;
    case "invalid_type":
      return issue.input === undefined ? `${field} is required.` : `${field} must be a ${issue.expected}${got}.`;
    case "unrecognized_keys":
      return `Unknown argument(s): ${issue.keys.join(", ")}.`;
    default:
      // A message ending in "." gets no second one (a ".." inside the message or the input is kept).
      return `${field} ${issue.message}${got}.`.replace(/\.\.$/, ".");
  }
}

/**
 * Validates the known inputs; unknown (preview) values pass through untouched. Returns the
 * normalized inputs (what zod's transforms produce), or the failures, each naming its field.
 */
export function checkInputs(schema: z.ZodObject, news: Record<string, unknown>, secretKeys: readonly string[] = []): pulumi.dynamic.CheckResult {
  const unknownKeys = Object.keys(news).filter((k) => isUnknown(news[k]) && k in schema.shape);
  const known: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(news)) if (!unknownKeys.includes(k) && k !== "__provider" && v !== null) known[k] = v;
  // Fields not known yet are optional for now; they are checked once they are known.
  const partial = unknownKeys.length ? schema.partial(Object.fromEntries(unknownKeys.map((k) => [k, true])) as never) : schema;
  const result = partial.safeParse(known, { reportInput: true });
  if (result.success) {
    const inputs: Record<string, unknown> = { ...(result.data as object) };
    for (const k of unknownKeys) inputs[k] = news[k];
    return { inputs: compact(inputs) };
  }
  const allowed = Object.keys(schema.shape);
  const failures = result.error.issues
    .filter((issue) => !(issue.path.length > 0 && unknownKeys.includes(String(issue.path[0]))))
    .flatMap((issue) =>
      issue.code === "unrecognized_keys" && issue.path.length === 0
        ? issue.keys.map((key) => ({ property: key, reason: unknownArgument(key, allowed) }))
        : [{ property: issue.path.map(String).join(".") || "(input)", reason: describe(issue, secretKeys) }],
    );
  if (failures.length === 0) return { inputs: news };
  return { inputs: news, failures };
}

/** An argument the resource does not have: an error (a typo must not be dropped silently), with the likely intended one. */
function unknownArgument(key: string, allowed: string[]): string {
  const likely = closest(key, allowed);
  const hint = distance(key.toLowerCase(), likely.toLowerCase()) <= Math.max(2, key.length / 3) ? ` Did you mean ${likely}?` : "";
  return `${key} is not an argument of this resource.${hint} Its arguments are: ${allowed.join(", ")}.`;
}

export type CheckFailure = pulumi.dynamic.CheckFailure;

/** A check result with extra failures added (the inputs stay as given when anything failed). */
export function withFailures(result: pulumi.dynamic.CheckResult, news: Record<string, unknown>, extra: CheckFailure[]): pulumi.dynamic.CheckResult {
  if (extra.length === 0) return result;
  return { inputs: news, failures: [...(result.failures ?? []), ...extra] };
}

/** Throws when the inputs are invalid (create/update are called with checked inputs, but be safe). */
export function parseInputs<S extends z.ZodType>(schema: S, inputs: Record<string, unknown>, secretKeys: readonly string[] = []): z.infer<S> {
  const known: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) if (k !== "__provider" && v !== null) known[k] = v;
  const result = schema.safeParse(known, { reportInput: true });
  if (!result.success) throw new Error(`Invalid arguments: ${result.error.issues.map((issue) => describe(issue, secretKeys)).join(" ")}`);
  return result.data;
}

/**
 * The parts of an ID made of `names` joined by "/" (e.g. `workspace/repository/groupSlug`). An ID of
 * one part is the last name's value, the others then come from the state (as `get` may pass them).
 */
export function splitId<N extends string>(what: string, id: string, names: readonly N[], props?: Record<string, unknown>): Record<N, string> {
  const parts = id.split("/");
  if (parts.length === names.length && parts.every((p) => p !== "")) return Object.fromEntries(names.map((n, i) => [n, parts[i]])) as Record<N, string>;
  const fromState = names.slice(0, -1);
  const missing = fromState.filter((n) => typeof props?.[n] !== "string" || props[n] === "");
  if (parts.length === 1 && id !== "" && missing.length === 0)
    return { ...Object.fromEntries(fromState.map((n) => [n, props?.[n]])), [names[names.length - 1]]: id } as Record<N, string>;
  throw new Error(
    `Cannot address ${what} ${id}: its ${(missing.length ? missing : fromState).join(" and ")} ${missing.length > 1 ? "are" : "is"} unknown. ` +
      `Give the ID as "${names.join("/")}" or pass { ${fromState.join(", ")} } as the state to get().`,
  );
}

/**
 * While a resource registers, the Pulumi SDK captures a stack trace for each of the four promises it
 * makes per property (for its leaked-promise report), each mapped through source maps: measured, the
 * largest part of a big program's CPU time. It also stores the whole call stack of the registration
 * in the state (about 700 bytes per resource, most of it ts-node and SDK internals). BitbucketResource
 * calls this before super() and the returned function once super() returns: promises get
 * no stack, and the resource's stack keeps the SDK's frames (which the SDK skips) and the program's
 * line that declared the resource, so its recorded source position is that line rather than ours.
 * PULUMI_DEBUG_PROMISE_LEAKS keeps every stack whole.
 */
function trimStacksWhileRegistering(): () => void {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return () => {};
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 0;
  Error.prepareStackTrace = (error, frames) => {
    const firstOutsideSdk = frames.findIndex((f) => !isSdkFrame(f));
    const declaring = frames.find((f, i) => i >= firstOutsideSdk && !isOwnFrame(f));
    const kept = firstOutsideSdk < 0 ? frames : [...frames.slice(0, firstOutsideSdk), ...(declaring ? [declaring] : [])];
    return prepare ? prepare(error, kept) : [String(error), ...kept.map((f) => `    at ${f}`)].join("\n");
  };
  return () => {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  };
}

const PROVIDER_DIR = path.resolve(__dirname, "..") + path.sep;
const frameFile = (frame: NodeJS.CallSite) => (frame.getFileName() ?? "").replace(/^file:\/\//, "");
const isSdkFrame = (frame: NodeJS.CallSite) => /[\\/]@pulumi[\\/]pulumi[\\/]/.test(frameFile(frame));
const isOwnFrame = (frame: NodeJS.CallSite) => frameFile(frame).startsWith(PROVIDER_DIR);

/** What a `get` of an object in a repository takes beside its ID, when the ID does not name the repository. */
export interface InRepository {
  workspace?: pulumi.Input<string>;
  repository?: pulumi.Input<string>;
}

/**
 * Every resource class of the package: a dynamic resource of type `bitbucket:<kind>` on the kind's
 * shim, registered with trimmed stacks. A resource declared by the program (not a `get`) also hands
 * its check the conflicts of its claims with the program's other resources (see claims.ts).
 */
export abstract class BitbucketResource extends pulumi.dynamic.Resource {
  /** `claims`: what the kind owns (its module's rule), so two resources over one object are refused. */
  constructor(kind: ResourceKind, claims: ClaimRule, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    const restoreStacks = trimStacksWhileRegistering();
    try {
      const conflicts = opts?.id === undefined ? { [CLAIM_CONFLICTS]: claimConflicts(claims, kind, name, props) } : {};
      super(shim(kind), name, { ...props, ...conflicts }, opts, "bitbucket", kind);
    } finally {
      restoreStacks();
    }
  }

  /**
   * What each kind's static `get` returns: the resource `id` read from Bitbucket into the stack. `state`
   * gives the ID parts a short ID leaves out (the workspace of a `{uuid}`, say). With an `id`, Pulumi takes
   * the arguments as that state, so the class receives it where its arguments go.
   */
  protected static existing<Args extends object, R>(
    this: new (name: string, args: Args, opts?: pulumi.CustomResourceOptions) => R,
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: Partial<Args>,
    opts?: pulumi.CustomResourceOptions,
  ): R {
    return new this(name, state as Args, { ...opts, id });
  }
}

/**
 * Says what a creation found in place and took over. Bitbucket records no owner, so whether another
 * stack or program manages it too cannot be known: if one does, the two will undo each other.
 */
export function reportTakeOver(ctx: Context, found: string): void {
  (ctx.options.notify ?? notifyOnStderr)(
    `${found}: taken over by this resource. If another stack or program manages the same (Bitbucket cannot tell), the two will undo each other's changes.`,
  );
}

/** Pulumi's diff answer from the arguments that replace and those that update in place. */
export function diffResult(keys: { replaces: string[]; changes: string[] }, deleteBeforeReplace: boolean, otherChange = false): pulumi.dynamic.DiffResult {
  return { changes: keys.replaces.length > 0 || keys.changes.length > 0 || otherChange, replaces: keys.replaces, deleteBeforeReplace };
}

/** Outputs start undefined so Pulumi exposes them as properties. */
export function withOutputs(args: object | undefined, keys: readonly string[]): Record<string, unknown> {
  return { ...Object.fromEntries(keys.map((k) => [k, undefined])), ...(args ?? {}) };
}

/** Drops undefined (and null) members: outputs must be plain JSON. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null) out[k] = v;
  return out as T;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const x = [...new Set(a.map(String))].sort();
    const y = [...new Set(b.map(String))].sort();
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  // Maps (grants by group, webhooks by title) are equal when they hold the same keys with equal values.
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    return keys.length === Object.keys(b).filter((k) => b[k] !== undefined).length && keys.every((k) => same(a[k], ownValue(b, k)));
  }
  return a === b;
}

/**
 * The keys whose new value differs from the old one. A key absent from `news` is not managed by the
 * program and never differs (so API defaults cause no perpetual diff); an unknown value differs.
 * Arrays compare as sets (order and duplicates do not matter).
 */
export function changedKeys(olds: Record<string, unknown>, news: Record<string, unknown>, keys: readonly string[]): string[] {
  return keys.filter((k) => news[k] !== undefined && news[k] !== null && (isUnknown(news[k]) || !same(olds[k], news[k])));
}

/** The identity keys whose value differs (absent counts as a value here). */
export function replacedKeys(olds: Record<string, unknown>, news: Record<string, unknown>, keys: readonly string[]): string[] {
  return keys.filter((k) => isUnknown(news[k]) || !same(olds[k] ?? undefined, news[k] ?? undefined));
}

// The identifier rules live in ../identifiers (shared with the read functions and the CLI); the
// resource files take them from here under their resource-side names.
export { notDotSegment, GroupSlug, Workspace as WorkspaceRef, Repository as RepositoryRef, AccountRef as UserRef } from "../identifiers";

/**
 * `splitId` of an object of a repository, and `at`: the repository as its requests address it, by the
 * UUID the state holds (it survives a rename), else as the ID names it.
 */
export function repositoryObjectId<N extends string>(
  what: string,
  id: string,
  names: readonly ["workspace", "repository", ...N[]],
  props?: Record<string, unknown>,
) {
  const parts = splitId<"workspace" | "repository" | N>(what, id, names, props);
  return { ...parts, at: text(props?.repositoryUuid) ?? parts.repository };
}

/** The repository's UUID: the reference itself when it is one, else one GET. Addressing by UUID survives renames. */
export async function repositoryUuid(api: Api, workspace: string, repository: string): Promise<string> {
  return repository.startsWith("{") ? repository : (await api.getRepository(workspace, repository)).uuid;
}

/**
 * The check and diff of a kind whose field table says it all. `deleteBeforeReplace` when the old and
 * new objects may be one (the same name, the same repository by another spelling); `asOld` gives the
 * new inputs as the diff sees them (a key spelled otherwise is the old one).
 */
export function checkAndDiff(
  fields: {
    check(news: Record<string, unknown>): pulumi.dynamic.CheckResult;
    diff(olds: Record<string, unknown>, news: Record<string, unknown>): { replaces: string[]; changes: string[] };
  },
  deleteBeforeReplace: boolean,
  asOld: (olds: Record<string, unknown>, news: Record<string, unknown>) => Record<string, unknown> = (_olds, news) => news,
): Pick<ResourceProvider, "check" | "diff"> {
  return {
    async check(_olds, news) {
      return fields.check(news);
    },
    async diff(_id, olds, news) {
      return diffResult(fields.diff(olds, asOld(olds, news)), deleteBeforeReplace);
    },
  };
}
