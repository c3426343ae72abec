// Branch restrictions as the API renders them: exempted users as accounts, groups as groups.
import { workspaceOf } from "../../access";
import { api, link, View } from "../../view";
import type { Repository } from "../repositories/model";
import { repoPath } from "../repositories/render";
import { renderGroup, renderUser, userByUuid } from "../workspaces/render";
import type { BranchRestriction } from "./model";

export function renderBranchRestriction(view: View, repo: Repository, r: BranchRestriction): Record<string, unknown> {
  const ws = workspaceOf(view.state, repo);
  return {
    type: "branchrestriction",
    id: r.id,
    kind: r.kind,
    branch_match_kind: r.branch_match_kind,
    pattern: r.pattern,
    ...(r.branch_type === null ? {} : { branch_type: r.branch_type }),
    ...(r.value === null ? {} : { value: r.value }),
    users: r.userUuids.map((uuid) => renderUser(view, userByUuid(view, uuid))),
    groups: r.groupSlugs.flatMap((slug) => ws.groups.filter((g) => g.slug === slug).map((g) => renderGroup(view, ws, g))),
    links: { self: link(api(view, `${repoPath(ws, repo)}/branch-restrictions/${r.id}`)) },
  };
}
