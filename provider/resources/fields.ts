// A resource's field table: one row per argument, from which its input schema, its request body,
// its state read from the API object and its diff keys all derive. The table's keys are checked
// against the resource's documented `Args` interface at compile time (see `fieldTable`).
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { changedKeys, checkInputs, compact, parseInputs, replacedKeys } from "./common";

export interface Field<S extends z.ZodType = z.ZodType> {
  /** The argument's rule, checked at preview. */
  schema: S;
  /** Where the value lives in the API object, dotted (`is_private`, `project.key`). None: the argument
   * is not sent in the body nor read back from the object (e.g. it is part of the URL). */
  api?: string;
  /** The state value when the API object has none (so an emptied field reads as "", not as unset). */
  absent?: unknown;
  /** How the API's value becomes the state's (when the API spells it differently). */
  fromApi?: (value: never) => unknown;
  /** Changing it replaces the resource. */
  replace?: true;
  /** Changing it updates the resource in place (the diff and the update body cover it). */
  update?: true;
  /** Its value is never echoed in a message and is kept in the state only as a Pulumi secret. */
  secret?: true;
  /** Only read at creation: not read back from the API; the runtime keeps the program's value in the
   * state (`createOnlyKeys`, read by provider/runtime.ts), so a refresh reports it unchanged. */
  createOnly?: true;
}

export type Fields = Record<string, Field>;

/** The table of a resource whose arguments are `Args`: exactly its keys, no more, no fewer. */
export function fieldTable<Args>() {
  return <F extends { [K in keyof Args]-?: Field }>(rows: F & Record<Exclude<keyof F, keyof Args>, never>) => table(rows as F);
}

type Shape<F extends Fields> = { [K in keyof F]: F[K]["schema"] };
export type Inputs<F extends Fields> = z.infer<z.ZodObject<Shape<F>>>;

function keysWhere(rows: Fields, flag: keyof Field): string[] {
  return Object.keys(rows).filter((k) => rows[k][flag] !== undefined);
}

function pathGet(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), obj);
}

function pathSet(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  const last = keys.pop() as string;
  let target = obj;
  for (const key of keys) target = (target[key] ??= {}) as Record<string, unknown>;
  target[last] = value;
}

function table<F extends Fields>(rows: F) {
  // Strict: an unknown argument (a typo such as `isPrivat`) is an error, never silently dropped.
  const schema = z.strictObject(Object.fromEntries(Object.entries(rows).map(([k, f]) => [k, f.schema]))) as z.ZodObject<Shape<F>>;
  const secretKeys = keysWhere(rows, "secret");
  const updateKeys = keysWhere(rows, "update");
  const replaceKeys = keysWhere(rows, "replace");
  // Every argument but those only read at creation is part of the state (and an output).
  const createOnlyKeys = keysWhere(rows, "createOnly");
  const stateKeys = Object.keys(rows).filter((k) => !rows[k].createOnly);
  return {
    rows,
    schema,
    secretKeys,
    updateKeys,
    replaceKeys,
    createOnlyKeys,
    stateKeys,
    /** check: the normalized inputs, or the failures each naming its field. */
    check: (news: Record<string, unknown>) => checkInputs(schema, news, secretKeys),
    /** The checked inputs, typed (throws on invalid ones). */
    parse: (inputs: Record<string, unknown>) => parseInputs(schema, inputs, secretKeys) as Inputs<F>,
    /** The request body (typed as the client's `B`) for the given arguments: those set and sent to the API. */
    body<B = Record<string, unknown>>(inputs: Record<string, unknown>, keys: readonly string[] = Object.keys(rows)): B {
      const body: Record<string, unknown> = {};
      for (const k of keys) if (rows[k]?.api && inputs[k] !== undefined) pathSet(body, rows[k].api, inputs[k]);
      return body as B;
    },
    /** The state of every argument the API object holds. */
    state(live: object): Record<string, unknown> {
      const state: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(rows)) {
        if (!f.api) continue;
        const value = pathGet(live, f.api) ?? f.absent;
        state[k] = value !== undefined && value !== null && f.fromApi ? f.fromApi(value as never) : value;
      }
      return compact(state);
    },
    /** What read reports as inputs: every argument the state holds. */
    inputsOf(state: Record<string, unknown>): Record<string, unknown> {
      return compact(Object.fromEntries(stateKeys.map((k) => [k, state[k]])));
    },
    /** The arguments whose change replaces the resource, and those it updates in place. */
    diff(olds: Record<string, unknown>, news: Record<string, unknown>) {
      return { replaces: replacedKeys(olds, news, replaceKeys), changes: changedKeys(olds, news, updateKeys) };
    },
  };
}

