// The repositories this provider process created. A repository a run has just created holds nothing but
// what this run puts there, so a create on it (a webhook, a grant, settings) has nothing to take over
// and writes first: the read before writing that guards a take-over or a duplicate is needless there.
// One provider process serves one Pulumi run; a repository adopted or found after a lost answer is not
// recorded (it may hold anything), nor is any repository in the recovery mode (adoptExisting).
import type { Context } from "../context";

const lower = (s: string) => s.toLowerCase();

export class FreshRepositories {
  private keys = new Set<string>();

  /** Records a repository this process created, under every spelling a program may address it by. */
  created(workspaceAsGiven: string, live: { uuid: string; slug?: string; full_name?: string; workspace?: { slug?: string; uuid?: string } | null }): void {
    const workspaces = [workspaceAsGiven, live.workspace?.slug, live.workspace?.uuid, live.full_name?.split("/")[0]];
    const repositories = [live.uuid, live.slug, live.full_name?.split("/")[1]];
    for (const w of workspaces) for (const r of repositories) if (w && r) this.keys.add(`${lower(w)}/${lower(r)}`);
  }

  /** Whether `workspace/repository` (slugs or {uuid}s) is a repository this process created. */
  has(workspace: string, repository: string): boolean {
    return this.keys.has(`${lower(workspace)}/${lower(repository)}`);
  }
}

/** Whether a create on `workspace/repository` may write without looking first (see above). */
export function isFreshRepository(ctx: Context, workspace: string, repository: string): boolean {
  return !ctx.adoptExisting && (ctx.fresh?.has(workspace, repository) ?? false);
}
