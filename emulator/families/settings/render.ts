// A repository's override settings as the API renders them.
import type { OverrideSettings } from "./model";

export function renderOverrideSettings(settings: OverrideSettings): Record<string, unknown> {
  return { type: "repository_inheritance_state", override_settings: { ...settings } };
}
