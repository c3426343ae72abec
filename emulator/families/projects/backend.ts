// Projects of a workspace. The rules: keys start with a letter and hold ASCII letters, digits and `_`;
// keys and names are unique in the workspace; the workspace's admins create projects; a project's admins
// (the owner, an admin grant) update and delete it; a project that still holds repositories cannot be
// deleted (403, as the spec says); changing the key moves the project and its repositories with it.
import { canSeeProject, canSeeWorkspace, isWorkspaceAdmin, requireProject, requireProjectAdmin, requireWorkspace } from "../../access";
import type { Caller } from "../../auth";
import { Db, timestamp } from "../../db";
import { badRequest, forbidden, invalidField, notFound } from "../../errors";
import { newUuid } from "../../ids";
import type { Workspace } from "../workspaces/model";
import { makeProject, Project } from "./model";

type Body = Record<string, unknown>;

const KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

interface ProjectFields {
  key?: string;
  name?: string;
  description?: string;
  is_private?: boolean;
}

function projectFields(body: Body): ProjectFields {
  const out: ProjectFields = {};
  for (const k of ["key", "name", "description"] as const) {
    if (!(k in body)) continue;
    if (typeof body[k] !== "string") throw invalidField(k, "must be a string");
    out[k] = body[k] as string;
  }
  if (out.key !== undefined && !KEY.test(out.key)) throw invalidField("key", "must start with a letter and hold only ASCII letters, digits and _");
  if (out.name !== undefined && !out.name.trim()) throw invalidField("name", "must not be empty");
  if ("is_private" in body) {
    if (typeof body.is_private !== "boolean") throw invalidField("is_private", "must be a boolean");
    out.is_private = body.is_private;
  }
  return out;
}

export class Projects {
  constructor(private readonly db: Db) {}

  /** The projects the caller may see; a workspace that shows none to an outsider is 404. */
  list(caller: Caller, workspace: string): { ws: Workspace; projects: Project[] } {
    const ws = requireWorkspace(this.db, workspace);
    const projects = ws.projects.filter((p) => canSeeProject(caller, ws, p));
    if (!canSeeWorkspace(caller, ws) && !projects.length) throw notFound(`Workspace ${workspace} not found`);
    return { ws, projects: [...projects].sort((a, b) => Date.parse(a.created_on) - Date.parse(b.created_on)) };
  }

  get(caller: Caller, workspace: string, key: string): { ws: Workspace; project: Project } {
    return requireProject(this.db, caller, workspace, key);
  }

  /** `POST /workspaces/{workspace}/projects`: `key` and `name` from the body. */
  create(caller: Caller, workspace: string, body: Body): { ws: Workspace; project: Project } {
    const ws = requireWorkspace(this.db, workspace);
    const fields = projectFields(body);
    if (fields.key === undefined) throw invalidField("key", "is required");
    return { ws, project: this.add(caller, ws, fields.key, fields) };
  }

  /** `PUT`: creates the project at `key` when there is none, else updates it; a new `key` in the body moves it. */
  put(caller: Caller, workspace: string, key: string, body: Body): { ws: Workspace; project: Project; created: boolean; moved: boolean } {
    const ws = requireWorkspace(this.db, workspace);
    const fields = projectFields(body);
    if (!ws.projects.some((p) => p.key === key)) {
      if (!KEY.test(key)) throw invalidField("key", "must start with a letter and hold only ASCII letters, digits and _");
      return { ws, project: this.add(caller, ws, key, fields), created: true, moved: false };
    }
    const { project } = requireProjectAdmin(this.db, caller, workspace, key);
    if (fields.name !== undefined) this.checkNameFree(ws, fields.name, project);
    const moved = fields.key !== undefined && fields.key !== project.key;
    if (moved) {
      this.checkKeyFree(ws, fields.key!);
      for (const r of this.db.state.repositories) if (r.workspaceUuid === ws.uuid && r.projectKey === project.key) r.projectKey = fields.key!;
    }
    Object.assign(project, fields, { updated_on: timestamp(this.db.now()) });
    return { ws, project, created: false, moved };
  }

  delete(caller: Caller, workspace: string, key: string): void {
    const { ws, project } = requireProjectAdmin(this.db, caller, workspace, key);
    const held = this.db.state.repositories.filter((r) => r.workspaceUuid === ws.uuid && r.projectKey === key).length;
    if (held) throw forbidden(`Project ${key} still holds ${held} repositories: delete or move them first`);
    ws.projects = ws.projects.filter((p) => p !== project);
  }

  private add(caller: Caller, ws: Workspace, key: string, fields: ProjectFields): Project {
    if (!isWorkspaceAdmin(caller, ws)) throw forbidden(`You do not have permission to create projects in ${ws.slug}`);
    if (fields.name === undefined) throw invalidField("name", "is required");
    this.checkKeyFree(ws, key);
    this.checkNameFree(ws, fields.name);
    const project = makeProject(
      { uuid: newUuid(), name: fields.name, description: fields.description ?? "", is_private: fields.is_private ?? true, key },
      timestamp(this.db.now()),
    );
    ws.projects.push(project);
    return project;
  }

  private checkKeyFree(ws: Workspace, key: string): void {
    if (ws.projects.some((p) => p.key.toUpperCase() === key.toUpperCase()))
      throw badRequest(`Project with this key already exists: ${key}`, 'Invalid value for field "key"');
  }

  private checkNameFree(ws: Workspace, name: string, except?: Project): void {
    if (ws.projects.some((p) => p !== except && p.name.toLowerCase() === name.toLowerCase()))
      throw badRequest(`Project with this name already exists: ${name}`, 'Invalid value for field "name"');
  }
}
