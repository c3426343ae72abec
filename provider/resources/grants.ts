// Authoritative grants: the complete set of explicit group and user grants on one repository or
// project, held as two maps (group slug -> permission, user -> permission). RepositoryAccess and
// ProjectAccess differ only in where the grants live and which permissions exist; the reading and
// reconciling is here. A collection the program leaves unset is not managed (never read nor changed).
import type * as pulumi from "@pulumi/pulumi";
import { BitbucketApiError, ifFound } from "../client";
import type { CheckContext, Context } from "../context";
import { compact, diffResult, ownValue, reportTakeOver, ResourceProvider, splitId, withFailures } from "./common";

export type GrantMap<P extends string = string> = Record<string, P>;

export interface Grants<P extends string = string> {
  groups?: GrantMap<P>;
  users?: GrantMap<P>;
}

interface LiveUser {
  uuid?: string;
  account_id?: string;
  display_name?: string;
}

/** One collection's calls as the client has them (`api.repositoryGrants.groups`...), for any owner. */
interface Collection<Live, P extends string> {
  list(workspace: string, owner: string): Promise<Live[]>;
  put(workspace: string, owner: string, target: string, permission: P): Promise<unknown>;
  delete(workspace: string, owner: string, target: string): Promise<void>;
}

/**
 * The repository or project whose grants are read and written: the client's two collections for its
 * kind (`api.repositoryGrants` or `api.projectGrants`, whose permissions `P` are) and its address.
 */
export interface GrantOwner<P extends string> {
  collections: { groups: Collection<{ group: { slug: string }; permission: string }, P>; users: Collection<{ user: LiveUser; permission: string }, P> };
  workspace: string;
  /** The repository's slug or {uuid}, or the project's key. */
  id: string;
  /** "repository acme/{uuid}" or "project acme/PLAT": for messages. */
  target: string;
}

const lower = (s: string | undefined) => s?.toLowerCase();

/** The key a live user grant goes by: the one the program uses for that user (account id or {uuid}), else the account id. */
function userKey(user: LiveUser, knownKeys: readonly string[]): string {
  const ids = [user.account_id, user.uuid].map(lower);
  return knownKeys.find((k) => ids.includes(k.toLowerCase())) ?? user.account_id ?? user.uuid ?? "?";
}

/** The collections a state manages; a `get` (a state with neither) reads both. */
export function managedCollections(props: Record<string, unknown> | undefined): { groups: boolean; users: boolean } {
  const groups = props?.groups !== undefined;
  const users = props?.users !== undefined;
  return groups || users ? { groups, users } : { groups: true, users: true };
}

/**
 * The live grants of the collections asked for: one list call per collection page. User keys follow
 * `knownUsers` (the program's spelling) so that declared and live maps compare key by key.
 */
export async function readGrants<P extends string>(
  owner: GrantOwner<P>,
  collections: { groups: boolean; users: boolean },
  knownUsers: readonly string[] = [],
): Promise<Grants> {
  const { groups: groupGrants, users: userGrants } = owner.collections;
  const [groups, users] = await Promise.all([
    collections.groups ? groupGrants.list(owner.workspace, owner.id) : undefined,
    collections.users ? userGrants.list(owner.workspace, owner.id) : undefined,
  ]);
  return {
    groups: groups && Object.fromEntries(groups.map((g) => [g.group.slug, g.permission])),
    users: users && Object.fromEntries(users.map((u) => [userKey(u.user, knownUsers), u.permission])),
  };
}

/** The outputs of one user's grant besides its arguments: the user's ids and name as Bitbucket reports them. */
export const userOutputs = (live: { user: LiveUser }) => ({ userUuid: live.user.uuid, accountId: live.user.account_id, displayName: live.user.display_name });

