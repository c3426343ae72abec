// The rules every pipeline variable follows, wherever it lives (Atlassian's "Variables and secrets"
// page): a key of ASCII letters, digits and underscores, not starting with a digit, case-sensitive,
// once per holder (409 otherwise); a value is a string; a secured variable's value is never shown.
import { ApiError, invalidField, notFound } from "../../errors";
import { newUuid } from "../../ids";
import type { Ctx } from "../../http";
import type { PipelineVariable } from "./model";

type Body = Record<string, unknown>;

export const VARIABLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkKey(value: unknown): string {
  if (typeof value !== "string" || !VARIABLE_KEY.test(value))
    throw invalidField("key", "must be ASCII letters, digits and underscores, not starting with a digit");
  return value;
}

function checkValue(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw invalidField("value", "must be a string");
  return value;
}

function checkSecured(value: unknown, current: boolean): boolean {
  if (value === undefined || value === null) return current;
  if (typeof value !== "boolean") throw invalidField("secured", "must be a boolean");
  return value;
}

const taken = (key: string) => new ApiError(409, `A variable with the key ${key} already exists.`);

/** Where variables live: a repository, a workspace or an environment, created without any. */
export type VariableHolder = { pipelineVariables?: PipelineVariable[] };

export function findVariable(holder: VariableHolder, uuid: string): PipelineVariable {
  const found = (holder.pipelineVariables ?? []).find((v) => v.uuid.toLowerCase() === uuid.toLowerCase());
  if (!found) throw notFound(`Variable ${uuid} not found`);
  return found;
}

export function addVariable(holder: VariableHolder, body: Body): PipelineVariable {
  const key = checkKey(body.key);
  const value = checkValue(body.value);
  const secured = checkSecured(body.secured, false);
  if ((holder.pipelineVariables ?? []).some((v) => v.key === key)) throw taken(key);
  const added: PipelineVariable = { uuid: newUuid(), key, value, secured };
  holder.pipelineVariables = [...(holder.pipelineVariables ?? []), added];
  return added;
}

/** A PUT may change the key (to one not taken), the value and `secured`; an omitted value keeps the current one. */
export function updateVariable(holder: VariableHolder, uuid: string, body: Body): PipelineVariable {
  const variable = findVariable(holder, uuid);
  const key = "key" in body ? checkKey(body.key) : variable.key;
  if (key !== variable.key && (holder.pipelineVariables ?? []).some((v) => v.key === key)) throw taken(key);
  const value = "value" in body ? checkValue(body.value) : variable.value;
  const secured = checkSecured(body.secured, variable.secured);
  Object.assign(variable, { key, value, secured });
  return variable;
}

export function removeVariable(holder: VariableHolder, uuid: string): void {
  const gone = findVariable(holder, uuid);
  holder.pipelineVariables = (holder.pipelineVariables ?? []).filter((v) => v !== gone);
}

/** The Location of a variable just added by a POST to `ctx`'s list. */
export const addedAt = (ctx: Ctx, v: PipelineVariable) => ({ Location: `${ctx.base}${ctx.url.pathname.replace(/\/+$/, "")}/${encodeURIComponent(v.uuid)}` });

/** The spec's pipeline_variable (and deployment_variable): a secured variable's value is left out. */
export function renderVariable(type: "pipeline_variable" | "deployment_variable", v: PipelineVariable): Record<string, unknown> {
  return { type, uuid: v.uuid, key: v.key, secured: v.secured, ...(v.secured ? {} : { value: v.value }) };
}
