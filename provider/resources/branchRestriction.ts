// BranchRestriction: one branch restriction rule of a repository. The Pulumi ID is the rule's numeric
// id; the state keeps the workspace and the repository's UUID, by which every call addresses it, so a
// rename of the repository changes nothing. Exempted users are written and read back as the program
// spells them (account id or `{uuid}`), though the API answers them as account objects.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ifFound } from "../client";
import type { BranchRestrictionBody, BranchRestrictionObject } from "../client/api";
import { UUID } from "../identifiers";
import {
  BitbucketResource,
  InRepository,
  compact,
  diffResult,
  GroupSlug,
  isUnknown,
  RepositoryRef,
  repositoryUuid,
  reportTakeOver,
  ResourceProvider,
  splitId,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, itemClaim, lowerCase, repositoryRef } from "./claims";
import { checkGrants } from "./grants";
import { argument, fieldTable, Inputs, output, outputTable, ResourceOutputs } from "./fields";
import { terraformImport, text, claimsOne, type Collection, type Declaration, type Discovery, type ImportValue } from "./discovery";
import { REPOSITORIES, terraformRepository } from "./repository";
import { isFreshRepository } from "./fresh";
import type { CheckContext } from "../context";

// ---- Fields ------------------------------------------------------------------------------------

/** Every `kind` of the spec's `branchrestriction`. */
export const RESTRICTION_KINDS = [
  "push",
  "delete",
  "force",
  "restrict_merges",
  "require_tasks_to_be_completed",
  "require_approvals_to_merge",
  "require_review_group_approvals_to_merge",
  "require_default_reviewer_approvals_to_merge",
  "require_no_changes_requested",
  "require_passing_builds_to_merge",
  "require_commits_behind",
  "reset_pullrequest_approvals_on_change",
  "smart_reset_pullrequest_approvals",
  "reset_pullrequest_changes_requested_on_change",
  "require_all_dependencies_merged",
  "enforce_merge_checks",
  "allow_auto_merge_when_builds_pass",
  "require_all_comments_resolved",
] as const;
export type BranchRestrictionKind = (typeof RESTRICTION_KINDS)[number];

/** The kinds whose `value` the spec describes: a number of approvals, of passing builds, of commits behind. */
export const VALUE_KINDS: readonly string[] = [
  "require_approvals_to_merge",
  "require_default_reviewer_approvals_to_merge",
  "require_passing_builds_to_merge",
  "require_commits_behind",
];
/** The kinds users and groups can be exempted from (the spec: "only ... in push and restrict_merges restrictions"). */
export const EXEMPTION_KINDS: readonly string[] = ["push", "restrict_merges"];
const BRANCH_TYPES = ["feature", "bugfix", "release", "hotfix", "development", "production"] as const;

export const uniqueSorted = (values: string[]) => [...new Set(values)].sort();

/** An account id has the shape Atlassian gives it (`557058:…` or 24 hex digits), so a username is refused rather than sent. */
export const ExemptUser = z
  .string()
  .refine(
    (user) => UUID.test(user) || /^\d+:[0-9A-Fa-f-]+$/.test(user) || /^[0-9a-f]{24}$/.test(user),
    "must be an Atlassian account id (557058:ba8948b2-…, or 24 hex digits) or a user {uuid}, never a username (Bitbucket no longer resolves usernames)",
  );

export const FIELDS = fieldTable<BranchRestrictionArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  kind: { schema: z.enum(RESTRICTION_KINDS, { error: `must be one of ${RESTRICTION_KINDS.join(", ")}` }), api: "kind", replace: true },
  branchMatchKind: {
    schema: z.enum(["glob", "branching_model"], { error: "must be glob (match by pattern) or branching_model (match by branchType)" }).default("glob"),
    api: "branch_match_kind",
    absent: "glob",
    replace: true,
  },
  // The API answers "" for a restriction matched by branch type.
  pattern: {
    schema: z.string().min(1, "must not be empty").optional(),
    api: "pattern",
    fromApi: (pattern: string) => (pattern === "" ? undefined : pattern),
    replace: true,
  },
  branchType: { schema: z.enum(BRANCH_TYPES, { error: `must be one of ${BRANCH_TYPES.join(", ")}` }).optional(), api: "branch_type", replace: true },
  value: { schema: z.number().refine(Number.isSafeInteger, "must be a whole number").min(0, "must be 0 or more").optional(), api: "value", update: true },
  // Users and groups are objects in the API; restrictionBody and restrictionState write and read them.
  users: { schema: z.array(ExemptUser).transform(uniqueSorted).optional(), update: true },
  groups: { schema: z.array(GroupSlug).transform(uniqueSorted).optional(), update: true },
});

