// The Pipelines switch of a repository (`pipelines_config.enabled`); it needs admin rights on the repository.
import { RepoRef, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import type { Db } from "../../db";
import { badRequest } from "../../errors";
import type { Repository } from "../repositories/model";

type Body = Record<string, unknown>;

export class Pipelines {
  constructor(private readonly db: Db) {}

  config(caller: Caller, ref: RepoRef): Repository {
    return requireRepository(this.db, caller, ref, "admin").repo;
  }

  /** `PUT …/pipelines_config` with `{enabled}`; the other keys of the object (`type`, `repository`) are read-only. */
  setConfig(caller: Caller, ref: RepoRef, body: Body): Repository {
    const { repo } = requireRepository(this.db, caller, ref, "admin");
    if ("enabled" in body && typeof body.enabled !== "boolean") throw badRequest("enabled: must be a boolean", 'Invalid value for field "enabled"');
    if (typeof body.enabled === "boolean") repo.pipelinesEnabled = body.enabled;
    return repo;
  }
}
