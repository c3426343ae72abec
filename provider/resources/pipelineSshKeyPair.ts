// PipelineSshKeyPair: the SSH key pair Pipelines builds of a repository use. The private key is a
// Pulumi secret, checked at preview as an unencrypted private key and never quoted; the public key is
// derived from it (the one rule, rules/ssh-key.ts) and sent beside it. Bitbucket never answers the
// private key: drift is seen on the public key (another pair set by hand reads as a changed private
// key). ID: `workspace/{repository uuid}` (one pair per repository; a rename changes nothing).
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { publicKeyOfPrivateKey } from "../../rules/ssh-key";
import { ifFound } from "../client";
import {
  BitbucketResource,
  checkAndDiff,
  compact,
  RepositoryRef,
  repositoryUuid,
  reportTakeOver,
  ResourceProvider,
  splitId,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, collectionClaim, repositoryRef } from "./claims";
import { repositoryOf, terraformImport, text, type Discovery } from "./discovery";
import { terraformRepository } from "./repository";
import { fieldTable, output, outputTable, ResourceOutputs } from "./fields";

// ---- Fields ------------------------------------------------------------------------------------

/** An unencrypted OpenSSH or PEM private key. Its refusals carry no input: no message quotes it. */
const PrivateKeyText = z.string().superRefine((value, ctx) => {
  const parsed = publicKeyOfPrivateKey(value);
  if ("refused" in parsed) ctx.addIssue({ code: "custom", message: parsed.refused, input: undefined });
});

export const FIELDS = fieldTable<PipelineSshKeyPairArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  privateKey: { schema: PrivateKeyText, update: true, secret: true },
});

const ID_PARTS = ["workspace", "repositoryUuid"] as const;

/** A PipelineSshKeyPair owns the one key pair of its repository. */
export const claims = claimRule(["workspace", "repository"], (args) =>
  collectionClaim(repositoryRef(args.workspace, args.repository), "Pipelines SSH key pair", "repository"),
);

/** Stands for a private key Bitbucket holds that is not the program's (set outside Pulumi): its value is unknown. */
const SET_OUTSIDE = "(another key pair, set outside Pulumi)";

const derivedPublicKey = (privateKey: unknown) => {
  const parsed = typeof privateKey === "string" ? publicKeyOfPrivateKey(privateKey) : undefined;
  return parsed && "publicKey" in parsed ? parsed.publicKey : undefined;
};

/** The live public key without a comment. */
const bare = (publicKey: string) =>
  publicKey
    .trim()
    .split(/[ \t]+/)
    .slice(0, 2)
    .join(" ");

function pairState(ids: { workspace: string; repository: string; repositoryUuid: string }, livePublicKey: string, privateKey: unknown) {
  // The private key last set while Bitbucket holds its pair; Pulumi stores it encrypted (additionalSecretOutputs).
  const own = derivedPublicKey(privateKey) === bare(livePublicKey);
  return compact({ ...ids, privateKey: own ? privateKey : SET_OUTSIDE, publicKey: bare(livePublicKey) });
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  ...checkAndDiff(FIELDS, false),

  async create(ctx, raw) {
    const { api } = ctx;
    const inputs = FIELDS.parse(raw);
    const { workspace, repository } = inputs;
    const uuid = await repositoryUuid(api, workspace, repository);
    const publicKey = derivedPublicKey(inputs.privateKey)!;
    // A pair already there (set by hand, or by a run whose answer was lost) is replaced: say so when it is another one.
    const existing = await ifFound(api.getKeyPair(workspace, uuid));
    if (existing && bare(existing.public_key) !== publicKey)
      reportTakeOver(
        ctx,
        `PipelineSshKeyPair: ${workspace}/${repository} already had an SSH key pair (public key ${bare(existing.public_key).slice(0, 32)}…), now replaced by the program's`,
      );
    const live = await api.putKeyPair(workspace, uuid, { private_key: inputs.privateKey, public_key: publicKey });
    return { id: `${workspace}/${uuid}`, outs: pairState({ workspace, repository, repositoryUuid: uuid }, live.public_key, inputs.privateKey) };
  },

  async read({ api }, id, props) {
    const ids = splitId("pipelines SSH key pair", id, ID_PARTS, props);
    const live = await ifFound(api.getKeyPair(ids.workspace, ids.repositoryUuid));
    if (!live) return {};
    const state = pairState({ ...ids, repository: text(props?.repository) ?? ids.repositoryUuid }, live.public_key, props?.privateKey);
    return { id, props: state, inputs: FIELDS.inputsOf(state) };
  },

  async update({ api }, id, _olds, news) {
    const inputs = FIELDS.parse(news);
    const ids = { ...splitId("pipelines SSH key pair", id, ID_PARTS), repository: inputs.repository };
    const live = await api.putKeyPair(ids.workspace, ids.repositoryUuid, { private_key: inputs.privateKey, public_key: derivedPublicKey(inputs.privateKey)! });
    return { outs: pairState(ids, live.public_key, inputs.privateKey) };
  },

  async delete({ api }, id, props) {
    const ids = splitId("pipelines SSH key pair", id, ID_PARTS, props);
    await ifFound(api.deleteKeyPair(ids.workspace, ids.repositoryUuid));
  },
};

