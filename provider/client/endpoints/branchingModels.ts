// Branching models of a repository and of a project: the settings (read and written whole by the
// resources) and the model in force (read functions). A settings object always exists, so writing is
// a PUT, retried like the other PUTs.
import { z } from "zod";
import { EndpointContext, maybe, PROJECT, projectParams, REPOSITORY, repositoryParams } from "./context";

const SettingsTarget = z.looseObject({
  name: maybe(z.string()),
  use_mainbranch: maybe(z.boolean()),
  enabled: maybe(z.boolean()),
  is_valid: maybe(z.boolean()),
});

/** Bitbucket answers "true"/"false" (the spec's PUT description says a string); a boolean is taken too (the Terraform provider crashed on the string, its #234). */
const StringOrBoolean = z.union([z.boolean(), z.string()]).nullish();

export const BranchingModelSettingsObject = z.looseObject({
  development: maybe(SettingsTarget),
  production: maybe(SettingsTarget),
  branch_types: maybe(z.array(z.looseObject({ kind: z.string(), prefix: maybe(z.string()), enabled: maybe(z.boolean()) }))),
  default_branch_deletion: StringOrBoolean,
});
export type BranchingModelSettingsObject = z.infer<typeof BranchingModelSettingsObject>;

export interface BranchingModelSettingsBody {
  development: { use_mainbranch: boolean; name?: string };
  production: { use_mainbranch: boolean; name?: string; enabled: boolean };
  branch_types: { kind: string; prefix?: string; enabled: boolean }[];
  default_branch_deletion: "true" | "false";
}

const ModelTarget = z.looseObject({ name: maybe(z.string()), use_mainbranch: maybe(z.boolean()) });

/** The model in force: the enabled branch types only; production only when enabled. */
export const BranchingModelObject = z.looseObject({
  development: maybe(ModelTarget),
  production: maybe(ModelTarget),
  branch_types: z
    .array(z.looseObject({ kind: z.string(), prefix: z.string() }))
    .nullish()
    .transform((v) => v ?? []),
});
export type BranchingModelObject = z.infer<typeof BranchingModelObject>;

const REPOSITORY_SETTINGS = `${REPOSITORY}/branching-model/settings`;
const PROJECT_SETTINGS = `${PROJECT}/branching-model/settings`;

export function branchingModelEndpoints(c: EndpointContext) {
  return {
    getBranchingModelSettings: (workspace: string, repoSlug: string): Promise<BranchingModelSettingsObject> =>
      c.get(BranchingModelSettingsObject, REPOSITORY_SETTINGS, repositoryParams(workspace, repoSlug)),
    putBranchingModelSettings: (workspace: string, repoSlug: string, body: BranchingModelSettingsBody): Promise<BranchingModelSettingsObject> =>
      c.request(BranchingModelSettingsObject, { method: "PUT", route: REPOSITORY_SETTINGS, params: repositoryParams(workspace, repoSlug), body }),
    getProjectBranchingModelSettings: (workspace: string, key: string): Promise<BranchingModelSettingsObject> =>
      c.get(BranchingModelSettingsObject, PROJECT_SETTINGS, projectParams(workspace, key)),
    putProjectBranchingModelSettings: (workspace: string, key: string, body: BranchingModelSettingsBody): Promise<BranchingModelSettingsObject> =>
      c.request(BranchingModelSettingsObject, { method: "PUT", route: PROJECT_SETTINGS, params: projectParams(workspace, key), body }),
  };
}

export function branchingModelReads(c: EndpointContext) {
  return {
    /** The model in force on a repository: its own, or its project's while it inherits. */
    effectiveBranchingModel: (workspace: string, repoSlug: string): Promise<BranchingModelObject> =>
      c.get(BranchingModelObject, `${REPOSITORY}/effective-branching-model`, repositoryParams(workspace, repoSlug)),
    projectBranchingModel: (workspace: string, key: string): Promise<BranchingModelObject> =>
      c.get(BranchingModelObject, `${PROJECT}/branching-model`, projectParams(workspace, key)),
  };
}
