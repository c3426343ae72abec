// Branch restrictions of a repository. The POST is not retried on 5xx / lost answers (its URL is no
// key); Bitbucket refuses a second restriction of one kind and match, and the resource lists first.
import { z } from "zod";
import { EndpointContext, REPOSITORY, repositoryParams } from "./context";

const Account = z.looseObject({ uuid: z.string().nullish(), account_id: z.string().nullish(), display_name: z.string().nullish() });
const Group = z.looseObject({ slug: z.string() });

export const BranchRestrictionObject = z.looseObject({
  id: z.number(),
  kind: z.string(),
  branch_match_kind: z.string().nullish(),
  pattern: z.string().nullish(),
  branch_type: z.string().nullish(),
  value: z.number().nullish(),
  users: z.array(Account).nullish(),
  groups: z.array(Group).nullish(),
});
export type BranchRestrictionObject = z.infer<typeof BranchRestrictionObject>;

export interface BranchRestrictionBody {
  kind?: string;
  branch_match_kind?: string;
  pattern?: string;
  branch_type?: string;
  value?: number;
  /** Exempted users by `{uuid}` or by `account_id` (never a username). */
  users?: ({ uuid: string } | { account_id: string })[];
  groups?: { slug: string }[];
}

const RESTRICTIONS = `${REPOSITORY}/branch-restrictions`;
const RESTRICTION = `${RESTRICTIONS}/{id}`;

export function branchRestrictionEndpoints(c: EndpointContext) {
  const one = (workspace: string, repoSlug: string, id: string) => ({ ...repositoryParams(workspace, repoSlug), id });
  return {
    createBranchRestriction: (workspace: string, repoSlug: string, body: BranchRestrictionBody): Promise<BranchRestrictionObject> =>
      c.request(BranchRestrictionObject, { method: "POST", route: RESTRICTIONS, params: repositoryParams(workspace, repoSlug), body }),
    getBranchRestriction: (workspace: string, repoSlug: string, id: string): Promise<BranchRestrictionObject> =>
      c.get(BranchRestrictionObject, RESTRICTION, one(workspace, repoSlug, id)),
    updateBranchRestriction: (workspace: string, repoSlug: string, id: string, body: BranchRestrictionBody): Promise<BranchRestrictionObject> =>
      c.request(BranchRestrictionObject, { method: "PUT", route: RESTRICTION, params: one(workspace, repoSlug, id), body }),
    deleteBranchRestriction: (workspace: string, repoSlug: string, id: string): Promise<void> => c.delete(RESTRICTION, one(workspace, repoSlug, id)),
    /** `filter`: the API's `kind` and `pattern` query parameters. */
    listBranchRestrictions: (workspace: string, repoSlug: string, filter: { kind?: string; pattern?: string } = {}): Promise<BranchRestrictionObject[]> =>
      c.list(BranchRestrictionObject, RESTRICTIONS, repositoryParams(workspace, repoSlug), {}, { query: filter }),
  };
}
