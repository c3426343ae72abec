// Identifiers the emulator gives new objects.
import { randomUUID } from "crypto";

/** A Bitbucket UUID, braces included. */
export function newUuid(): string {
  return `{${randomUUID()}}`;
}
