// PipelineKnownHost: a host Pipelines builds of a repository trust over SSH (a known_hosts line). The
// Pulumi ID is the host's UUID; the state also holds the workspace and the repository's UUID, by which
// it is addressed (a rename changes nothing). The hostname and the key update in place. Bitbucket holds
// a hostname once per repository (409): a create that meets it takes the host over.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { hostnameRefusal, sameKey } from "../../rules/ssh-key";
import { BitbucketApiError, ifFound } from "../client";
import type { KnownHostBody, KnownHostObject } from "../client/api";
import {
  BitbucketResource,
  checkAndDiff,
  compact,
  InRepository,
  repositoryObjectId,
  RepositoryRef,
  repositoryUuid,
  reportTakeOver,
  ResourceProvider,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, itemClaim, repositoryRef } from "./claims";
import { PublicKeyText, sameKeyAsOld } from "./deployKey";
import { attachedImport, CONTAINER_ID, text, WORKSPACE, claimsOne, describeOne, type Collection, type Discovery, terraformImport } from "./discovery";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { REPOSITORIES, terraformRepository } from "./repository";

// ---- Fields ------------------------------------------------------------------------------------

const Hostname = z.string().superRefine((value, ctx) => {
  const refused = hostnameRefusal(value);
  if (refused) ctx.addIssue({ code: "custom", message: refused });
});

export const FIELDS = fieldTable<PipelineKnownHostArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  hostname: { schema: Hostname, api: "hostname", update: true },
  key: { schema: PublicKeyText, update: true },
});

/** A PipelineKnownHost owns the repository's known host of its name (Bitbucket holds a name once). */
export const claims = claimRule(["workspace", "repository", "hostname"], (args) =>
  itemClaim(
    repositoryRef(args.workspace, args.repository),
    "pipelines known hosts",
    typeof args.hostname === "string" ? args.hostname.toLowerCase() : undefined,
    `the known host ${String(args.hostname)}`,
    "hostname",
  ),
);

/** `<type> <base64>` of a live host. */
const liveKey = (live: KnownHostObject) => `${live.public_key.key_type} ${live.public_key.key}`;

/** The request body: the key's type and body apart (a comment is dropped). */
function hostBody(hostname: string, key: string): KnownHostBody {
  const [keyType = "", body = ""] = key.trim().split(/[ \t]+/);
  return { hostname, public_key: { key_type: keyType, key: body } };
}

function hostState(live: KnownHostObject, ids: { workspace: string; repository: string; repositoryUuid: string }, spelled: unknown) {
  // The program's spelling while Bitbucket holds the same key (the comment is not kept).
  const key = typeof spelled === "string" && sameKey(spelled, liveKey(live)) ? spelled : liveKey(live);
  return compact({
    ...ids,
    ...FIELDS.state(live),
    key,
    uuid: live.uuid,
    md5Fingerprint: live.public_key.md5_fingerprint,
    sha256Fingerprint: live.public_key.sha256_fingerprint,
  });
}

/** Bitbucket's refusal of a hostname already there (the answer to a retried POST whose first answer was lost). */
const isHostTaken = (err: unknown) => err instanceof BitbucketApiError && err.status === 409;

