// Each resource of the stack, judged from the steps of a refreshed preview: in sync, or which fields
// differ between what the program declares (the plan step's new inputs) and what Bitbucket has (the
// refreshed state). The provider's own diff decided whether a resource changes; this names the fields.
import { ownValue, UNKNOWN } from "../resources/common";
import { KIND, nameOfUrn, ResourceState, SECRET, Step } from "./steps";

export interface FieldDifference {
  /** The argument, with a dotted path into maps: `description`, `groups.contractors`. */
  field: string;
  /** Display values, secrets masked; `(absent)` when there is none. */
  declared: string;
  live: string;
}

export type Status = "in sync" | "drifted" | "deleted outside Pulumi" | "not created yet" | "not declared";

export interface ManagedResource {
  urn: string;
  name: string;
  /** `bitbucket:Repository` for this package's resources, the Pulumi type for others. */
  type: string;
  /** This package's resource kind (`Repository`, `Webhook`...), when it is one. */
  kind?: string;
  status: Status;
  differences: FieldDifference[];
  /** The refreshed state, when the object exists. */
  live?: ResourceState;
  /** The program's arguments, when it declares the resource (they name an object deleted outside Pulumi). */
  declared?: Record<string, unknown>;
}

const PLAN_OPS_BY_PRIORITY = ["replace", "update", "create", "delete", "create-replacement", "delete-replaced", "same", "read"];
const ABSENT = "(absent)";
const SECRET_NAME = /secret|token|password/i;

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify([...new Set(value.map(canonical))].sort());
  if (isMap(value))
    return JSON.stringify(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    );
  return JSON.stringify(value ?? null);
}

/** Objects with their keys sorted, so a value always prints the same. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (isMap(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortedKeys(value[k])]),
    );
  return value;
}

function display(field: string, value: unknown): string {
  if (value === undefined || value === null) return ABSENT;
  if (value === UNKNOWN) return "(known after update)";
  if (SECRET_NAME.test(field.split(".").pop() ?? "") || canonical(value).includes(SECRET)) return SECRET;
  return JSON.stringify(sortedKeys(value));
}

/** The fields whose declared value differs from the live one; maps are compared key by key. */
export function fieldDifferences(declared: Record<string, unknown>, live: ResourceState): FieldDifference[] {
  const out: FieldDifference[] = [];
  const visit = (field: string, want: unknown, have: unknown) => {
    if (isMap(want) && isMap(have)) {
      for (const key of [...new Set([...Object.keys(want), ...Object.keys(have)])].sort()) visit(`${field}.${key}`, ownValue(want, key), ownValue(have, key));
    } else if (canonical(want) !== canonical(have)) {
      out.push({ field, declared: display(field, want), live: display(field, have) });
    }
  };
  for (const key of Object.keys(declared).sort()) {
    const known = key in live.inputs || key in live.outputs;
    // An argument read() never reports (used only at creation, like `adopt`) has no live value to compare;
    // a secret the object no longer has is reported, masked.
    if (!known && declared[key] !== SECRET) continue;
    visit(key, declared[key], key in live.inputs ? live.inputs[key] : live.outputs[key]);
  }
  return out;
}

/** The declared fields whose values are secrets: the only ones that can hide a difference. */
function maskedFields(declared: Record<string, unknown>): string[] {
  return Object.keys(declared)
    .filter((key) => canonical(declared[key]).includes(SECRET))
    .sort();
}

const DIFFERS = `${SECRET} (differs)`;
/** A secret other differences hide from a preview, which no exact check compared: said, not left out. */
const NOT_COMPARED = `${SECRET} (not compared)`;

/** The fields a step's states show differing: the program's inputs against the refreshed state. */
const shownDifferences = (plan: Step, live: ResourceState | undefined) => (live && plan.new ? fieldDifferences(plan.new.inputs, live) : []);

/**
 * The differences of a resource the provider's diff found changed. Both sides of a secret show masked,
 * so a secret is named when the source says it differs (the state source does, and the check after a
 * preview of `secretsToCheck`), or, from a preview, when nothing shown differs: then only a secret can be
 * what the provider's diff saw. Otherwise a declared secret is listed as not compared.
 */
