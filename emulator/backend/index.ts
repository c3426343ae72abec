// The backend: named operations that enforce Bitbucket's rules, grouped by resource family. Routes call
// them with the authenticated caller and the addressed objects, and render what they return.
import { hookEvents } from "../spec";
import type { State } from "../store";
import { Content } from "./content";
import type { Db } from "./db";
import { Hooks } from "./hooks";
import { Permissions } from "./permissions";
import { Projects } from "./projects";
import { Repositories } from "./repositories";
import { Settings } from "./settings";
import { Workspaces } from "./workspaces";

export type { RepoRef } from "./access";
export type { GrantTarget } from "./permissions";

export class Backend implements Db {
  readonly hookEvents = hookEvents();
  readonly workspaces = new Workspaces(this);
  readonly projects = new Projects(this);
  readonly repositories = new Repositories(this);
  readonly hooks = new Hooks(this);
  readonly permissions = new Permissions(this);
  readonly settings = new Settings(this);
  readonly content = new Content(this);

  constructor(
    public state: State,
    private readonly config: () => { forkReadyDelayMs: number },
    readonly now: () => number = Date.now,
  ) {}

  get forkReadyDelayMs(): number {
    return this.config().forkReadyDelayMs;
  }
}
