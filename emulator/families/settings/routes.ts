// /repositories/{workspace}/{repo_slug}/override-settings.
import { bodyObject, noContent, ok } from "../../http";
import { repoRef, Route } from "../../route";
import type { Settings } from "./backend";
import { renderOverrideSettings } from "./render";

export const settingsRoutes: Route<Settings>[] = [
  {
    method: "GET",
    template: "/repositories/{workspace}/{repo_slug}/override-settings",
    handler: (ctx, settings) => ok(renderOverrideSettings(settings.overrides(ctx.caller, repoRef(ctx)))),
  },
  {
    method: "PUT",
    template: "/repositories/{workspace}/{repo_slug}/override-settings",
    handler: (ctx, settings) => {
      settings.setOverrides(ctx.caller, repoRef(ctx), bodyObject(ctx));
      return noContent();
    },
  },
];
