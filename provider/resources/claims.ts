// What each resource owns in Bitbucket, and the program-wide table that sees two resources of one
// program claim the same object (two Repositories at one slug, a RepositoryAccess and a
// UserPermission on one repository's user grants...). Such a pair would write in turn and never
// settle, so the later of the two is refused at its check, naming the other.
//
// Dynamic providers' check runs per resource in the provider process, without the resource's name
// or the other resources: only the program process, where every resource is constructed, sees them
// all. BitbucketResource (common.ts) computes the claims there from the arguments once they are
// known (plain values at once, Outputs when they resolve; unknown at preview: not claimed) and
// passes the conflicts to the provider as the check-only input CLAIM_CONFLICTS, which the runtime's
// check takes out and turns into failures, so it never reaches the state.
//
// Matched: references as written, in any case (workspaces, repository slugs and `{uuid}`s, group
// slugs, users); project keys exactly. Not matched: one repository (or workspace) named by slug in one
// resource and by `{uuid}` in another, or one user by account id in one resource and by `{uuid}` in
// another; telling those apart needs the API, which the program does not call.
import * as pulumi from "@pulumi/pulumi";

/** One object a resource owns. */
export interface Claim {
  /** The object, normalized: two resources claiming one key fight over it. */
  key: string;
  /** The collection the object belongs to, when another resource may own that collection whole. */
  within?: string;
  /** The object, for messages: "repository acme/platform-api". */
  what: string;
  /** The argument that names it, for the check failure. */
  field: string;
}

/** A kind's claims: the arguments they read and how (the values are unchecked: check refuses bad ones). */
export interface ClaimRule {
  fields: readonly string[];
  of(args: Record<string, unknown>): Claim[];
}

export function claimRule(fields: readonly string[], of: (args: Record<string, unknown>) => Claim[]): ClaimRule {
  return { fields, of };
}

/** The check-only input carrying a resource's conflicts to its check (a list of check failures). */
export const CLAIM_CONFLICTS = "__claimConflicts";

/** A reference in lower case; undefined unless a non-empty string. */
export const lowerCase = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v.toLowerCase() : undefined);

/** "repository workspace/repository" as written, lower case (slugs are lower case; `{uuid}`s are not case-sensitive). */
export function repositoryRef(workspace: unknown, repository: unknown): string | undefined {
  const [ws, repo] = [lowerCase(workspace), lowerCase(repository)];
  return ws && repo ? `repository ${ws}/${repo}` : undefined;
}

/** "project workspace/KEY": the workspace in lower case, the key as written (keys in another case are not matched). */
export function projectRef(workspace: unknown, project: unknown): string | undefined {
  const ws = lowerCase(workspace);
  return ws && typeof project === "string" && project !== "" ? `project ${ws}/${project}` : undefined;
}

/** A repository itself (a Repository or a Fork at that slug). */
export function repositoryClaim(workspace: unknown, slug: unknown, field: string): Claim[] {
  const ref = repositoryRef(workspace, slug);
  return ref ? [{ key: ref, what: ref, field }] : [];
}

/** A whole collection of a repository or project (its hooks, its user grants...). */
export function collectionClaim(owner: string | undefined, collection: string, field: string): Claim[] {
  return owner ? [{ key: `${collection} of ${owner}`, what: `the ${collection} of ${owner}`, field }] : [];
}

/** One object of such a collection: `what` names it within the collection. */
export function itemClaim(owner: string | undefined, collection: string, item: string | undefined, what: string, field: string): Claim[] {
  return owner && item ? [{ key: `${collection} of ${owner}: ${item}`, within: `${collection} of ${owner}`, what: `${what} on ${owner}`, field }] : [];
}

interface Holder {
  /** "Repository 'name'" */
  resource: string;
  claim: Claim;
}

interface Table {
  /** Who claimed each key first. */
  owners: Map<string, Holder>;
  /** The first resource claiming an object within each collection. */
  members: Map<string, Holder>;
}

// One table per program run: inline Automation API programs run several times in one process, each
// with its own monitor (mocks: one per setMocks).
const tables = new WeakMap<object, Table>();
const outsideAnyRun = {};

function currentTable(): Table {
  const run = pulumi.runtime.getMonitor() ?? outsideAnyRun;
  let table = tables.get(run);
  if (!table) tables.set(run, (table = { owners: new Map(), members: new Map() }));
  return table;
}

/** Records a resource's claims; returns a check failure for each object another resource already holds. */
function record(table: Table, kind: string, name: string, claims: Claim[]): pulumi.dynamic.CheckFailure[] {
  const resource = `${kind} '${name}'`;
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const other = (holder: Holder | undefined) => (holder && holder.resource !== resource ? holder : undefined);
  for (const claim of claims) {
    const same = other(table.owners.get(claim.key));
    const wholeOwner = claim.within ? other(table.owners.get(claim.within)) : undefined;
    const member = claim.within ? undefined : other(table.members.get(claim.key));
    const holder = same ?? wholeOwner ?? member;
    if (holder) {
      const [owner, item] = wholeOwner ? [wholeOwner, { resource, claim }] : [{ resource, claim }, member!];
      const reason = same
        ? `both manage ${claim.what}: each would undo the other's changes on every update. Keep one of them.`
        : `both manage ${owner.claim.what}: ${owner.resource} manages them all (its ${owner.claim.field}) and removes or resets what it does not declare, ` +
          `while ${item.resource} manages ${item.claim.what}; the two would undo each other on every update. Declare it in ${owner.resource} only, or keep only one of them.`;
      const type = (r: string) => r.replace(/^(\w+) (.*)$/, "$1 $2 (bitbucket:$1)");
      failures.push({ property: claim.field, reason: `${type(resource)} and ${type(holder.resource)} ${reason}` });
    }
    if (!table.owners.has(claim.key)) table.owners.set(claim.key, { resource, claim });
    if (claim.within && !table.members.has(claim.within)) table.members.set(claim.within, { resource, claim });
  }
  return failures;
}

/**
 * The conflicts of a resource being constructed, as an Output of check failures (undefined when there
 * are none). Resolves once the claimed arguments are known; it never rejects, since a
 * rejection inside an apply can leave the program hanging.
 */
export function claimConflicts(
  rule: ClaimRule,
  kind: string,
  name: string,
  props: Record<string, unknown>,
): pulumi.Output<pulumi.dynamic.CheckFailure[] | undefined> {
  const table = currentTable();
  const args = Object.fromEntries(rule.fields.map((k) => [k, props[k]]));
  return pulumi.output(args).apply((values) => {
    try {
      const failures = record(table, kind, name, rule.of(values as Record<string, unknown>));
      return failures.length > 0 ? failures : undefined;
    } catch {
      // Arguments of the wrong shape claim nothing: check refuses them anyway.
      return undefined;
    }
  });
}

/** Takes the conflicts out of a check's inputs: the inputs without them, and the failures they carry. */
export function takeConflicts(news: Record<string, unknown>): { news: Record<string, unknown>; failures: pulumi.dynamic.CheckFailure[] } {
  if (!(CLAIM_CONFLICTS in news)) return { news, failures: [] };
  const { [CLAIM_CONFLICTS]: conflicts, ...rest } = news;
  // Anything else (unknown at preview) claims nothing yet.
  const failures = Array.isArray(conflicts)
    ? conflicts.flatMap((c) => (typeof c?.property === "string" && typeof c?.reason === "string" ? [{ property: c.property, reason: c.reason }] : []))
    : [];
  return { news: rest, failures };
}