// ---- Outputs -----------------------------------------------------------------------------------
// A resource's outputs are the arguments in its state (every row but the `createOnly` ones), typed by
// their rows' schemas, and the outputs it declares besides, once each in its `outputTable`: from that
// come both the class's output properties (`ResourceOutputs`, merged into the class by an interface of
// the class's name) and the runtime list of output names (`keys`).

/** An output that is not an argument, of type `T`: `output<T>()` in an output table, described by its JSDoc. */
export interface ComputedOutput<T> {
  readonly computed: true;
  /** Never set: carries `T` for the compiler (as a parameter type, so `T` is inferred exactly, `undefined` included). */
  readonly type?: (value: T) => void;
}

/**
 * The output of the argument of the same name, listed in an output table for its description (its JSDoc);
 * `alwaysSet`: Bitbucket always reports it, so it is set once the resource exists although the argument is optional.
 */
export interface ArgumentOutput<AlwaysSet extends boolean = boolean> {
  readonly computed: false;
  readonly alwaysSet: AlwaysSet;
}

export type OutputDeclaration = ComputedOutput<never> | ArgumentOutput;

export function output<T>(): ComputedOutput<T> {
  return { computed: true };
}

export function argument(): ArgumentOutput<false>;
export function argument(set: "always set"): ArgumentOutput<true>;
export function argument(set?: "always set"): ArgumentOutput {
  return { computed: false, alwaysSet: set !== undefined };
}

/** The rows that are outputs: all but those only read at creation. */
type StateKey<F extends Fields> = { [K in keyof F]: F[K] extends { createOnly: true } ? never : K }[keyof F];

/** A field's output value: its schema's output, never undefined when the row says what an absent value reads as, or when it is always set. */
type FieldValue<Row, AlwaysSet> = Row extends { schema: infer S extends z.ZodType }
  ? AlwaysSet extends true
    ? Exclude<z.output<S>, undefined>
    : Row extends { absent: unknown }
      ? Exclude<z.output<S>, undefined>
      : z.output<S>
  : never;

/** The declarations an output table accepts: a computed output not named like an output argument, an argument output named like one. */
type Checked<F extends Fields, D> = {
  [K in keyof D]: D[K] extends { computed: true } ? (K extends StateKey<F> ? never : D[K]) : K extends StateKey<F> ? D[K] : never;
};

/** A resource's outputs: the names (`keys`, what the class hands Pulumi) and, for the compiler, the rows and declarations they come from. */
export interface OutputTable<F extends Fields, D> {
  readonly keys: readonly string[];
  readonly declared: D;
  /** Never set: carries the rows' type. */
  readonly rows?: F;
}

/** The outputs of a resource whose field table is `fields`: its arguments in the state, and those declared here. */
export function outputTable<F extends Fields, D extends Record<string, OutputDeclaration>>(
  fields: { rows: F; stateKeys: readonly string[] },
  declared: D & NoInfer<Checked<F, D>>,
): OutputTable<F, D> {
  const computed = Object.keys(declared).filter((k) => declared[k].computed);
  return { keys: [...new Set([...fields.stateKeys, ...computed])], declared };
}

/** The output properties of a resource class (each a `pulumi.Output`), from its output table. */
export type ResourceOutputs<T> =
  T extends OutputTable<infer F, infer D>
    ? { readonly [K in Exclude<StateKey<F>, keyof D>]: pulumi.Output<FieldValue<F[K], false>> } & {
        readonly [K in keyof D]: D[K] extends ComputedOutput<infer V>
          ? pulumi.Output<V>
          : K extends keyof F
            ? pulumi.Output<FieldValue<F[K], D[K] extends ArgumentOutput<true> ? true : false>>
            : never;
      }
    : never;
