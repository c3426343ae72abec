// What every family's backend works on: the state, the clock, and the settings the rules depend on.
import type { State } from "./store";

export interface Db {
  state: State;
  now(): number;
  /** How long a new fork answers 404 (the real service needs a moment to copy it). */
  readonly forkReadyDelayMs: number;
}

export function timestamp(now: number): string {
  return new Date(now).toISOString();
}
