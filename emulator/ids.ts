// Identifiers the emulator gives new objects.
import { randomUUID } from "crypto";

/** A Bitbucket UUID, braces included. */
export function newUuid(): string {
  return `{${randomUUID()}}`;
}

/** Whether `addressed` (braces optional, any case) names the object whose UUID is `uuid` (braces included). */
export function sameUuid(addressed: string, uuid: string): boolean {
  return uuid.slice(1, -1).toLowerCase() === addressed.replace(/^\{|\}$/g, "").toLowerCase();
}