/** The message for a refused user grant, as Bitbucket's rules explain it. */
export function userGrantError(err: unknown, user: string, permission: string, target: string, workspace: string): unknown {
  if (err instanceof BitbucketApiError && err.status === 400)
    return new Error(
      `Cannot give ${user} ${permission} access to ${target}: ${err.apiMessage ?? "not a valid user"}. ` +
        `An explicit user permission needs a member of workspace ${workspace} (invite them first) who is not its owner (the owner always has admin).`,
      { cause: err },
    );
  return err;
}

function groupGrantError(err: unknown, group: string, target: string, workspace: string): unknown {
  if (err instanceof BitbucketApiError && err.status === 404)
    return new Error(`Cannot grant group ${group} access to ${target}: ${err.apiMessage ?? "not found"}. Is ${group} a group of workspace ${workspace}?`, {
      cause: err,
    });
  return err;
}

/**
 * Makes the live grants of each declared collection exactly the declared ones: puts what is missing or
 * different, deletes what is not declared. Returns the grants now in place (the declared ones).
 * `onTakeOver` (creation) hears which grants that were there it changes or removes.
 */
export async function applyGrants<P extends string>(owner: GrantOwner<P>, declared: Grants<P>, onTakeOver?: (found: string) => void): Promise<Grants<P>> {
  const { collections, workspace, id, target } = owner;
  const live = await readGrants(owner, { groups: declared.groups !== undefined, users: declared.users !== undefined }, Object.keys(declared.users ?? {}));
  const changed = (["groups", "users"] as const).flatMap((kind) =>
    Object.entries(live[kind] ?? {})
      .filter(([who, permission]) => ownValue(declared[kind] ?? {}, who) !== permission)
      .map(
        ([who, permission]) =>
          `${kind === "groups" ? "group" : "user"} ${who}: ${permission}, ${ownValue(declared[kind] ?? {}, who) ? `set to ${ownValue(declared[kind] ?? {}, who)}` : "removed"}`,
      ),
  );
  if (changed.length > 0) onTakeOver?.(`${target} already had grants this resource changes (${changed.join("; ")})`);
  const writes: Promise<unknown>[] = [];
  for (const [group, permission] of Object.entries(declared.groups ?? {}))
    if (ownValue(live.groups ?? {}, group) !== permission)
      writes.push(collections.groups.put(workspace, id, group, permission).catch((err) => Promise.reject(groupGrantError(err, group, target, workspace))));
  for (const [user, permission] of Object.entries(declared.users ?? {}))
    if (ownValue(live.users ?? {}, user) !== permission)
      writes.push(
        collections.users.put(workspace, id, user, permission).catch((err) => Promise.reject(userGrantError(err, user, permission, target, workspace))),
      );
  for (const group of Object.keys(live.groups ?? {}))
    if (!Object.hasOwn(declared.groups ?? {}, group)) writes.push(ifFound(collections.groups.delete(workspace, id, group)));
  for (const user of Object.keys(live.users ?? {}))
    if (!Object.hasOwn(declared.users ?? {}, user)) writes.push(ifFound(collections.users.delete(workspace, id, user)));
  await Promise.all(writes);
  return { groups: declared.groups, users: declared.users };
}

/** Removes the grants listed (what the resource holds in its state); one already gone is fine. */
export async function removeGrants<P extends string>({ collections, workspace, id }: GrantOwner<P>, grants: Grants): Promise<void> {
  await Promise.all([
    ...Object.keys(grants.groups ?? {}).map((group) => ifFound(collections.groups.delete(workspace, id, group))),
    ...Object.keys(grants.users ?? {}).map((user) => ifFound(collections.users.delete(workspace, id, user))),
  ]);
}

/** The check of a grant collection's inputs after their schema: no user named twice in `users`. */
export async function checkGrants(
  checked: pulumi.dynamic.CheckResult,
  news: Record<string, unknown>,
  known?: CheckContext,
): Promise<pulumi.dynamic.CheckResult> {
  return withFailures(checked, news, await sameUserTwice(checked.inputs ?? {}, known));
}

const USER_UUID = /^\{[0-9a-f-]{36}\}$/i;

