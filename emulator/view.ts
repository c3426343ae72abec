// What renderers read, and the links they build: every family's render.ts starts here.
import type { State } from "./store";

/** What renderers read: the address the client used (links are built on it) and the state. */
export interface View {
  base: string;
  state: Readonly<State>;
}

export const link = (href: string) => ({ href });
export const api = (view: View, path: string) => `${view.base}/2.0${path}`;
