// A resource's field table: one row per argument, from which its input schema, its request body,
// its state read from the API object and its diff keys all derive. The table's keys are checked
// against the resource's documented `Args` interface at compile time (see `fieldTable`).
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
  const schema = z.strictObject(Object.fromEntries(Object.entries(rows).map(([k, f]) => [k, f.schema]))) as unknown as z.ZodObject<Shape<F>>;
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