/**
 * Two keys of `users` naming one user would fight (each update writes both, the last write wins, and
 * every refresh shows a diff). The same spelling in another case is seen at once; an account id and a `{uuid}` only
 * through the workspace's members: when the map mixes both, each key of the rarer spelling is looked
 * up (one GET per key; without mixed spellings, no request). A lookup that fails fails the check.
 */
async function sameUserTwice(inputs: Record<string, unknown>, known?: CheckContext): Promise<pulumi.dynamic.CheckFailure[]> {
  const users = inputs.users;
  if (typeof users !== "object" || users === null || Array.isArray(users)) return [];
  const keys = Object.keys(users);
  const byCase = new Map<string, string[]>();
  for (const key of keys) byCase.set(key.toLowerCase(), [...(byCase.get(key.toLowerCase()) ?? []), key]);
  const sameCase = [...byCase.values()].filter((spellings) => spellings.length > 1);
  if (sameCase.length > 0)
    return sameCase.map((spellings) => ({
      property: "users",
      reason: `users names one user twice: ${spellings.map((k) => JSON.stringify(k)).join(" and ")} differ only in case, so they name one user and would fight. Keep one of them.`,
    }));

  const uuids = keys.filter((k) => USER_UUID.test(k));
  const accountIds = keys.filter((k) => !USER_UUID.test(k));
  const workspace = inputs.workspace;
  if (uuids.length === 0 || accountIds.length === 0 || typeof workspace !== "string" || !known?.member) return [];
  const [lookedUp, others] = uuids.length <= accountIds.length ? [uuids, accountIds] : [accountIds, uuids];
  const other = new Map(others.map((k) => [k.toLowerCase(), k]));
  const member = known.member;
  const found = await Promise.all(
    lookedUp.map(async (key): Promise<pulumi.dynamic.CheckFailure[]> => {
      try {
        const user = await member(workspace, key);
        const twin = [user?.account_id, user?.uuid].map((id) => id && other.get(id.toLowerCase())).find((k) => k !== undefined);
        if (!user || !twin) return [];
        const who = user.display_name ? `${user.display_name}, ` : "";
        return [
          {
            property: "users",
            reason:
              `users names one user twice: ${JSON.stringify(key)} and ${JSON.stringify(twin)} are the same member of workspace ${workspace} (${who}account id ${user.account_id}, ${user.uuid}); ` +
              "the two entries would fight (each update writes both, the last write wins, and every refresh shows a diff). Keep one of them.",
          },
        ];
      } catch (err) {
        return [
          {
            property: "users",
            reason:
              `Cannot tell whether users ${JSON.stringify(key)} is also in users under another spelling (the map mixes account ids and {uuid}s): ` +
              `looking it up among the members of workspace ${workspace} failed: ${(err as Error).message} Name every user one way (all account ids, or all {uuid}s).`,
          },
        ];
      }
    }),
  );
  return found.flat();
}

// ---- One grant ------------------------------------------------------------------------------------

/** The client's calls on one grant of a collection (`api.repositoryGrants.groups`...), for any owner. */
interface OneGrantCalls<Live extends { permission: string }> {
  get(workspace: string, owner: string, target: string): Promise<Live>;
  put(workspace: string, owner: string, target: string, permission: Live["permission"]): Promise<Live>;
  delete(workspace: string, owner: string, target: string): Promise<void>;
}