// ---- Drift search ------------------------------------------------------------------------------

/** Where the pair is, for the drift command's report. Not imported: Bitbucket never gives the private key. */
export const discovery: Discovery = {
  describe: (outputs) => ({ workspace: text(outputs.workspace), repository: repositoryOf(outputs.repositoryUuid ?? outputs.repository) }),
  // bitbucket_pipeline_ssh_key: workspace, repository, private_key, public_key. The state keeps the
  // private key in plaintext: the program reads it from the stack config. Creation replaces the pair there.
  terraform: terraformImport({
    type: "bitbucket_pipeline_ssh_key",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => [
      {
        name,
        args: [
          ["workspace", workspaceOf(String(a.workspace))],
          ["repository", terraformRepository(a.workspace, a.repository)],
          ["privateKey", { configSecret: { repository: `${String(a.workspace)}/${String(a.repository)}`, url: "Pipelines SSH private key" } }],
        ],
      },
    ],
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface PipelineSshKeyPairArgs {
  /** Workspace slug (or `{uuid}`) of the repository. Changing it replaces the key pair. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id`. The pair is addressed by the repository's UUID either way. Changing it replaces the key pair. */
  repository: pulumi.Input<string>;
  /** The private key: the text of an OpenSSH (`-----BEGIN OPENSSH PRIVATE KEY-----`) or PEM (PKCS#8, RSA or EC) private key file without a passphrase (Pipelines takes none), of type ed25519, RSA or ECDSA. Kept only as a Pulumi secret and never quoted; Bitbucket never returns it. The public key is derived from it. A new key updates the pair in place. */
  privateKey: pulumi.Input<string>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The public key (`<type> <base64>`) as Bitbucket holds it: add it where builds connect (e.g. `~/.ssh/authorized_keys`, a deploy key). */
  publicKey: output<string>(),
  /** The repository's UUID (part of the ID). */
  repositoryUuid: output<string>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface PipelineSshKeyPair extends ResourceOutputs<typeof OUTPUTS> {}

/** The SSH key pair of a repository's Pipelines builds. ID: `workspace/{repository uuid}`. */
export class PipelineSshKeyPair extends BitbucketResource {
  constructor(name: string, args: PipelineSshKeyPairArgs, opts?: pulumi.CustomResourceOptions) {
    const props = withOutputs({ ...args, privateKey: args?.privateKey === undefined ? undefined : pulumi.secret(args.privateKey) }, OUTPUTS.keys);
    const additionalSecretOutputs = [...(opts?.additionalSecretOutputs ?? []), ...FIELDS.secretKeys];
    super("PipelineSshKeyPair", claims, name, props, { ...opts, additionalSecretOutputs });
  }

  /** Reads the key pair of a repository by ID `workspace/{repository uuid}` (its public key; the private key stays unknown). */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): PipelineSshKeyPair {
    return PipelineSshKeyPair.existing(name, id, undefined, opts);
  }
}
