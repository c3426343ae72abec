// Branching models as the API renders them: the settings (the spec's branching_model_settings, every
// branch type with its `enabled` flag; `default_branch_deletion` a string "true"/"false", as the spec's
// PUT description says and Bitbucket answers) and the model in force (branching_model /
// effective_repo_branching_model / project_branching_model: the enabled types only).
import { link, View } from "../../view";
import type { Project } from "../projects/model";
import { projectUrl } from "../projects/render";
import type { Repository } from "../repositories/model";
import { repoUrl } from "../repositories/render";
import type { Workspace } from "../workspaces/model";
import type { BranchingModelSettings, BranchTarget } from "./model";

/** A setting that tracks the main branch has no name: the property is left out (the spec's `name` is a string, never null). */
const named = (target: BranchTarget) => (target.name === null ? {} : { name: target.name });

function renderSettings(settings: BranchingModelSettings, self: string, isValid: (t: BranchTarget) => boolean): Record<string, unknown> {
  const { development: dev, production: prod } = settings;
  return {
    type: "branching_model_settings",
    development: { use_mainbranch: dev.use_mainbranch, ...named(dev), is_valid: isValid(dev) },
    production: { use_mainbranch: prod.use_mainbranch, ...named(prod), enabled: prod.enabled, is_valid: isValid(prod) },
    branch_types: settings.branch_types.map(({ kind, prefix, enabled }) => ({ kind, prefix, enabled })),
    default_branch_deletion: String(settings.default_branch_deletion),
    links: { self: link(self) },
  };
}

export function renderRepositorySettings(view: View, repo: Repository, settings: BranchingModelSettings): Record<string, unknown> {
  const exists = (t: BranchTarget) => t.use_mainbranch || repo.branches.some((b) => b.name === t.name);
  return renderSettings(settings, `${repoUrl(view, repo)}/branching-model/settings`, exists);
}

export function renderProjectSettings(view: View, ws: Workspace, project: Project, settings: BranchingModelSettings): Record<string, unknown> {
  return renderSettings(settings, `${projectUrl(view, ws, project)}/branching-model/settings`, () => true);
}

const activeTypes = (settings: BranchingModelSettings) => settings.branch_types.filter((t) => t.enabled).map(({ kind, prefix }) => ({ kind, prefix }));

/** The model in force on a repository: a setting tracking the main branch, or naming a branch that is gone, names the main branch. */
export function renderRepositoryModel(repo: Repository, settings: BranchingModelSettings, type: string): Record<string, unknown> {
  const target = (t: BranchTarget) => {
    const name = !t.use_mainbranch && repo.branches.some((b) => b.name === t.name) ? t.name : repo.mainbranch;
    return { name, use_mainbranch: t.use_mainbranch };
  };
  return {
    type,
    development: target(settings.development),
    ...(settings.production.enabled ? { production: target(settings.production) } : {}),
    branch_types: activeTypes(settings),
  };
}

/** A project's model: a setting tracking the main branch has no name (each repository has its own main branch). */
export function renderProjectModel(settings: BranchingModelSettings): Record<string, unknown> {
  const target = (t: BranchTarget) => ({ ...named(t), use_mainbranch: t.use_mainbranch });
  return {
    type: "project_branching_model",
    development: target(settings.development),
    ...(settings.production.enabled ? { production: target(settings.production) } : {}),
    branch_types: activeTypes(settings),
  };
}
