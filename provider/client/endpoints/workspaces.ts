// Workspaces and people: a workspace, its members, the authenticated user.
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

export function workspaceReads(c: EndpointContext) {
  return {
    workspace: (workspace: string) => c.get(WorkspaceObject, "/workspaces/{workspace}", { workspace }),
    currentUser: () => c.get(AccountObject, "/user"),
    members: (workspace: string, options?: ListOptions) => c.list(MembershipObject, "/workspaces/{workspace}/members", { workspace }, options),
    /** One member by account id or `{uuid}` (404: not a member). */
    member: (workspace: string, member: string) => c.get(MembershipObject, "/workspaces/{workspace}/members/{member}", { workspace, member }),
  };
}
