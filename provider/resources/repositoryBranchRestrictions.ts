// RepositoryBranchRestrictions: every branch restriction of one repository, authoritatively. A rule is
// keyed by its kind and match ("push on main"), which Bitbucket allows once per repository, so the
// program's order changes nothing. A rule removed, loosened or added by hand is drift that `up`
// reverts. Each entry takes what a BranchRestriction takes, checked by the same rules. Exempted users
// read back as the program spells them. ID: `workspace/{repository uuid}`, so a rename changes nothing.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ifFound } from "../client";
import type { BranchRestrictionObject } from "../client/api";
import type { Context } from "../context";
import {
  BitbucketResource,
  compact,
  diffResult,
  ownValue,
  RepositoryRef,
  repositoryUuid,
  reportTakeOver,
  ResourceProvider,
  splitId,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, collectionClaim, repositoryRef } from "./claims";
import { argument, fieldTable, Inputs, output, outputTable, ResourceOutputs } from "./fields";
import { attachedImport, CONTAINER_ID, text, wholeOfRepository, type Discovery, type MapEntry, WORKSPACE } from "./discovery";
import {
  BRANCH_RESTRICTIONS,
  type BranchRestrictionArgs,
  crossFieldFailures,
  describeRestriction,
  EXEMPTION_KINDS,
  FIELDS as RULE_ROWS,
  liveKey,
  restrictionBody,
  restrictionKey,
  type RestrictionRule,
  ruleFailures,
  RULE_FIELDS,
  uniqueSorted,
  usersAsWritten,
  withExemptionLists,
} from "./branchRestriction";
import { REPOSITORIES } from "./repository";

// ---- Fields ------------------------------------------------------------------------------------

/** One rule: BranchRestriction's arguments but where it is, by the same schemas. */
const Rule = z.strictObject(
  Object.fromEntries(RULE_FIELDS.map((k) => [k, RULE_ROWS.rows[k].schema])) as { [K in (typeof RULE_FIELDS)[number]]: (typeof RULE_ROWS.rows)[K]["schema"] },
);

/**
 * The program's list, checked entry by entry (each failure names `restrictions.<index>.<argument>`),
 * then keyed by kind and match: the state and the diff compare rules by key, never by position.
 */
const Restrictions = z
  .array(Rule)
  .superRefine((rules, ctx) => {
    const firstOfKey = new Map<string, number>();
    rules.forEach((rule, i) => {
      for (const failure of crossFieldFailures(rule)) ctx.addIssue({ code: "custom", path: [i, failure.property], message: failure.reason });
      const key = restrictionKey(rule);
      const first = firstOfKey.get(key);
      if (first === undefined) firstOfKey.set(key, i);
      else
        ctx.addIssue({
          code: "custom",
          path: [i],
          message: `is a second "${key}" (restrictions.${first} is the first): Bitbucket has one restriction per kind and match; merge the two entries`,
        });
    });
  })
  .transform((rules) =>
    Object.fromEntries(rules.map((rule) => [restrictionKey(rule), compact(withExemptionLists(rule))] as const).sort(([a], [b]) => a.localeCompare(b))),
  );

export const FIELDS = fieldTable<RepositoryBranchRestrictionsArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  restrictions: { schema: Restrictions, update: true },
});

type Keyed = Inputs<typeof FIELDS.rows>["restrictions"];

const ID_PARTS = ["workspace", "repositoryUuid"] as const;

/** RepositoryBranchRestrictions owns every branch restriction of its repository (a BranchRestriction there is refused). */
export const claims = claimRule(["workspace", "repository"], (args) =>
  collectionClaim(repositoryRef(args.workspace, args.repository), "branch restrictions", "restrictions"),
);

/** The checked inputs are keyed; create and update get them so and parse them back through the list schema. */
const parse = (raw: Record<string, unknown>) =>
  FIELDS.parse({ ...raw, restrictions: Array.isArray(raw.restrictions) ? raw.restrictions : Object.values((raw.restrictions ?? {}) as object) });

/** A live rule as the program would write it; users as `written` spells them. Exemption lists only where the kind has them (or someone set some). */
function ruleOf(live: BranchRestrictionObject, written?: { users?: unknown }): RestrictionRule {
  const users = usersAsWritten(live.users, written?.users);
  const groups = uniqueSorted((live.groups ?? []).map((g) => g.slug));
  const exempting = EXEMPTION_KINDS.includes(live.kind);
  return compact({
    ...(RULE_ROWS.state(live) as RestrictionRule),
    users: exempting || users.length > 0 ? users : undefined,
    groups: exempting || groups.length > 0 ? groups : undefined,
  });
}

const canonical = (rule: object) => JSON.stringify(Object.entries(rule).sort(([a], [b]) => a.localeCompare(b)));

interface Ids {
  workspace: string;
  repository: string;
  repositoryUuid: string;
}

