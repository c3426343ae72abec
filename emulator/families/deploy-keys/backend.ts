// Deploy keys of a repository (repository admins) and of a project (project admins). The rules: the key
// is an OpenSSH public key of an accepted type whose body decodes to that type (rules/ssh-key.ts; a
// refusal never quotes it); one key (type and body, whatever the comment) once per repository or
// project; the comment is parsed off the key; a PUT may change the label and the comment, never the key.
import { RepoRef, requireProjectAdmin, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import { Db, timestamp } from "../../db";
import { badRequest, invalidField, notFound } from "../../errors";
import { keyIdentity, parsePublicKey, PublicKey } from "../../../rules/ssh-key";
import type { Project } from "../projects/model";
import type { Repository } from "../repositories/model";
import type { Workspace } from "../workspaces/model";
import type { DeployKey } from "./model";

type Body = Record<string, unknown>;

export function checkKey(value: unknown): PublicKey {
  if (typeof value !== "string") throw invalidField("key", "must be a string");
  const parsed = parsePublicKey(value);
  if ("refused" in parsed) throw invalidField("key", `the key ${parsed.refused}`);
  return parsed;
}

export function checkLabel(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string" || value.length > 255) throw invalidField("label", "must be a string of at most 255 characters");
  return value;
}

/** Where deploy keys live: a repository or a project, created without any. */
type Holder = { deployKeys?: DeployKey[] };

export class DeployKeys {
  constructor(private readonly db: Db) {}

  private repository(caller: Caller, ref: RepoRef): Repository {
    return requireRepository(this.db, caller, ref, "admin").repo;
  }

  private project(caller: Caller, workspace: string, key: string): { ws: Workspace; project: Project } {
    return requireProjectAdmin(this.db, caller, workspace, key);
  }

  private nextId(): number {
    const held = [...this.db.state.repositories, ...this.db.state.workspaces.flatMap((w) => w.projects)].flatMap((h: Holder) => h.deployKeys ?? []);
    return held.reduce((max, k) => Math.max(max, k.id), 0) + 1;
  }

  private find(holder: Holder, keyId: string): DeployKey {
    const found = /^[0-9]+$/.test(keyId) ? holder.deployKeys?.find((k) => k.id === Number(keyId)) : undefined;
    if (!found) throw notFound(`Deploy key ${keyId} not found`);
    return found;
  }

  private add(caller: Caller, holder: Holder, body: Body, what: string): DeployKey {
    const parsed = checkKey(body.key);
    const label = checkLabel(body.label);
    if ((holder.deployKeys ?? []).some((k) => k.key === keyIdentity(parsed))) throw badRequest(`Someone has already added that access key to this ${what}.`);
    const added: DeployKey = {
      id: this.nextId(),
      key: keyIdentity(parsed),
      comment: parsed.comment,
      label,
      created_on: timestamp(this.db.now()),
      last_used: null,
      addedByUuid: caller.kind === "user" ? caller.user.uuid : null,
    };
    holder.deployKeys = [...(holder.deployKeys ?? []), added];
    return added;
  }

  private remove(holder: Holder, keyId: string): void {
    const gone = this.find(holder, keyId);
    holder.deployKeys = (holder.deployKeys ?? []).filter((k) => k !== gone);
  }

  listOfRepository(caller: Caller, ref: RepoRef): { repo: Repository; keys: DeployKey[] } {
    const repo = this.repository(caller, ref);
    return { repo, keys: repo.deployKeys ?? [] };
  }

  getOfRepository(caller: Caller, ref: RepoRef, keyId: string): { repo: Repository; key: DeployKey } {
    const repo = this.repository(caller, ref);
    return { repo, key: this.find(repo, keyId) };
  }

  addToRepository(caller: Caller, ref: RepoRef, body: Body): { repo: Repository; key: DeployKey } {
    const repo = this.repository(caller, ref);
    return { repo, key: this.add(caller, repo, body, "repository") };
  }

  /** The spec: "The same key needs to be passed in but the comment and label can change." */
  updateOfRepository(caller: Caller, ref: RepoRef, keyId: string, body: Body): { repo: Repository; key: DeployKey } {
    const repo = this.repository(caller, ref);
    const key = this.find(repo, keyId);
    const parsed = checkKey(body.key);
    if (keyIdentity(parsed) !== key.key) throw invalidField("key", "the key of a deploy key cannot change: add a new deploy key");
    const label = "label" in body ? checkLabel(body.label) : key.label;
    Object.assign(key, { comment: parsed.comment, label });
    return { repo, key };
  }

  removeFromRepository(caller: Caller, ref: RepoRef, keyId: string): void {
    this.remove(this.repository(caller, ref), keyId);
  }

  listOfProject(caller: Caller, workspace: string, projectKey: string): { ws: Workspace; project: Project; keys: DeployKey[] } {
    const { ws, project } = this.project(caller, workspace, projectKey);
    return { ws, project, keys: project.deployKeys ?? [] };
  }

  getOfProject(caller: Caller, workspace: string, projectKey: string, keyId: string): { ws: Workspace; project: Project; key: DeployKey } {
    const { ws, project } = this.project(caller, workspace, projectKey);
    return { ws, project, key: this.find(project, keyId) };
  }

  addToProject(caller: Caller, workspace: string, projectKey: string, body: Body): { ws: Workspace; project: Project; key: DeployKey } {
    const { ws, project } = this.project(caller, workspace, projectKey);
    return { ws, project, key: this.add(caller, project, body, "project") };
  }

  removeFromProject(caller: Caller, workspace: string, projectKey: string, keyId: string): void {
    this.remove(this.project(caller, workspace, projectKey).project, keyId);
  }
}
