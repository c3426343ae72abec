// ProjectDeployKey: an SSH public key with read access to every repository of a project. The Pulumi ID
// is the key's numeric id; the state also holds the workspace and the project key. Bitbucket has no
// update for a project's key: a new key or a new label replaces it. As for DeployKey, no message ever
// quotes the key given.
import * as pulumi from "@pulumi/pulumi";
import { ifFound } from "../client";
import type { DeployKeyBody, DeployKeyObject } from "../client/api";
import { ProjectKey } from "../identifiers";
import { BitbucketResource, checkAndDiff, compact, ResourceProvider, splitId, withOutputs, WorkspaceRef } from "./common";
import { claimRule, lowerCase } from "./claims";
import { addKeyOnce, DeployKeyLabel, keyClaim, PublicKeyText, sameKeyAsOld, stateKey } from "./deployKey";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<ProjectDeployKeyArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  project: { schema: ProjectKey, replace: true },
  key: { schema: PublicKeyText, api: "key", replace: true },
  // Unset is the empty label, so a key without one does not read as a change of label (which replaces).
  label: { schema: DeployKeyLabel.default(""), api: "label", absent: "", replace: true },
});

/** A ProjectDeployKey owns the project's key with its type and body. */
export const claims = claimRule(["workspace", "project", "key"], (args) => {
  const [workspace, project] = [lowerCase(args.workspace), typeof args.project === "string" && args.project !== "" ? args.project : undefined];
  return keyClaim(workspace && project ? `project ${workspace}/${project}` : undefined, args.key);
});

function projectDeployKeyState(live: DeployKeyObject, ids: { workspace: string; project: string }, spelled: unknown) {
  return compact({ ...ids, ...FIELDS.state(live), key: stateKey(live, spelled), keyId: String(live.id), lastUsed: live.last_used });
}

/** The ID is the key's id; `get` also accepts `workspace/PROJECT/id`. */
function projectDeployKeyId(id: string, props?: Record<string, unknown>) {
  const parts = splitId("project deploy key", id, ["workspace", "project", "keyId"], props);
  if (!/^[0-9]+$/.test(parts.keyId)) throw new Error(`Cannot address project deploy key ${id}: its id must be a number (the key's id in Bitbucket).`);
  return parts;
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  // Delete before replace: the new key may be the old key with another label, which Bitbucket would
  // refuse beside the old one.
  ...checkAndDiff(FIELDS, true, sameKeyAsOld),

  async create(ctx, raw) {
    const { api } = ctx;
    const inputs = FIELDS.parse(raw);
    const { workspace, project } = inputs;
    const body: DeployKeyBody = { key: inputs.key, label: inputs.label ?? "" };
    const live = await addKeyOnce(
      ctx,
      {
        what: `ProjectDeployKey: ${workspace}/${project}`,
        list: () => api.listProjectDeployKeys(workspace, project),
        add: () => api.createProjectDeployKey(workspace, project, body),
        // No update for a project's key: the key is added again with the program's label.
        relabel: async (existing) => {
          await api.deleteProjectDeployKey(workspace, project, String(existing.id));
          return api.createProjectDeployKey(workspace, project, body);
        },
      },
      body,
    );
    return { id: String(live.id), outs: projectDeployKeyState(live, { workspace, project }, inputs.key) };
  },

  async read({ api }, id, props) {
    const { workspace, project, keyId } = projectDeployKeyId(id, props);
    const live = await ifFound(api.getProjectDeployKey(workspace, project, keyId));
    if (!live) return {};
    const state = projectDeployKeyState(live, { workspace, project }, props?.key);
    return { id: keyId, props: state, inputs: FIELDS.inputsOf(state) };
  },

  // Every argument replaces, so the diff never asks for an update.
  async update() {
    throw new Error("A project deploy key has no update in Bitbucket: every change replaces it.");
  },

  async delete({ api }, id, props) {
    const { workspace, project, keyId } = projectDeployKeyId(id, props);
    await ifFound(api.deleteProjectDeployKey(workspace, project, keyId));
  },
};

// No drift search nor import: discovery lists attached collections only on repositories (a project
// is not a container there), so a project's keys are not searched for.

// ---- Resource class ----------------------------------------------------------------------------

export interface ProjectDeployKeyArgs {
  /** Workspace slug (or `{uuid}`) of the project. Changing it replaces the key. */
  workspace: pulumi.Input<string>;
  /** The project's key (e.g. `PLAT`; pass `project.key`). Changing it replaces the deploy key. */
  project: pulumi.Input<string>;
  /** The OpenSSH public key, `<type> <base64> [comment]` (a `.pub` file's line); types ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521 and the sk- security keys. A private key is refused (and never quoted). Only the type and the body are compared: a changed comment is no change. Another key replaces the deploy key. */
  key: pulumi.Input<string>;
  /** The key's label in Bitbucket, at most 255 characters. Default: empty. Changing it replaces the deploy key (Bitbucket has no update for a project's key). */
  label?: pulumi.Input<string>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The key as the program spells it while Bitbucket holds that key (Bitbucket may keep or drop the comment). */
  key: argument(),
  label: argument("always set"),
  /** The key's id in Bitbucket (also the resource ID). */
  keyId: output<string>(),
  /** When the key was last used, if ever. */
  lastUsed: output<string | undefined>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface ProjectDeployKey extends ResourceOutputs<typeof OUTPUTS> {}

/** A project's deploy key: an SSH public key with read access to every repository of the project. ID: the key's id (a number). */
export class ProjectDeployKey extends BitbucketResource {
  constructor(name: string, args: ProjectDeployKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super("ProjectDeployKey", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing project deploy key: `get(name, "workspace/PROJECT/id")` or `get(name, "id", { workspace, project })`. */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: { workspace?: pulumi.Input<string>; project?: pulumi.Input<string> },
    opts?: pulumi.CustomResourceOptions,
  ): ProjectDeployKey {
    return ProjectDeployKey.existing(name, id, state, opts);
  }
}
