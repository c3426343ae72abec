// The official Bitbucket Cloud spec (a verbatim copy in emulator/spec/), read where the emulator needs its enums.
import * as fs from "fs";
import * as path from "path";

// From dist/emulator the JSON is not compiled alongside, so fall back to the source tree.
const CANDIDATES = [path.join(__dirname, "spec", "swagger.json"), path.join(__dirname, "..", "..", "emulator", "spec", "swagger.json")];

export const SPEC_PATH = CANDIDATES.find((p) => fs.existsSync(p)) ?? CANDIDATES[0];

// The spec is a large untyped JSON document, read by the emulator's own code only.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let cached: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadSpec(): any {
  cached ??= JSON.parse(fs.readFileSync(SPEC_PATH, "utf8"));
  return cached;
}

/** The webhook event names the spec's `webhook_subscription.events` enum allows. */
export function hookEvents(): readonly string[] {
  const def = loadSpec().definitions.webhook_subscription;
  const own = def.allOf.find((p: { properties?: { events?: unknown } }) => p.properties?.events);
  return own.properties.events.items.enum as string[];
}