type RestrictionInputs = Inputs<typeof FIELDS.rows>;

/** The arguments that make one rule (all but where it is): RepositoryBranchRestrictions' entries take the same. */
export const RULE_FIELDS = ["kind", "branchMatchKind", "pattern", "branchType", "value", "users", "groups"] as const;
export type RestrictionRule = Pick<RestrictionInputs, (typeof RULE_FIELDS)[number]>;

/** What the match of a restriction is: the unique key of a repository's restrictions with its kind. */
const matchOf = (args: Record<string, unknown>) =>
  (args.branchMatchKind ?? "glob") === "glob" ? `pattern ${String(args.pattern)}` : `branch type ${String(args.branchType)}`;

/** A rule's kind and match, which Bitbucket allows once per repository: "push on main", "require_approvals_to_merge on production branches". */
export const restrictionKey = (rule: { kind: string; branchMatchKind?: string | null; pattern?: string | null; branchType?: string | null }) =>
  `${rule.kind} on ${(rule.branchMatchKind ?? "glob") === "glob" ? (rule.pattern ?? "") : `${rule.branchType ?? "?"} branches`}`;

/** A listed restriction's key (see restrictionKey). */
export const liveKey = (r: BranchRestrictionObject) =>
  restrictionKey({ kind: r.kind, branchMatchKind: r.branch_match_kind, pattern: r.pattern, branchType: r.branch_type });

/**
 * A BranchRestriction owns the repository's restriction of its kind and match (Bitbucket allows one),
 * which creation takes over when it exists.
 */
export const claims = claimRule(["workspace", "repository", "kind", "branchMatchKind", "pattern", "branchType"], (args) => {
  const kind = lowerCase(args.kind);
  const item = kind && (typeof args.pattern === "string" || typeof args.branchType === "string") ? `${kind} on ${matchOf(args)}` : undefined;
  return itemClaim(repositoryRef(args.workspace, args.repository), "branch restrictions", item, "one branch restriction (its kind and match)", "kind");
});

/** The rules between arguments, checked at preview: each failure names its argument and what is allowed. */
export function crossFieldFailures(inputs: Record<string, unknown>): pulumi.dynamic.CheckFailure[] {
  const known = (...keys: string[]) => keys.every((k) => !isUnknown(inputs[k]));
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  if (known("branchMatchKind", "pattern", "branchType")) {
    if (inputs.branchMatchKind === "glob") {
      if (inputs.pattern === undefined)
        fail("pattern", 'is required when branchMatchKind is "glob" (the default): the branches to match, e.g. "main" or "release/*"');
      if (inputs.branchType !== undefined)
        fail("branchType", 'is only allowed with branchMatchKind: "branching_model" (a glob restriction matches by pattern)');
    } else {
      if (inputs.branchType === undefined) fail("branchType", `is required when branchMatchKind is "branching_model": one of ${BRANCH_TYPES.join(", ")}`);
      if (inputs.pattern !== undefined) fail("pattern", 'is only allowed with branchMatchKind: "glob" (a branching_model restriction matches by branchType)');
    }
  }
  if (known("kind", "value") && typeof inputs.kind === "string") {
    if (VALUE_KINDS.includes(inputs.kind) && inputs.value === undefined)
      fail("value", `is required for kind ${inputs.kind} (a number: ${valueMeaning(inputs.kind)})`);
    if (!VALUE_KINDS.includes(inputs.kind) && inputs.value !== undefined)
      fail("value", `kind ${inputs.kind} takes no value (only ${VALUE_KINDS.join(", ")} do)`);
  }
  for (const field of ["users", "groups"])
    if (known("kind", field) && typeof inputs.kind === "string" && !EXEMPTION_KINDS.includes(inputs.kind) && inputs[field] !== undefined)
      fail(field, `kind ${inputs.kind} has no exemptions (only ${EXEMPTION_KINDS.join(" and ")} do)`);
  return failures;
}

/** Every rule of one restriction beyond its fields' schemas, each failure naming its argument. */
export async function ruleFailures(rule: Record<string, unknown>, workspace: unknown, known?: CheckContext): Promise<pulumi.dynamic.CheckFailure[]> {
  const failures = crossFieldFailures(rule);
  if (failures.length > 0) return failures;
  // One user by account id and by {uuid} would read back once: a perpetual diff. Checked as the grants' users are.
  const users = Array.isArray(rule.users) ? Object.fromEntries(rule.users.map((user) => [String(user), ""])) : undefined;
  return (await checkGrants({ inputs: { workspace, users } }, {}, known)).failures ?? [];
}

