// Repository settings that are not fields of the repository object: the override settings (whether the
// repository overrides its project's merge strategy and branching model). They need admin rights on the
// repository.
import { RepoRef, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import type { Db } from "../../db";
import { badRequest } from "../../errors";
import type { OverrideSettings } from "./model";

type Body = Record<string, unknown>;

export class Settings {
  constructor(private readonly db: Db) {}

  overrides(caller: Caller, ref: RepoRef): OverrideSettings {
    return { ...requireRepository(this.db, caller, ref, "admin").repo.overrideSettings };
  }

  /** Takes the shape GET returns (`{override_settings: {...}}`) or the bare settings; the spec gives no body schema. */
  setOverrides(caller: Caller, ref: RepoRef, body: Body): void {
    const { repo } = requireRepository(this.db, caller, ref, "admin");
    const settings = (body.override_settings ?? body) as Record<string, unknown>;
    if (typeof settings !== "object" || settings === null) throw badRequest("override_settings: must be an object");
    const next = { ...repo.overrideSettings };
    for (const [k, v] of Object.entries(settings)) {
      if (k === "type") continue;
      if (!Object.hasOwn(next, k)) throw badRequest(`override_settings.${k}: unknown setting`, "Known settings: default_merge_strategy, branching_model");
      if (typeof v !== "boolean") throw badRequest(`override_settings.${k}: must be a boolean`);
      next[k as keyof OverrideSettings] = v;
    }
    repo.overrideSettings = next;
  }
}
