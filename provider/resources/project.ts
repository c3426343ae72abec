// Project: a workspace project (the grouping repositories belong to). The Pulumi ID is the project's
// UUID: a key changed outside Pulumi keeps the resource, which then shows the new key as drift.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { BitbucketApiError, ifFound, isAlreadyExists } from "../client";
import type { ProjectBody, ProjectObject } from "../client/api";
import type { Context } from "../context";
import { ProjectKey } from "../identifiers";
import { BitbucketResource, checkAndDiff, compact, reportTakeOver, ResourceProvider, splitId, withOutputs, WorkspaceRef } from "./common";
import { claimRule, lowerCase } from "./claims";
import { argument, fieldTable, Inputs, output, outputTable, ResourceOutputs } from "./fields";
import { terraformImport, terraformKey, text, topLevelImport, WORKSPACE, type Collection, type Discovery, type ImportValue } from "./discovery";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<ProjectArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  key: { schema: ProjectKey, api: "key", replace: true },
  name: {
    schema: z.string().trim().min(1, "must not be empty").max(255, "must be at most 255 characters"),
    api: "name",
    update: true,
  },
  description: { schema: z.string().optional(), api: "description", absent: "", update: true },
  isPrivate: { schema: z.boolean().optional(), api: "is_private", update: true },
  adopt: { schema: z.boolean().optional(), createOnly: true },
});

/** A Project owns the project with its key (Bitbucket compares keys without case). */
export const claims = claimRule(["workspace", "key"], (args) => {
  const [workspace, key] = [lowerCase(args.workspace), typeof args.key === "string" && args.key !== "" ? args.key.toUpperCase() : undefined];
  return workspace && key ? [{ key: `project ${workspace}/${key}`, what: `project ${workspace}/${key}`, field: "key" }] : [];
});

function projectState(live: ProjectObject, workspace: string) {
  return compact({ workspace, ...FIELDS.state(live), uuid: live.uuid, htmlUrl: live.links?.html?.href });
}

/** The ID is the UUID; `get` also accepts `workspace/{uuid}` and `workspace/KEY`. */
const projectId = (id: string, props: Record<string, unknown> | undefined) => splitId("project", id, ["workspace", "ref"], props);

/**
 * The live project: by the key the state knows (one GET), else (its key changed outside Pulumi, or
 * `get` by UUID) by UUID in the workspace's listing. Undefined: gone.
 */
async function findProject({ api }: Context, workspace: string, ref: string, key: string | undefined): Promise<ProjectObject | undefined> {
  const byUuid = ref.startsWith("{");
  const atKey = key ?? (byUuid ? undefined : ref);
  const live = atKey === undefined ? undefined : await ifFound(api.getProject(workspace, atKey));
  if (live && (!byUuid || live.uuid === ref)) return live;
  return byUuid ? (await api.listProjects(workspace)).find((p) => p.uuid === ref) : undefined;
}

/** POSTs a new project; "already exists" (its key or its name) points to `adopt` and the recovery setting. */
async function createNew({ api }: Context, inputs: Inputs<typeof FIELDS.rows>): Promise<ProjectObject> {
  try {
    return await api.createProject(inputs.workspace, { ...FIELDS.body<ProjectBody>(inputs), key: inputs.key, name: inputs.name });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    throw new Error(
      `${err.message} To manage the existing project ${inputs.workspace}/${inputs.key} with Pulumi, set adopt: true on this Project ` +
        "(a project with this name but another key cannot be taken over: choose another name). " +
        "If a `pulumi up` that was interrupted created it, recover as docs/recovery.md of pulumi-bitbucket-cloud says (After a killed `pulumi up`): BITBUCKET_ADOPT_EXISTING=true pulumi up.",
      { cause: err },
    );
  }
}