const knownHostId = (id: string, props?: Record<string, unknown>) => repositoryObjectId("pipelines known host", id, ["workspace", "repository", "uuid"], props);

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  ...checkAndDiff(FIELDS, false, sameKeyAsOld),

  async create(ctx, raw) {
    const { api } = ctx;
    const inputs = FIELDS.parse(raw);
    const { workspace, repository } = inputs;
    const uuid = await repositoryUuid(api, workspace, repository);
    const body = hostBody(inputs.hostname, inputs.key);
    let live: KnownHostObject;
    try {
      live = await api.createKnownHost(workspace, uuid, body);
    } catch (err) {
      // The hostname is there already: from a lost answer, a killed run, or added by hand. Take it over.
      if (!isHostTaken(err)) throw err;
      const existing = (await api.listKnownHosts(workspace, uuid)).find((h) => h.hostname === body.hostname);
      if (!existing) throw err;
      live = existing;
      if (!sameKey(liveKey(existing), inputs.key)) {
        reportTakeOver(
          ctx,
          `PipelineKnownHost: ${workspace}/${repository} already had the known host ${body.hostname} (${existing.uuid}) with another key, now the program's`,
        );
        live = await api.updateKnownHost(workspace, uuid, existing.uuid, body);
      }
    }
    return { id: live.uuid, outs: hostState(live, { workspace, repository, repositoryUuid: uuid }, inputs.key) };
  },

  async read({ api }, id, props) {
    const { workspace, repository, uuid, at } = knownHostId(id, props);
    const live = await ifFound(api.getKnownHost(workspace, at, uuid));
    if (!live) return {};
    const repoUuid = text(props?.repositoryUuid) ?? (await repositoryUuid(api, workspace, at));
    const state = hostState(live, { workspace, repository, repositoryUuid: repoUuid }, props?.key);
    return { id: live.uuid, props: state, inputs: FIELDS.inputsOf(state) };
  },

  async update({ api }, id, olds, news) {
    const inputs = FIELDS.parse(news);
    const at = text(olds.repositoryUuid) ?? inputs.repository;
    const live = await api.updateKnownHost(inputs.workspace, at, id, hostBody(inputs.hostname, inputs.key));
    return { outs: hostState(live, { workspace: inputs.workspace, repository: inputs.repository, repositoryUuid: at }, inputs.key) };
  },

  async delete({ api }, id, props) {
    const { workspace, uuid, at } = knownHostId(id, props);
    await ifFound(api.deleteKnownHost(workspace, at, uuid));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** A repository's Pipelines known hosts. */
export const KNOWN_HOSTS: Collection<KnownHostObject> = {
  label: "pipelines known host",
  plural: "pipelines known hosts",
  on: REPOSITORIES.label,
  list: (api, { workspace, container }) => api.listKnownHosts(workspace, container!.uuid),
  listed: (h) => ({
    keys: [h.uuid],
    id: h.uuid,
    title: h.hostname,
    detail: `${h.hostname} (${h.public_key.key_type} ${h.public_key.sha256_fingerprint ?? `${h.public_key.key.slice(0, 12)}…`})`,
  }),
};

/** A PipelineKnownHost holds one host by UUID; imported one per host of each imported repository. */
export const discovery: Discovery = {
  claims: claimsOne(KNOWN_HOSTS),
  describe: describeOne("pipelines known host", (o) => text(o.hostname), "repository"),
  search: KNOWN_HOSTS,
  import: attachedImport({
    on: REPOSITORIES,
    counted: "pipelines known hosts",
    order: 7,
    read: (api, place) => KNOWN_HOSTS.list(api, place, []),
    declare: (hosts, container) =>
      hosts.map((h, i) => ({
        name: `${container.key}-known-host-${i + 1}`,
        args: [
          ["workspace", WORKSPACE],
          ["repository", CONTAINER_ID],
          ["hostname", h.hostname],
          ["key", liveKey(h)],
        ],
      })),
  }),
  // bitbucket_pipeline_ssh_known_host: workspace, repository, hostname, public_key[0] (key_type, key).
  // Creation takes over the host of that name.
  terraform: terraformImport({
    type: "bitbucket_pipeline_ssh_known_host",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => {
      const key = (Array.isArray(a.public_key) ? a.public_key[0] : undefined) as Record<string, unknown> | undefined;
      return [
        {
          name,
          args: [
            ["workspace", workspaceOf(String(a.workspace))],
            ["repository", terraformRepository(a.workspace, a.repository)],
            ["hostname", String(a.hostname)],
            ["key", `${String(key?.key_type)} ${String(key?.key)}`],
          ],
        },
      ];
    },
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface PipelineKnownHostArgs {
  /** Workspace slug (or `{uuid}`) of the repository. Changing it replaces the known host. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id` (the UUID) so a rename changes nothing. Changing it replaces the known host. */
  repository: pulumi.Input<string>;
  /** The host as a known_hosts file names it: a host name or IP address, or `[host]:port` for another port than 22. Once per repository. Updates in place. */
  hostname: pulumi.Input<string>;
  /** The host's public key, `<type> <base64> [comment]` (what `ssh-keyscan` prints after the host name); types ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521 and the sk- security keys. Only the type and the body are compared. Updates in place. */
  key: pulumi.Input<string>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The key as the program spells it while Bitbucket holds that key (Bitbucket drops the comment). */
  key: argument(),
  /** The repository's UUID, by which the host is addressed. */
  repositoryUuid: output<string>(),
  /** The known host's UUID (also the resource ID). */
  uuid: output<string>(),
  /** The key's MD5 fingerprint, as Bitbucket shows it. */
  md5Fingerprint: output<string | undefined>(),
  /** The key's SHA-256 fingerprint (`SHA256:…`), as Bitbucket shows it. */
  sha256Fingerprint: output<string | undefined>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface PipelineKnownHost extends ResourceOutputs<typeof OUTPUTS> {}

/** A host that Pipelines builds of a repository trust over SSH. ID: the known host's `{uuid}`. */
export class PipelineKnownHost extends BitbucketResource {
  constructor(name: string, args: PipelineKnownHostArgs, opts?: pulumi.CustomResourceOptions) {
    super("PipelineKnownHost", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing known host: `get(name, "workspace/repository/{uuid}")` or `get(name, "{uuid}", { workspace, repository })`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: InRepository, opts?: pulumi.CustomResourceOptions): PipelineKnownHost {
    return PipelineKnownHost.existing(name, id, state, opts);
  }
}