/** The live rules by key (Bitbucket allows one per key; should two answer, the first stands). */
function byKey(live: BranchRestrictionObject[]): Map<string, BranchRestrictionObject> {
  const keyed = new Map<string, BranchRestrictionObject>();
  for (const r of [...live].sort((a, b) => a.id - b.id)) if (!keyed.has(liveKey(r))) keyed.set(liveKey(r), r);
  return keyed;
}

function state(ids: Ids, live: Map<string, BranchRestrictionObject>, written: Keyed) {
  const keys = [...live.keys()].sort((a, b) => a.localeCompare(b));
  return compact({
    ...ids,
    restrictions: Object.fromEntries(keys.map((k) => [k, ruleOf(live.get(k)!, ownValue(written, k))])),
    restrictionIds: Object.fromEntries(keys.map((k) => [k, live.get(k)!.id])),
  });
}

/**
 * Makes the repository's restrictions exactly the declared ones: creates the missing, updates the
 * changed, deletes the undeclared. `onTakeOver` (creation) hears which rules that were there it changes or deletes.
 */
async function apply({ api }: Context, ids: Ids, rules: Keyed, onTakeOver?: (found: string) => void) {
  const { workspace, repositoryUuid: uuid } = ids;
  const live = byKey(await api.listBranchRestrictions(workspace, uuid));
  const result = new Map<string, BranchRestrictionObject>();
  const writes: Promise<unknown>[] = [];
  const changed: string[] = [];
  for (const [key, rule] of Object.entries(rules)) {
    const found = live.get(key);
    if (!found) {
      // The listing above is the first look; a create whose answer is lost lists again before sending it twice.
      let listed = false;
      const created = api.createOnce(
        `the branch restriction "${key}" of ${workspace}/${ids.repository}`,
        async () =>
          listed ? (await api.listBranchRestrictions(workspace, uuid, { kind: rule.kind })).find((r) => liveKey(r) === key) : ((listed = true), undefined),
        () => api.createBranchRestriction(workspace, uuid, restrictionBody(rule)),
      );
      writes.push(created.then(({ value }) => result.set(key, value)));
    } else if (canonical(ruleOf(found, rule)) !== canonical(rule)) {
      changed.push(`"${key}": updated`);
      writes.push(
        api.updateBranchRestriction(workspace, uuid, String(found.id), restrictionBody(rule, ["value", "users", "groups"])).then((r) => result.set(key, r)),
      );
    } else result.set(key, found);
  }
  for (const [key, r] of live)
    if (!Object.hasOwn(rules, key)) {
      changed.push(`"${key}": deleted`);
      writes.push(ifFound(api.deleteBranchRestriction(workspace, uuid, String(r.id))));
    }
  if (changed.length > 0) onTakeOver?.(`${workspace}/${ids.repository} already had branch restrictions this resource changes (${changed.join(", ")})`);
  await Promise.all(writes);
  return state(ids, result, rules);
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  async check(_olds, news, known) {
    const result = FIELDS.check(news);
    if (result.failures) return result;
    const rules = (result.inputs?.restrictions ?? {}) as Record<string, unknown>;
    if (typeof rules !== "object" || Array.isArray(rules)) return result;
    const failures = (
      await Promise.all(
        Object.entries(rules).map(async ([key, rule]) =>
          (await ruleFailures(rule as Record<string, unknown>, result.inputs?.workspace, known)).map((f) => ({
            property: "restrictions",
            reason: `"${key}": ${f.reason}`,
          })),
        ),
      )
    ).flat();
    return failures.length > 0 ? { inputs: news, failures } : result;
  },

  // Old and new may be the same repository (slug vs {uuid}): the old rules go before the new are made.
  async diff(_id, olds, news) {
    return diffResult(FIELDS.diff(olds, news), true);
  },

  async create(ctx, raw) {
    const inputs = parse(raw);
    const uuid = await repositoryUuid(ctx.api, inputs.workspace, inputs.repository);
    const ids = { workspace: inputs.workspace, repository: inputs.repository, repositoryUuid: uuid };
    const outs = await apply(ctx, ids, inputs.restrictions, (found) => reportTakeOver(ctx, `RepositoryBranchRestrictions: ${found}`));
    return { id: `${inputs.workspace}/${uuid}`, outs };
  },

  async read({ api }, id, props) {
    const ids = splitId("repository branch restrictions", id, ID_PARTS, props);
    const live = await ifFound(api.listBranchRestrictions(ids.workspace, ids.repositoryUuid));
    if (!live) return {};
    const written = (props?.restrictions ?? {}) as Keyed;
    const outs = state({ ...ids, repository: text(props?.repository) ?? ids.repositoryUuid }, byKey(live), written);
    return { id, props: outs, inputs: FIELDS.inputsOf(outs) };
  },

  async update(ctx, id, _olds, news) {
    const inputs = parse(news);
    const ids = { ...splitId("repository branch restrictions", id, ID_PARTS), repository: inputs.repository };
    return { outs: await apply(ctx, ids, inputs.restrictions) };
  },

  /** Removes the rules the resource manages (those in its state); the repository keeps none of them. */
  async delete({ api }, id, props) {
    const ids = splitId("repository branch restrictions", id, ID_PARTS, props);
    const restrictionIds = Object.values((props.restrictionIds ?? {}) as Record<string, number>);
    await Promise.all(restrictionIds.map((rid) => ifFound(api.deleteBranchRestriction(ids.workspace, ids.repositoryUuid, String(rid)))));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** A listed rule as the program declares it: match by pattern unless by branch type, exempted users by account id. */
function declaredRule(r: BranchRestrictionObject): { entries: MapEntry[] } {
  const byModel = r.branch_match_kind === "branching_model";
  const exempting = EXEMPTION_KINDS.includes(r.kind);
  const members: [string, MapEntry[1] | undefined][] = [
    ["branchMatchKind", byModel ? "branching_model" : undefined],
    ["pattern", byModel ? undefined : (r.pattern ?? undefined)],
    ["branchType", byModel ? (r.branch_type ?? undefined) : undefined],
    ["value", r.value ?? undefined],
    ["users", exempting ? uniqueSorted((r.users ?? []).flatMap((u) => u.account_id ?? u.uuid ?? [])) : undefined],
    ["groups", exempting ? uniqueSorted((r.groups ?? []).map((g) => g.slug)) : undefined],
  ];
  return {
    entries: [["kind", r.kind, describeRestriction(r)], ...members.flatMap(([k, v]): MapEntry[] => (v === undefined ? [] : [[k, v]]))],
  };
}

/**
 * RepositoryBranchRestrictions holds every rule of its repository: the search leaves them to its diff.
 * Import declares a repository's rules as one RepositoryBranchRestrictions, so a rule added later is drift.
 */
export const discovery: Discovery = {
  ...wholeOfRepository(BRANCH_RESTRICTIONS),
  // `restrictions.<key>[.<argument>]`: the rule of that kind and match (a pattern may hold dots: the longest key the state or program has).
  describeField: (field, outputs) => {
    if (!field.startsWith("restrictions.")) return undefined;
    const rest = field.slice("restrictions.".length);
    const keys = Object.keys({ ...(outputs.restrictions as object | undefined), ...(outputs.restrictionIds as object | undefined) });
    const key = keys.filter((k) => rest === k || rest.startsWith(`${k}.`)).sort((a, b) => b.length - a.length)[0] ?? rest;
    return { label: "branch restriction", id: key };
  },
  import: attachedImport({
    on: REPOSITORIES,
    counted: "branch restrictions",
    order: 4,
    read: async (api, place) => [...byKey(await BRANCH_RESTRICTIONS.list(api, place, [])).entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r),
    declare: (restrictions, container) =>
      restrictions.length === 0
        ? []
        : [
            {
              name: `${container.key}-branch-restrictions`,
              count: restrictions.length,
              args: [
                ["workspace", WORKSPACE],
                ["repository", CONTAINER_ID],
                ["restrictions", { items: restrictions.map(declaredRule) }],
              ],
            },
          ],
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

/** One rule of a RepositoryBranchRestrictions: a BranchRestriction's arguments but where it is, by the same rules. */
export type RepositoryBranchRestriction = Pick<BranchRestrictionArgs, (typeof RULE_FIELDS)[number]>;

export interface RepositoryBranchRestrictionsArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the resource. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id`. Creation resolves it to the UUID, which every later call addresses, so a rename changes nothing. Changing it replaces the resource. */
  repository: pulumi.Input<string>;
  /**
   * Every branch restriction of the repository, each as a BranchRestriction takes it (`kind`,
   * `branchMatchKind`, `pattern` or `branchType`, `value`, `users`, `groups`; the same rules). A rule is
   * known by its kind and match (`push on main`, `require_approvals_to_merge on production branches`):
   * two entries with one kind and match are refused, and order does not matter. A rule Bitbucket has
   * that is not listed is drift and `up` deletes it; one changed by hand is set back; `[]` means no
   * restrictions. Updates in place. Deleting the resource deletes the rules it manages.
   */
  restrictions: pulumi.Input<pulumi.Input<RepositoryBranchRestriction>[]>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The rules by kind and match (`push on main`); exempted users as the program spells them, those added outside Pulumi by account id. */
  restrictions: argument(),
  /** The repository's UUID (part of the ID), whatever `repository` gives. */
  repositoryUuid: output<string>(),
  /** Each rule's numeric id, by kind and match. */
  restrictionIds: output<Record<string, number>>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface RepositoryBranchRestrictions extends ResourceOutputs<typeof OUTPUTS> {}

/** All the branch restrictions of a repository. ID: `workspace/{repository uuid}`. */
export class RepositoryBranchRestrictions extends BitbucketResource {
  constructor(name: string, args: RepositoryBranchRestrictionsArgs, opts?: pulumi.CustomResourceOptions) {
    super("RepositoryBranchRestrictions", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads the branch restrictions of a repository by ID `workspace/{repository uuid}`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): RepositoryBranchRestrictions {
    return RepositoryBranchRestrictions.existing(name, id, undefined, opts);
  }
}
