import { badRequest, Ctx, Reply } from "../http";

/** `template` is the spec's path template (without `/2.0`); the request log and counters report it. */
export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  template: string;
  handler: (ctx: Ctx) => Reply;
}

export function bodyObject(ctx: Ctx): Record<string, unknown> {
  const b = ctx.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== "object" || Array.isArray(b)) throw badRequest("Request body must be a JSON object");
  return b as Record<string, unknown>;
}
