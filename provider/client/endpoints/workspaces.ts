// Workspaces and people: a workspace, its members, the authenticated user, any user's public profile,
// and a workspace's Pipelines OIDC identity provider (discovery document and signing keys).
import { z } from "zod";
import { EndpointContext, Links, ListOptions, maybe } from "./context";

export const AccountObject = z.looseObject({
  uuid: z.string().optional(),
  account_id: z.string().optional(),
  display_name: z.string().optional(),
  nickname: z.string().optional(),
  type: z.string().optional(),
  links: Links,
});
export type AccountObject = z.infer<typeof AccountObject>;

export const WorkspaceObject = z.looseObject({
  uuid: z.string(),
  slug: z.string(),
  name: z.string(),
  is_private: maybe(z.boolean()),
  is_personal: maybe(z.boolean()),
  forking_mode: maybe(z.string()),
  created_on: maybe(z.string()),
  updated_on: maybe(z.string()),
  links: Links,
});
export type WorkspaceObject = z.infer<typeof WorkspaceObject>;

export const MembershipObject = z.looseObject({ user: AccountObject });
export type MembershipObject = z.infer<typeof MembershipObject>;

/** The OpenID Connect discovery document (its fields are OpenID's, kept as they come). */
export const OidcConfigurationObject = z.looseObject({ issuer: z.string(), jwks_uri: z.string() });
export type OidcConfigurationObject = z.infer<typeof OidcConfigurationObject>;

/** A JSON Web Key Set. */
export const OidcKeysObject = z.looseObject({ keys: z.array(z.looseObject({ kid: z.string().optional(), kty: z.string() })) });
export type OidcKeysObject = z.infer<typeof OidcKeysObject>;

const OIDC = "/workspaces/{workspace}/pipelines-config/identity/oidc";

export function workspaceReads(c: EndpointContext) {
  return {
    workspace: (workspace: string) => c.get(WorkspaceObject, "/workspaces/{workspace}", { workspace }),
    currentUser: () => c.get(AccountObject, "/user"),
    members: (workspace: string, options?: ListOptions) => c.list(MembershipObject, "/workspaces/{workspace}/members", { workspace }, options),
    /** One member by account id or `{uuid}` (404: not a member). */
    member: (workspace: string, member: string) => c.get(MembershipObject, "/workspaces/{workspace}/members/{member}", { workspace, member }),
    /** A user's public profile, by account id or `{uuid}`. */
    user: (selectedUser: string) => c.get(AccountObject, "/users/{selected_user}", { selected_user: selectedUser }),
    oidcConfiguration: (workspace: string) => c.get(OidcConfigurationObject, `${OIDC}/.well-known/openid-configuration`, { workspace }),
    oidcKeys: (workspace: string) => c.get(OidcKeysObject, `${OIDC}/keys.json`, { workspace }),
  };
}