/** push and restrict_merges always have both lists: unset is "nobody exempt", so an exemption added by hand is drift. */
export function withExemptionLists<R extends Record<string, unknown>>(rule: R): R {
  if (typeof rule.kind !== "string" || !EXEMPTION_KINDS.includes(rule.kind)) return rule;
  return { ...rule, users: rule.users ?? [], groups: rule.groups ?? [] };
}

function valueMeaning(kind: string): string {
  if (kind === "require_passing_builds_to_merge") return "the minimum number of passing builds";
  if (kind === "require_commits_behind") return "the most commits the branch may be behind its destination";
  return "the minimum number of approvals";
}

/** The request body: everything the restriction is; push and restrict_merges always carry both lists (empty: nobody is exempt). */
export function restrictionBody(inputs: RestrictionRule, keys: readonly string[] = Object.keys(FIELDS.rows)): BranchRestrictionBody {
  const body = FIELDS.body<BranchRestrictionBody>(inputs, keys);
  if (!EXEMPTION_KINDS.includes(inputs.kind)) return body;
  if (keys.includes("users")) body.users = (inputs.users ?? []).map((user) => (user.startsWith("{") ? { uuid: user } : { account_id: user }));
  if (keys.includes("groups")) body.groups = (inputs.groups ?? []).map((slug) => ({ slug }));
  return body;
}

/** A user as the program wrote it (`{uuid}` or account id) when it did; else by account id. */
export function usersAsWritten(live: BranchRestrictionObject["users"], written: unknown): string[] {
  const spelled = Array.isArray(written) ? written.filter((w): w is string => typeof w === "string") : [];
  const asWritten = (uuid?: string | null, accountId?: string | null) =>
    spelled.find((w) => (typeof uuid === "string" && w.toLowerCase() === uuid.toLowerCase()) || (typeof accountId === "string" && w === accountId)) ??
    accountId ??
    uuid;
  return uniqueSorted((live ?? []).flatMap((u) => asWritten(u.uuid, u.account_id) ?? []));
}

interface Place {
  workspace: string;
  repository: string;
  repositoryUuid?: string;
}

function restrictionState(live: BranchRestrictionObject, place: Place, writtenUsers: unknown) {
  return compact({
    ...place,
    ...FIELDS.state(live),
    users: usersAsWritten(live.users, writtenUsers),
    groups: uniqueSorted((live.groups ?? []).map((g) => g.slug)),
    restrictionId: live.id,
  });
}

/** The restriction a lost create of `body` would have made: the same kind and match. */
const sameMatch = (live: BranchRestrictionObject, body: BranchRestrictionBody) =>
  live.kind === body.kind &&
  (live.branch_match_kind ?? "glob") === body.branch_match_kind &&
  (body.branch_match_kind === "glob" ? live.pattern === body.pattern : live.branch_type === body.branch_type);

