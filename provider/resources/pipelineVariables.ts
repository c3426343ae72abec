// What the three kinds of pipeline variable share (RepositoryVariable, WorkspaceVariable,
// DeploymentVariable): the key's rule, the rows of key, value and `secured`, the state, and a creation
// that never makes a second variable. A secured variable's value is write-only: Bitbucket never
// returns it, so the state keeps the value last set (a Pulumi secret: every value is, secured or not)
// and a change made outside Pulumi to a secured value cannot be seen; the key, `secured` and a value
// that is not secured are read back, so their drift is.
import { z } from "zod";
import { isAlreadyExists } from "../client";
import type { VariableBody, VariableObject } from "../client/api";
import type { Context } from "../context";
import { reportTakeOver } from "./common";

export const VARIABLE_KEY_RULE = "must be ASCII letters, digits and underscores, not starting with a digit (e.g. DEPLOY_ENV)";
export const VariableKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, VARIABLE_KEY_RULE);

/** The rows every variable kind's field table has. */
export const VARIABLE_ROWS = {
  key: { schema: VariableKey, api: "key", update: true },
  // Every value is a Pulumi secret: a variable not secured today may be tomorrow.
  value: { schema: z.string(), api: "value", absent: "", secret: true, update: true },
  // Bitbucket cannot make a secured variable readable again: a change replaces the variable (its key
  // freed first, as Bitbucket holds a key once).
  secured: { schema: z.boolean().default(false), api: "secured", absent: false, replace: true },
} as const;

/** The key, `secured` and value of the state: a secured value is the one last set (`spelled`), never read. */
export function variableState(live: VariableObject, spelled: unknown): { key: string; secured: boolean; value?: string } {
  const secured = live.secured ?? false;
  return { key: live.key, secured, value: secured ? (typeof spelled === "string" ? spelled : undefined) : (live.value ?? "") };
}

export const variableBody = (inputs: { key: string; value: string; secured: boolean }): VariableBody => ({
  key: inputs.key,
  value: inputs.value,
  secured: inputs.secured,
});

/** Where a variable is created: its holder's list, its POST and its PUT. */
export interface VariablePlace {
  what: string;
  list(): Promise<VariableObject[]>;
  create(): Promise<VariableObject>;
  update(uuid: string): Promise<VariableObject>;
}

/**
 * Creates the variable, never twice: when Bitbucket answers that the key is taken (a lost answer, a
 * killed run, or a variable added by hand), the variable with that key is taken over and set to the
 * program's value; one that already matches (not secured, same value) silently. A secured one's value
 * cannot be compared: it is always written, and said so.
 */
export async function createVariableOnce(ctx: Context, place: VariablePlace, body: VariableBody): Promise<VariableObject> {
  try {
    return await place.create();
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    const existing = (await place.list()).find((v) => v.key === body.key);
    if (!existing) throw err;
    const secured = existing.secured ?? false;
    if (!secured && !body.secured && (existing.value ?? "") === body.value) return existing;
    reportTakeOver(
      ctx,
      `${place.what} already had a variable ${body.key} (${secured ? "secured: its value cannot be read" : "not secured, with another value"}; perhaps this program's own, whose answer was lost), now set to the program's value`,
    );
    return place.update(existing.uuid);
  }
}