function changedFields(plan: Step, live: ResourceState | undefined): FieldDifference[] {
  const shown = shownDifferences(plan, live);
  const named = new Set(shown.map((d) => d.field.split(".")[0]));
  const masked = plan.differingSecrets ?? maskedFields(plan.new?.inputs ?? {});
  const verdict = plan.differingSecrets || shown.length === 0 ? DIFFERS : NOT_COMPARED;
  const differences = [...shown, ...masked.filter((field) => !named.has(field)).map((field) => ({ field, declared: SECRET, live: verdict }))];
  return differences.length > 0 ? differences : [{ field: "(unspecified)", declared: "changed", live: "(not shown)" }];
}

function displayType(type: string): { type: string; kind?: string } {
  const kind = KIND.exec(type)?.[1];
  return kind ? { type: `bitbucket:${kind}`, kind } : { type };
}

interface Judged {
  urn: string;
  type: string;
  /** The step that decides the resource's status, when the source has one. */
  plan?: Step;
  live?: ResourceState;
  /** Whether a refresh step names it (it was in the state). */
  refreshed: boolean;
}

/** Each custom resource of the steps with its deciding plan step and its refreshed state. */
function judged(steps: Step[]): Judged[] {
  const refreshed = new Map<string, ResourceState | undefined>();
  const plans = new Map<string, Step[]>();
  const types = new Map<string, string>();
  for (const step of steps) {
    if (step.type === "pulumi:pulumi:Stack" || step.type.startsWith("pulumi:providers:")) continue;
    if ((step.new ?? step.old)?.custom === false) continue;
    types.set(step.urn, step.type);
    if (step.op === "refresh") refreshed.set(step.urn, step.new);
    else plans.set(step.urn, [...(plans.get(step.urn) ?? []), step]);
  }
  return [...types].map(([urn, type]) => {
    const plan = plans.get(urn)?.sort((a, b) => PLAN_OPS_BY_PRIORITY.indexOf(a.op) - PLAN_OPS_BY_PRIORITY.indexOf(b.op))[0];
    // The plan step's old state is the refreshed one (the JSON's refresh steps repeat the stored state).
    return { urn, type, plan, live: plan?.old ?? refreshed.get(urn), refreshed: refreshed.has(urn) };
  });
}

const isDrifted = (plan: Step | undefined): plan is Step => plan !== undefined && !["same", "read", "create", "delete"].includes(plan.op);

/**
 * The plan steps of drifted resources whose declared secrets other shown differences hide: a preview
 * cannot say whether those secrets differ too, so they need an exact check (`state.ts`).
 */
export function secretsToCheck(steps: Step[]): Step[] {
  return judged(steps).flatMap(({ plan, live }) =>
    isDrifted(plan) && plan.differingSecrets === undefined && maskedFields(plan.new?.inputs ?? {}).length > 0 && shownDifferences(plan, live).length > 0
      ? [plan]
      : [],
  );
}

/** Every custom resource of the stack with its status and differing fields. */
export function assessResources(steps: Step[]): ManagedResource[] {
  const resources: ManagedResource[] = [];
  for (const { urn, type, plan, live, refreshed } of judged(steps)) {
    const base = { urn, name: nameOfUrn(urn), ...displayType(type), live, declared: plan?.new?.inputs };
    const whole = (declared: string, liveValue: string) => [{ field: "(resource)", declared, live: liveValue }];
    if (!plan || plan.op === "same" || plan.op === "read") {
      // Refreshed away (gone from Bitbucket) and no longer declared: nothing left to compare.
      if (live) resources.push({ ...base, status: "in sync", differences: [] });
      continue;
    }
    switch (plan.op) {
      case "create":
        resources.push(
          refreshed
            ? { ...base, live: undefined, status: "deleted outside Pulumi", differences: whole("exists", ABSENT) }
            : { ...base, status: "not created yet", differences: whole("exists", ABSENT) },
        );
        break;
      case "delete":
        resources.push({ ...base, status: "not declared", differences: whole(ABSENT, "exists") });
        break;
      default:
        resources.push({ ...base, status: "drifted", differences: changedFields(plan, live) });
    }
  }
  return resources;
}