/** What a kind holding one grant declares: GroupPermission, UserPermission and their project twins. */
export interface OneGrant<Live extends { permission: string }> {
  /** The kind's name, for take-over messages. */
  kind: string;
  /** "group permission": for a malformed ID. */
  what: string;
  /** The ID's parts: the workspace, the repository or project argument, the group or user argument. */
  idParts: readonly [workspace: string, owner: string, target: string];
  fields: {
    check(news: Record<string, unknown>): pulumi.dynamic.CheckResult;
    diff(olds: Record<string, unknown>, news: Record<string, unknown>): { replaces: string[]; changes: string[] };
    parse(raw: Record<string, unknown>): Record<string, unknown>;
    state(live: object): Record<string, unknown>;
    inputsOf(state: Record<string, unknown>): Record<string, unknown>;
  };
  calls(api: Context["api"]): OneGrantCalls<Live>;
  /** "group developers": the grantee in messages. */
  who(target: string): string;
  /** "acme/platform-api", "project acme/PLAT": the owner in messages. */
  where(workspace: string, owner: string): string;
  /** The outputs besides the arguments, from the live grant (and the state before an update). */
  outputs(live: Live, olds?: Record<string, unknown>): Record<string, unknown>;
  /** The message for a refused put (e.g. `userGrantError`). */
  putError?(err: unknown, target: string, permission: string, where: string, workspace: string): unknown;
  /** Whether the owner is one this run created, so that no grant can be there to take over (resources/fresh.ts). Default: never. */
  fresh?(ctx: Context, workspace: string, owner: string): boolean;
}

/**
 * The provider of a kind holding one grant: PUT creates and updates it (creation over an identical
 * grant writes nothing), read is one GET, DELETE removes it.
 */
export function oneGrantProvider<Live extends { permission: string }>(g: OneGrant<Live>): ResourceProvider {
  const [W, O, T] = g.idParts;
  const address = (ids: Record<string, unknown>) => [String(ids[W]), String(ids[O]), String(ids[T])] as const;
  const state = (ids: Record<string, unknown>, live: Live, olds?: Record<string, unknown>) =>
    compact({ ...ids, ...g.fields.state(live), ...g.outputs(live, olds) });
  async function put(api: Context["api"], inputs: Record<string, unknown>): Promise<Live> {
    const [workspace, owner, target] = address(inputs);
    const permission = inputs.permission as Live["permission"];
    try {
      return await g.calls(api).put(workspace, owner, target, permission);
    } catch (err) {
      throw g.putError ? g.putError(err, target, permission, g.where(workspace, owner), workspace) : err;
    }
  }
  return {
    // Bitbucket refuses repository/project/workspace access tokens on permissions-config.
    credentials: { accepted: ["basic", "oauth"] },

    async check(_olds, news) {
      return g.fields.check(news);
    },

    async diff(_id, olds, news) {
      // Old and new may address the same grant (slug vs {uuid}, account id vs {uuid}): delete first so
      // that the deletion cannot undo the new grant.
      return diffResult(g.fields.diff(olds, news), true);
    },

    async create(ctx, raw) {
      const inputs = g.fields.parse(raw);
      const [workspace, owner, target] = address(inputs);
      // Taking over an identical grant writes nothing; on an owner this run created there is nothing to take over.
      const current = g.fresh?.(ctx, workspace, owner) ? undefined : await ifFound(g.calls(ctx.api).get(workspace, owner, target));
      if (current && current.permission !== inputs.permission)
        reportTakeOver(
          ctx,
          `${g.kind}: ${g.who(target)} already had ${current.permission} access to ${g.where(workspace, owner)}, now ${String(inputs.permission)}`,
        );
      const live = current && current.permission === inputs.permission ? current : await put(ctx.api, inputs);
      return { id: address(inputs).join("/"), outs: state(inputs, live) };
    },

    async read({ api }, id, props) {
      const ids = splitId(g.what, id, g.idParts, props);
      const live = await ifFound(g.calls(api).get(...address(ids)));
      if (!live) return {};
      const outs = state(ids, live);
      return { id, props: outs, inputs: g.fields.inputsOf(outs) };
    },

    async update({ api }, _id, olds, news) {
      const inputs = g.fields.parse(news);
      return { outs: state(inputs, await put(api, inputs), olds) };
    },

    async delete({ api }, id, props) {
      const ids = splitId(g.what, id, g.idParts, props);
      await ifFound(g.calls(api).delete(...address(ids)));
    },
  };
}
