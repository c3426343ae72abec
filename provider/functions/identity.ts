// People and identities: a user's public profile, and a workspace's Pipelines OpenID Connect identity
// provider (what a cloud account is told to trust so that pipelines can assume a role without stored keys).
import { z } from "zod";
import { AccountRef } from "../identifiers";
import { Account, readFunction, toAccount, Workspace } from "./common";

export interface GetUserArgs {
  /** An Atlassian account id (`557058:…`) or a user {uuid}. */
  user: string;
}

/** A user's public profile (Bitbucket leaves out what the user keeps private); no credentials needed. */
export const { promise: getUser, output: getUserOutput } = readFunction(
  "getUser",
  z.strictObject({ user: AccountRef }),
  async (args: GetUserArgs, client): Promise<Account> => toAccount(await client.reads.user(args.user)),
);

export interface PipelinesOidcArgs {
  /** A workspace slug or {uuid}. */
  workspace: string;
}

export interface GetPipelinesOidcConfigurationResult {
  workspace: string;
  /** The identity provider's URL: what a cloud account's OIDC provider is created with. */
  issuer: string;
  jwksUri: string;
  /** The whole discovery document, as Bitbucket serves it (claims, algorithms...). */
  configuration: Record<string, unknown>;
}

const InWorkspace = z.strictObject({ workspace: Workspace });

/** The OpenID Connect discovery document of the workspace's Pipelines identity provider. */
export const { promise: getPipelinesOidcConfiguration, output: getPipelinesOidcConfigurationOutput } = readFunction(
  "getPipelinesOidcConfiguration",
  InWorkspace,
  async (args: PipelinesOidcArgs, client): Promise<GetPipelinesOidcConfigurationResult> => {
    const configuration = await client.reads.oidcConfiguration(args.workspace);
    return { workspace: args.workspace, issuer: configuration.issuer, jwksUri: configuration.jwks_uri, configuration };
  },
);

export interface OidcKey {
  kid?: string;
  kty: string;
  /** The other members of the JSON Web Key (`n`, `e`, `alg`, `use`...), as served. */
  [member: string]: unknown;
}

export interface GetPipelinesOidcKeysResult {
  workspace: string;
  /** The JSON Web Keys Pipelines' OIDC tokens are signed with. */
  keys: OidcKey[];
}

/** The signing keys (JSON Web Key Set) of the workspace's Pipelines identity provider. */
export const { promise: getPipelinesOidcKeys, output: getPipelinesOidcKeysOutput } = readFunction(
  "getPipelinesOidcKeys",
  InWorkspace,
  async (args: PipelinesOidcArgs, client): Promise<GetPipelinesOidcKeysResult> => ({
    workspace: args.workspace,
    keys: (await client.reads.oidcKeys(args.workspace)).keys,
  }),
);
