// Users, workspaces, memberships and groups as the API renders them.
import { createHash, generateKeyPairSync, JsonWebKey } from "crypto";
import { api, link, View } from "../../view";
import type { Group, User, Workspace } from "./model";

export function renderUser(view: View, u: User): Record<string, unknown> {
  return {
    type: "user",
    uuid: u.uuid,
    account_id: u.account_id,
    display_name: u.display_name,
    nickname: u.nickname,
    links: {
      self: link(api(view, `/users/${encodeURIComponent(u.uuid)}`)),
      html: link(`${view.base}/${encodeURIComponent(u.uuid)}/`),
      avatar: link(`${view.base}/account/${u.nickname}/avatar/`),
    },
  };
}

export function userByUuid(view: View, uuid: string): User {
  return view.state.users.find((u) => u.uuid === uuid)!;
}

/** A workspace as a repository's `owner`: the API renders it as a team account. */
export function renderWorkspaceOwner(view: View, ws: Workspace): Record<string, unknown> {
  return {
    type: "team",
    uuid: ws.uuid,
    username: ws.slug,
    display_name: ws.name,
    links: {
      self: link(api(view, `/workspaces/${ws.slug}`)),
      html: link(`${view.base}/${ws.slug}/`),
      avatar: link(`${view.base}/workspaces/${ws.slug}/avatar/`),
    },
  };
}

export function renderWorkspace(view: View, ws: Workspace, full = false): Record<string, unknown> {
  const base = {
    type: "workspace",
    uuid: ws.uuid,
    name: ws.name,
    slug: ws.slug,
    links: {
      self: link(api(view, `/workspaces/${ws.slug}`)),
      html: link(`${view.base}/${ws.slug}/`),
      avatar: link(`${view.base}/workspaces/${ws.slug}/avatar/`),
    },
  };
  if (!full) return base;
  return {
    ...base,
    is_private: ws.is_private,
    is_personal: false,
    forking_mode: "allow_forks",
    created_on: ws.created_on,
    updated_on: ws.created_on,
    links: {
      ...base.links,
      members: link(api(view, `/workspaces/${ws.slug}/members`)),
      owners: link(api(view, `/workspaces/${ws.slug}/members?q=permission%3D%22owner%22`)),
      projects: link(api(view, `/workspaces/${ws.slug}/projects`)),
      repositories: link(api(view, `/repositories/${ws.slug}`)),
      snippets: link(api(view, `/snippets/${ws.slug}`)),
    },
  };
}

/** `GET /user/workspaces`: the spec's `workspace_access`, its workspace as a `workspace_base` (as the spec's example). */
export function renderWorkspaceAccess(view: View, ws: Workspace, administrator: boolean): Record<string, unknown> {
  return {
    type: "workspace_access",
    administrator,
    workspace: {
      type: "workspace_base",
      uuid: ws.uuid,
      slug: ws.slug,
      links: { self: link(api(view, `/workspaces/${ws.slug}`)), avatar: link(`${view.base}/workspaces/${ws.slug}/avatar/`) },
    },
  };
}

export function renderMembership(view: View, ws: Workspace, u: User): Record<string, unknown> {
  return {
    type: "workspace_membership",
    user: renderUser(view, u),
    workspace: renderWorkspace(view, ws),
    links: { self: link(api(view, `/workspaces/${ws.slug}/members/${encodeURIComponent(u.uuid)}`)) },
  };
}

export function renderGroup(view: View, ws: Workspace, g: Group): Record<string, unknown> {
  return {
    type: "group",
    name: g.name,
    slug: g.slug,
    full_slug: `${ws.slug}:${g.slug}`,
    workspace: renderWorkspace(view, ws),
    links: { self: link(api(view, `/groups/${ws.slug}/${g.slug}`)), html: link(`${view.base}/${ws.slug}/workspace/settings/groups/${g.slug}`) },
  };
}

/** The Pipelines OIDC issuer of a workspace, as Bitbucket names it. */
const oidcIssuer = (view: View, ws: Workspace) => api(view, `/workspaces/${ws.slug}/pipelines-config/identity/oidc`);

/** The OpenID Connect discovery document of a workspace's Pipelines identity provider. */
export function renderOidcConfiguration(view: View, ws: Workspace): Record<string, unknown> {
  const issuer = oidcIssuer(view, ws);
  return {
    issuer,
    jwks_uri: `${issuer}/keys.json`,
    subject_types_supported: ["public", "pairwise"],
    response_types_supported: ["id_token"],
    claims_supported: [
      "sub",
      "aud",
      "exp",
      "iat",
      "iss",
      "jti",
      "workspaceUuid",
      "repositoryUuid",
      "pipelineUuid",
      "stepUuid",
      "branchName",
      "deploymentEnvironmentUuid",
    ],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: ["openid"],
  };
}

/** One signing key for the emulator's life: made on first use (it signs nothing; only its public half is shown). */
let signingKey: JsonWebKey | undefined;

/** The JSON Web Key Set the workspace's Pipelines tokens are signed with. */
export function renderOidcKeys(ws: Workspace): Record<string, unknown> {
  signingKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" });
  const kid = createHash("sha256").update(`${ws.uuid}${signingKey.n}`).digest("hex").slice(0, 32);
  return { keys: [{ kty: "RSA", use: "sig", alg: "RS256", kid, n: signingKey.n, e: signingKey.e }] };
}
