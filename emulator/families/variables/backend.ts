// Pipeline variables of a repository (repository admins) and of a workspace (workspace admins).
import { isWorkspaceAdmin, RepoRef, requireRepository, requireVisibleWorkspace } from "../../access";
import type { Caller } from "../../auth";
import type { Db } from "../../db";
import { forbidden } from "../../errors";
import type { Workspace } from "../workspaces/model";
import type { PipelineVariable } from "./model";
import { addVariable, findVariable, removeVariable, updateVariable, VariableHolder } from "./rules";

type Body = Record<string, unknown>;

export class Variables {
  constructor(private readonly db: Db) {}

  private repository(caller: Caller, ref: RepoRef): VariableHolder {
    return requireRepository(this.db, caller, ref, "admin").repo;
  }

  private workspace(caller: Caller, workspace: string): Workspace {
    const ws = requireVisibleWorkspace(this.db, caller, workspace);
    if (!isWorkspaceAdmin(caller, ws)) throw forbidden(`You are not an administrator of workspace ${ws.slug}`);
    return ws;
  }

  listOfRepository(caller: Caller, ref: RepoRef): PipelineVariable[] {
    return this.repository(caller, ref).pipelineVariables ?? [];
  }

  getOfRepository(caller: Caller, ref: RepoRef, uuid: string): PipelineVariable {
    return findVariable(this.repository(caller, ref), uuid);
  }

  addToRepository(caller: Caller, ref: RepoRef, body: Body): PipelineVariable {
    return addVariable(this.repository(caller, ref), body);
  }

  updateOfRepository(caller: Caller, ref: RepoRef, uuid: string, body: Body): PipelineVariable {
    return updateVariable(this.repository(caller, ref), uuid, body);
  }

  removeFromRepository(caller: Caller, ref: RepoRef, uuid: string): void {
    removeVariable(this.repository(caller, ref), uuid);
  }

  listOfWorkspace(caller: Caller, workspace: string): PipelineVariable[] {
    return this.workspace(caller, workspace).pipelineVariables ?? [];
  }

  getOfWorkspace(caller: Caller, workspace: string, uuid: string): PipelineVariable {
    return findVariable(this.workspace(caller, workspace), uuid);
  }

  addToWorkspace(caller: Caller, workspace: string, body: Body): PipelineVariable {
    return addVariable(this.workspace(caller, workspace), body);
  }

  updateOfWorkspace(caller: Caller, workspace: string, uuid: string, body: Body): PipelineVariable {
    return updateVariable(this.workspace(caller, workspace), uuid, body);
  }

  removeFromWorkspace(caller: Caller, workspace: string, uuid: string): void {
    removeVariable(this.workspace(caller, workspace), uuid);
  }
}
