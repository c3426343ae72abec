// A repository's override settings: whether it inherits its project's merge strategy and branching model.
import { z } from "zod";
import { EndpointContext, REPOSITORY, repositoryParams } from "./context";

export const OverrideSettingsObject = z.looseObject({
  override_settings: z.looseObject({
    default_merge_strategy: z.boolean().optional(),
    branching_model: z.boolean().optional(),
  }),
});
export type OverrideSettings = { default_merge_strategy?: boolean; branching_model?: boolean };

const OVERRIDE_SETTINGS = `${REPOSITORY}/override-settings`;

export function settingsEndpoints(c: EndpointContext) {
  return {
    async getOverrideSettings(workspace: string, repoSlug: string): Promise<OverrideSettings> {
      return (await c.get(OverrideSettingsObject, OVERRIDE_SETTINGS, repositoryParams(workspace, repoSlug))).override_settings;
    },
    async putOverrideSettings(workspace: string, repoSlug: string, settings: OverrideSettings): Promise<void> {
      await c.send({ method: "PUT", route: OVERRIDE_SETTINGS, params: repositoryParams(workspace, repoSlug), body: { override_settings: settings } });
    },
  };
}