/** Bitbucket deletes only empty projects: a refusal names the repositories to move or delete first. */
async function refusedDelete({ api }: Context, workspace: string, key: string, err: BitbucketApiError): Promise<Error> {
  const held = await api.listRepositories(workspace, { q: `project.key="${key}"` }).catch(() => undefined);
  if (!held || held.length === 0) return err;
  const names = held.map((r) => r.full_name);
  const shown = `${names.slice(0, 5).join(", ")}${names.length > 5 ? ", ..." : ""}`;
  const message =
    `Cannot delete the project ${workspace}/${key}: Bitbucket deletes only empty projects, and it holds ${held.length} ${held.length === 1 ? "repository" : "repositories"} (${shown}). ` +
    `Move or delete its ${held.length} ${held.length === 1 ? "repository" : "repositories"} first (another projectKey on their Repository resources, or remove them), then run again.`;
  return Object.assign(new Error(message, { cause: err }), { stack: message });
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  // Delete before replace: names are unique in a workspace, so a new project beside the old one would
  // be refused whenever it keeps the name; the delete is refused (before anything changes) while the
  // project holds repositories.
  ...checkAndDiff(FIELDS, true),

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    const existing = inputs.adopt || ctx.adoptExisting ? await ifFound(ctx.api.getProject(inputs.workspace, inputs.key)) : undefined;
    if (!existing) {
      const state = projectState(await createNew(ctx, inputs), inputs.workspace);
      return { id: state.uuid, outs: state };
    }
    // Taken over: only what differs from the program is written (nothing when it all matches).
    const keys = FIELDS.diff(projectState(existing, inputs.workspace), inputs).changes;
    if (keys.length > 0)
      reportTakeOver(ctx, `Project: ${inputs.workspace}/${existing.key} already existed (${existing.uuid}), now set to the program's ${keys.join(", ")}`);
    const live = keys.length > 0 ? (await ctx.api.updateProject(inputs.workspace, existing.key, FIELDS.body<ProjectBody>(inputs, keys))).project : existing;
    const state = projectState(live, inputs.workspace);
    return { id: state.uuid, outs: state };
  },

  async read(ctx, id, props) {
    const { workspace, ref } = projectId(id, props);
    const live = await findProject(ctx, workspace, ref, text(props?.key));
    if (!live) return {};
    const state = projectState(live, workspace);
    return { id: live.uuid, props: state, inputs: FIELDS.inputsOf(state) };
  },

  async update({ api }, _id, olds, news) {
    const inputs = FIELDS.parse(news);
    const keys = FIELDS.diff(olds, inputs).changes;
    if (keys.length === 0) return { outs: olds };
    const { project } = await api.updateProject(inputs.workspace, String(olds.key), FIELDS.body<ProjectBody>(inputs, keys));
    return { outs: projectState(project, inputs.workspace) };
  },

  async delete(ctx, id, props) {
    const { workspace, ref } = projectId(id, props);
    const key = text(props?.key) ?? ref;
    try {
      await ifFound(ctx.api.deleteProject(workspace, key));
    } catch (err) {
      if (err instanceof BitbucketApiError && err.status === 403) throw await refusedDelete(ctx, workspace, key, err);
      throw err;
    }
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** The projects of a workspace (with `--project`, those with these keys). */
export const PROJECTS: Collection<ProjectObject> = {
  label: "project",
  plural: "projects",
  list: async (api, { workspace }, projects) => {
    const listed = await api.listProjects(workspace);
    return projects.length === 0 ? listed : listed.filter((p) => projects.includes(p.key));
  },
  listed: (p) => ({ keys: [p.uuid, p.key], id: `${p.key} (${p.uuid})`, name: p.key, detail: `"${p.name}", not in the stack` }),
  key: (p) => p.key,
};

/** A Project holds its project by UUID and key; imported before the repositories, which refer to its key. */
export const discovery: Discovery = {
  claims: (outputs, id) => {
    const [workspace, uuid, key] = [text(outputs.workspace), text(outputs.uuid) ?? id, text(outputs.key)];
    // `project`: a managed project is part of the stack's default search scope (its repositories are searched).
    return workspace && uuid ? [{ collection: PROJECTS.label, workspace, keys: key ? [uuid, key] : [uuid], project: key }] : [];
  },
  search: PROJECTS,
  import: topLevelImport({
    from: PROJECTS,
    counted: "projects",
    declare: (p) => ({
      name: p.key,
      comments: p.links?.html?.href ? [`Project ${p.key} (${p.links.html.href})`] : undefined,
      section: { title: "Projects", late: false, order: "" },
      args: [
        ["workspace", WORKSPACE],
        ["key", p.key],
        ["name", p.name],
        ["description", p.description || undefined],
        ["isPrivate", p.is_private ?? undefined],
        ["adopt", true],
      ],
    }),
  }),
  terraform: terraformImport({
    type: "bitbucket_project",
    order: 0,
    known: (a) => ({ in: PROJECTS.label, key: terraformKey(a.owner, a.key) }),
    declare: ({ attributes: a, name }, { workspaceOf }) => [
      {
        name,
        args: [
          ["workspace", workspaceOf(String(a.owner))],
          ["key", text(a.key)],
          ["name", text(a.name)],
          ["description", text(a.description) || undefined],
          ["isPrivate", typeof a.is_private === "boolean" ? a.is_private : undefined],
          ["adopt", true],
        ],
      },
    ],
  }),
};

/** The `key` output of the project `workspace/KEY` when the Terraform state declares it above, else the key. */
export const terraformProject = (workspace: unknown, key: unknown): ImportValue => ({
  outputOf: terraformKey(workspace, key),
  in: PROJECTS.label,
  output: "key",
  orElse: String(key),
});

// ---- Resource class ----------------------------------------------------------------------------

export interface ProjectArgs {
  /** Workspace slug (or `{uuid}`) that owns the project. Changing it replaces the project. */
  workspace: pulumi.Input<string>;
  /** The project's key (e.g. `PLAT`): a letter, then letters, digits or `_`; unique in the workspace (in any case). Changing it replaces the project (deleted first: Bitbucket refuses to delete a project that holds repositories). */
  key: pulumi.Input<string>;
  /** Display name, unique in the workspace. Required. Changing it renames the project in place. */
  name: pulumi.Input<string>;
  /** Free-text description. Unset: empty at creation, then not managed. Updates in place. */
  description?: pulumi.Input<string>;
  /** Whether the project is private. Unset: Bitbucket's default (private) and not managed. Updates in place. */
  isPrivate?: pulumi.Input<boolean>;
  /** true: creation takes over an existing project with this key (writing only the settings that differ from these; none when they all match) instead of failing with "already exists". Default false. Only read at creation; changing it later does nothing. */
  adopt?: pulumi.Input<boolean>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The project's key (pass it to `Repository.projectKey`). */
  key: argument(),
  isPrivate: argument("always set"),
  /** The UUID, with braces (also the resource ID). */
  uuid: output<string>(),
  /** The project's page on bitbucket.org. */
  htmlUrl: output<string>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface Project extends ResourceOutputs<typeof OUTPUTS> {}

/**
 * A workspace project. ID: its UUID, which survives a key changed outside Pulumi (the refresh then finds
 * the project by UUID and shows the new key as drift), where `workspace/KEY` would read as deleted.
 */
export class Project extends BitbucketResource {
  constructor(name: string, args: ProjectArgs, opts?: pulumi.CustomResourceOptions) {
    super("Project", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing project: `get(name, "{uuid}", { workspace })`, `get(name, "workspace/{uuid}")` or `get(name, "workspace/KEY")`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: { workspace?: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions): Project {
    return Project.existing(name, id, state, opts);
  }
}