/** Where the rule is: the repository's UUID when the state knows it, so renames change nothing. */
function restrictionId(id: string, props?: Record<string, unknown>) {
  const place = props ? { ...props, repository: text(props.repositoryUuid) ?? props.repository } : undefined;
  return splitId("branch restriction", id, ["workspace", "repository", "rid"], place);
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  async check(_olds, news, known) {
    const result = FIELDS.check(news);
    if (result.failures) return result;
    const inputs = { ...result.inputs } as Record<string, unknown>;
    const failures = await ruleFailures(inputs, inputs.workspace, known);
    return failures.length > 0 ? { inputs: news, failures } : { inputs: withExemptionLists(inputs) };
  },

  // Kind and match replace (deleted first: a new rule with the same kind and match would be refused as
  // a duplicate, and one repository written as slug and as `{uuid}` is the same rule); value and
  // exemptions update in place.
  async diff(_id, olds, news) {
    return diffResult(FIELDS.diff(olds, news), true);
  },

  async create(ctx, raw) {
    const { api } = ctx;
    const inputs = FIELDS.parse(raw);
    const { workspace, repository } = inputs;
    const uuid = await repositoryUuid(api, workspace, repository);
    const body = restrictionBody(inputs);
    const what = `the ${inputs.kind} branch restriction on ${matchOf(inputs)} of ${workspace}/${repository}`;
    // Bitbucket allows one restriction per kind and match: one already there (made by hand, or by a
    // request whose answer was lost) is taken over rather than refused or made twice.
    const { value, found } = await api.createOnce(
      what,
      async () => (await api.listBranchRestrictions(workspace, uuid, { kind: inputs.kind })).find((r) => sameMatch(r, body)),
      () => api.createBranchRestriction(workspace, uuid, body),
      // On a repository this run created, only a lost answer can have left one.
      { lookFirst: !isFreshRepository(ctx, workspace, repository) },
    );
    const place = { workspace, repository, repositoryUuid: uuid };
    const existing = restrictionState(value, place, inputs.users);
    const changes = found ? FIELDS.diff(existing, inputs).changes : [];
    if (changes.length > 0) reportTakeOver(ctx, `BranchRestriction: ${what} already existed (id ${value.id}), now set to the program's ${changes.join(", ")}`);
    const live = changes.length > 0 ? await api.updateBranchRestriction(workspace, uuid, String(value.id), restrictionBody(inputs, changes)) : value;
    return { id: String(live.id), outs: restrictionState(live, place, inputs.users) };
  },

  async read({ api }, id, props) {
    const { workspace, repository, rid } = restrictionId(id, props);
    const live = await ifFound(api.getBranchRestriction(workspace, repository, rid));
    if (!live) return {};
    const place = {
      workspace: text(props?.workspace) ?? workspace,
      repository: text(props?.repository) ?? repository,
      repositoryUuid: text(props?.repositoryUuid) ?? (repository.startsWith("{") ? repository : undefined),
    };
    const state = restrictionState(live, place, props?.users);
    return { id: String(live.id), props: state, inputs: FIELDS.inputsOf(state) };
  },

  async update({ api }, id, olds, news) {
    const inputs = FIELDS.parse(news);
    const { workspace, repository, rid } = restrictionId(id, olds);
    const changes = FIELDS.diff(olds, inputs).changes;
    const live = await api.updateBranchRestriction(workspace, repository, rid, restrictionBody(inputs, changes));
    return {
      outs: restrictionState(live, { workspace: inputs.workspace, repository: inputs.repository, repositoryUuid: text(olds.repositoryUuid) }, inputs.users),
    };
  },

  async delete({ api }, id, props) {
    const { workspace, repository, rid } = restrictionId(id, props);
    await ifFound(api.deleteBranchRestriction(workspace, repository, rid));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** "push on main: 2 users, 1 group exempt", "require_approvals_to_merge on production branches: 2". */
export function describeRestriction(r: BranchRestrictionObject): string {
  const users = r.users?.length ?? 0;
  const groups = r.groups?.length ?? 0;
  const exempt =
    users + groups === 0 ? "nobody exempt" : `${[users ? plural(users, "user") : "", groups ? plural(groups, "group") : ""].filter(Boolean).join(", ")} exempt`;
  const detail = EXEMPTION_KINDS.includes(r.kind) ? `: ${exempt}` : typeof r.value === "number" ? `: ${r.value}` : "";
  return `${liveKey(r)}${detail}`;
}

/** A repository's branch restrictions. */
export const BRANCH_RESTRICTIONS: Collection<BranchRestrictionObject> = {
  label: "branch restriction",
  plural: "branch restrictions",
  on: REPOSITORIES.label,
  list: (api, { workspace, container }) => api.listBranchRestrictions(workspace, container!.uuid),
  listed: (r) => ({ keys: [String(r.id)], id: String(r.id), detail: describeRestriction(r) }),
};

/** A BranchRestriction holds one rule by id (import declares rules through RepositoryBranchRestrictions). */
export const discovery: Discovery = {
  claims: claimsOne(BRANCH_RESTRICTIONS, "restrictionId"),
  search: BRANCH_RESTRICTIONS,
  /**
   * The state names exempted users by username, which Bitbucket no longer accepts (GDPR): each
   * restriction is read from Bitbucket by its id (one GET), which gives their account ids.
   */
  terraform: terraformImport({
    type: "bitbucket_branch_restriction",
    order: 3,
    read: (api, a) => ifFound(api.getBranchRestriction(String(a.owner), String(a.repository), String(a.id))),
    declare: ({ attributes: a, name }, { workspaceOf }, live) =>
      live ? [restrictionDeclaration(live, name, workspaceOf(String(a.owner)), terraformRepository(a.owner, a.repository))] : [],
  }),
};

/** A restriction as Bitbucket answers it, declared in the repository `repository` of `workspace`. */
function restrictionDeclaration(r: BranchRestrictionObject, name: string, workspace: ImportValue, repository: ImportValue): Declaration {
  const byModel = r.branch_match_kind === "branching_model";
  const exempting = EXEMPTION_KINDS.includes(r.kind);
  return {
    name,
    comments: [describeRestriction(r)],
    args: [
      ["workspace", workspace],
      ["repository", repository],
      ["kind", r.kind],
      ["branchMatchKind", byModel ? "branching_model" : undefined],
      ["pattern", byModel ? undefined : (r.pattern ?? undefined)],
      ["branchType", byModel ? (r.branch_type ?? undefined) : undefined],
      ["value", r.value ?? undefined],
      ["users", exempting ? uniqueSorted((r.users ?? []).flatMap((u) => u.account_id ?? u.uuid ?? [])) : undefined],
      ["groups", exempting ? uniqueSorted((r.groups ?? []).map((g) => g.slug)) : undefined],
    ],
  };
}

// ---- Resource class ----------------------------------------------------------------------------

export interface BranchRestrictionArgs {
  /** Workspace slug (or `{uuid}`) of the repository. Changing it replaces the restriction. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id` (the UUID). Creation resolves it to the UUID, which every later call addresses, so a rename changes nothing. Changing it replaces the restriction. */
  repository: pulumi.Input<string>;
  /** What is restricted: one of the spec's kinds (`push`, `delete`, `force`, `restrict_merges`, `require_approvals_to_merge`, `require_passing_builds_to_merge`, ...). A repository has at most one restriction per kind and match. Changing it replaces the restriction, deleted first (the spec's PUT does not say it may change a rule's kind or match, and a new rule beside the old one could be refused as a duplicate). */
  kind: pulumi.Input<BranchRestrictionKind>;
  /** How branches are matched: `glob` (default) by `pattern`, or `branching_model` by `branchType`. Changing it replaces the restriction (deleted first). */
  branchMatchKind?: pulumi.Input<"glob" | "branching_model">;
  /** The branches a `glob` restriction applies to: `*` matches any characters (`main`, `release/*`, `*`). Required with `glob`, refused with `branching_model`. Changing it replaces the restriction (deleted first). */
  pattern?: pulumi.Input<string>;
  /** The branch type a `branching_model` restriction applies to, from the repository's branching model: `feature`, `bugfix`, `release`, `hotfix`, `development` or `production`. Required with `branching_model`, refused with `glob`. Changing it replaces the restriction (deleted first). */
  branchType?: pulumi.Input<"feature" | "bugfix" | "release" | "hotfix" | "development" | "production">;
  /** A whole number ≥ 0, required by the kinds that take one and refused by the others: `require_approvals_to_merge` and `require_default_reviewer_approvals_to_merge` (minimum approvals), `require_passing_builds_to_merge` (minimum passing builds), `require_commits_behind` (most commits behind). Updates in place. */
  value?: pulumi.Input<number>;
  /** Users exempted, by Atlassian account id or `{uuid}` (never a username); workspace members. Only for `push` and `restrict_merges` (refused on the other kinds); unset there means nobody. Order does not matter. Updates in place. */
  users?: pulumi.Input<pulumi.Input<string>[]>;
  /** Groups exempted, by slug. Only for `push` and `restrict_merges` (refused on the other kinds); unset there means none. Order does not matter. Updates in place. */
  groups?: pulumi.Input<pulumi.Input<string>[]>;
}

const OUTPUTS = outputTable(FIELDS, {
  branchMatchKind: argument("always set"),
  /** Sorted, as the program spells them (account id or `{uuid}`); users added outside Pulumi by account id. */
  users: argument("always set"),
  /** Sorted group slugs. */
  groups: argument("always set"),
  /** The repository's UUID, which every call addresses. */
  repositoryUuid: output<string>(),
  /** The rule's numeric id (the resource ID as a string). */
  restrictionId: output<number>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface BranchRestriction extends ResourceOutputs<typeof OUTPUTS> {}

/** A branch restriction rule of a repository (branch permissions and merge checks). ID: the rule's numeric id. */
export class BranchRestriction extends BitbucketResource {
  constructor(name: string, args: BranchRestrictionArgs, opts?: pulumi.CustomResourceOptions) {
    super("BranchRestriction", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing restriction: `get(name, "workspace/repository/id")` or `get(name, "id", { workspace, repository })`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: InRepository, opts?: pulumi.CustomResourceOptions): BranchRestriction {
    return BranchRestriction.existing(name, id, state, opts);
  }
}
