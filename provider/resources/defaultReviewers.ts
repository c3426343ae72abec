// DefaultReviewers: every default reviewer of one repository, authoritatively (the users Bitbucket adds
// as reviewers to each new pull request). A reviewer added or removed by hand is drift that `up`
// reverts. Users are given by account id or `{uuid}` and read back as the program spells them, though
// the API answers account objects. ID: `workspace/{repository uuid}`, so a rename changes nothing.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ifFound } from "../client";
import type { AccountObject } from "../client/endpoints/workspaces";
import type { Context } from "../context";
import {
  BitbucketResource,
  compact,
  diffResult,
  RepositoryRef,
  repositoryUuid,
  reportTakeOver,
  ResourceProvider,
  splitId,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, collectionClaim, repositoryRef } from "./claims";
import { checkGrants } from "./grants";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { attachedImport, collection, CONTAINER_ID, terraformImport, text, WORKSPACE, wholeOfRepository, type Discovery } from "./discovery";
import { ExemptUser, uniqueSorted, usersAsWritten } from "./branchRestriction";
import { REPOSITORIES, terraformRepository } from "./repository";

// ---- Fields ------------------------------------------------------------------------------------

export const FIELDS = fieldTable<DefaultReviewersArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  // Sorted: order does not matter, and the state reads them back sorted.
  users: { schema: z.array(ExemptUser).transform(uniqueSorted), update: true },
});

const ID_PARTS = ["workspace", "repositoryUuid"] as const;

/** DefaultReviewers owns the whole default reviewers list of its repository. */
export const claims = claimRule(["workspace", "repository"], (args) =>
  collectionClaim(repositoryRef(args.workspace, args.repository), "default reviewers", "users"),
);

interface Ids {
  workspace: string;
  repository: string;
  repositoryUuid: string;
}

const reviewersState = (ids: Ids, live: AccountObject[], written: unknown) => compact({ ...ids, users: usersAsWritten(live, written) });

/** Whether `user` (account id or `{uuid}`, as the program spells it) is this account. */
const names = (user: string, account: AccountObject) =>
  user.startsWith("{") ? user.toLowerCase() === account.uuid?.toLowerCase() : user === account.account_id;

/** Where a list of default reviewers lives (a repository's, a project's), as the client reaches it. */
export interface ReviewerList {
  /** The repository or project, for the take-over report. */
  where: string;
  list(): Promise<AccountObject[]>;
  add(user: string): Promise<AccountObject>;
  remove(user: string): Promise<void>;
}

/**
 * Makes a list of default reviewers exactly `users`: adds the missing, removes the undeclared; answers
 * the accounts now listed. `onTakeOver` (creation) hears which reviewers that were there it removes.
 */
export async function applyReviewers(reviewers: ReviewerList, users: string[], onTakeOver?: (found: string) => void): Promise<AccountObject[]> {
  const live = await reviewers.list();
  const kept = live.filter((account) => users.some((user) => names(user, account)));
  const undeclared = live.filter((account) => !kept.includes(account));
  const missing = users.filter((user) => !live.some((account) => names(user, account)));
  if (undeclared.length > 0)
    onTakeOver?.(`${reviewers.where} already had default reviewers this resource removes (${undeclared.map((a) => a.account_id ?? a.uuid).join(", ")})`);
  const [added] = await Promise.all([
    Promise.all(missing.map((user) => reviewers.add(user))),
    Promise.all(undeclared.map((account) => ifFound(reviewers.remove(account.uuid ?? String(account.account_id))))),
  ]);
  return [...kept, ...added];
}

/** The reviewers of a repository, by its UUID. */
const ofRepository = ({ api }: Context, ids: Ids): ReviewerList => ({
  where: `${ids.workspace}/${ids.repository}`,
  list: () => api.listDefaultReviewers(ids.workspace, ids.repositoryUuid),
  add: (user) => api.addDefaultReviewer(ids.workspace, ids.repositoryUuid, user),
  remove: (user) => api.removeDefaultReviewer(ids.workspace, ids.repositoryUuid, user),
});

async function apply(ctx: Context, ids: Ids, users: string[], onTakeOver?: (found: string) => void) {
  return reviewersState(ids, await applyReviewers(ofRepository(ctx, ids), users, onTakeOver), users);
}

/** One user by account id and by {uuid} would read back once: a perpetual diff. Checked as the grants' users are. */
export async function checkReviewers(
  result: pulumi.dynamic.CheckResult,
  news: Record<string, unknown>,
  known: Parameters<typeof checkGrants>[2],
): Promise<pulumi.dynamic.CheckResult> {
  if (result.failures) return result;
  const listed = result.inputs.users;
  const users = Array.isArray(listed) ? Object.fromEntries(listed.map((user) => [String(user), ""])) : undefined;
  const twice = await checkGrants({ inputs: { workspace: result.inputs.workspace, users } }, news, known);
  return twice.failures ? twice : result;
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  async check(_olds, news, known) {
    return checkReviewers(FIELDS.check(news), news, known);
  },

  // Old and new may be the same repository (slug vs {uuid}): the old list goes before the new is made.
  async diff(_id, olds, news) {
    return diffResult(FIELDS.diff(olds, news), true);
  },

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    const uuid = await repositoryUuid(ctx.api, inputs.workspace, inputs.repository);
    const ids = { workspace: inputs.workspace, repository: inputs.repository, repositoryUuid: uuid };
    const outs = await apply(ctx, ids, inputs.users, (found) => reportTakeOver(ctx, `DefaultReviewers: ${found}`));
    return { id: `${inputs.workspace}/${uuid}`, outs };
  },

  async read({ api }, id, props) {
    const ids = splitId("default reviewers", id, ID_PARTS, props);
    const live = await ifFound(api.listDefaultReviewers(ids.workspace, ids.repositoryUuid));
    if (!live) return {};
    const outs = reviewersState({ ...ids, repository: text(props?.repository) ?? ids.repositoryUuid }, live, props?.users);
    return { id, props: outs, inputs: FIELDS.inputsOf(outs) };
  },

  async update(ctx, id, _olds, news) {
    const inputs = FIELDS.parse(news);
    const ids = { ...splitId("default reviewers", id, ID_PARTS), repository: inputs.repository };
    return { outs: await apply(ctx, ids, inputs.users) };
  },

  async delete({ api }, id, props) {
    const ids = splitId("default reviewers", id, ID_PARTS, props);
    const users = Array.isArray(props.users) ? props.users.filter((u): u is string => typeof u === "string") : [];
    await Promise.all(users.map((user) => ifFound(api.removeDefaultReviewer(ids.workspace, ids.repositoryUuid, user))));
  },
};

// ---- Drift search and import -------------------------------------------------------------------

/** A repository's default reviewers (no resource holds one alone: DefaultReviewers holds them all). */
export const DEFAULT_REVIEWERS = collection<AccountObject>({
  label: "default reviewer",
  plural: "default reviewers",
  on: REPOSITORIES.label,
  list: (api, { workspace, container }) => api.listDefaultReviewers(workspace, container!.uuid),
  listed: (account) => ({
    keys: [account.uuid, account.account_id].filter((k): k is string => typeof k === "string"),
    id: account.account_id ?? account.uuid ?? "",
    detail: "default reviewer",
    title: account.display_name,
  }),
});

/** A DefaultReviewers holds its repository's whole list; imported once per repository that has reviewers, by account id. */
export const discovery: Discovery = {
  ...wholeOfRepository(DEFAULT_REVIEWERS),
  import: attachedImport({
    on: REPOSITORIES,
    counted: "default reviewers",
    order: 5,
    read: (api, place) => DEFAULT_REVIEWERS.list(api, place, []),
    declare: (accounts, container) => {
      const users = uniqueSorted(accounts.flatMap((a) => a.account_id ?? a.uuid ?? []));
      if (users.length === 0) return [];
      const names = uniqueSorted(accounts.map((a) => a.display_name ?? a.account_id ?? a.uuid ?? ""));
      return [
        {
          name: `${container.key}-default-reviewers`,
          comments: [`Default reviewers: ${names.join(", ")}`],
          count: users.length,
          args: [
            ["workspace", WORKSPACE],
            ["repository", CONTAINER_ID],
            ["users", users],
          ],
        },
      ];
    },
  }),
  // The state holds the reviewers' `{uuid}`s, which this kind accepts as they are.
  terraform: terraformImport({
    type: "bitbucket_default_reviewers",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => [
      {
        name,
        args: [
          ["workspace", workspaceOf(String(a.owner))],
          ["repository", terraformRepository(a.owner, a.repository)],
          ["users", uniqueSorted((Array.isArray(a.reviewers) ? a.reviewers : []).map(String))],
        ],
      },
    ],
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface DefaultReviewersArgs {
  /** Workspace slug (or `{uuid}`). Changing it replaces the resource. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id`. Creation resolves it to the UUID, which every later call addresses, so a rename changes nothing. Changing it replaces the resource. */
  repository: pulumi.Input<string>;
  /**
   * Every default reviewer of the repository, by Atlassian account id or `{uuid}` (never a username);
   * workspace members. A reviewer Bitbucket has that is not listed is drift and `up` removes it; one
   * listed and missing is added back; `[]` means no default reviewers. Order does not matter. Updates in place.
   */
  users: pulumi.Input<pulumi.Input<string>[]>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** Sorted, as the program spells them (account id or `{uuid}`); reviewers added outside Pulumi by account id. */
  users: argument(),
  /** The repository's UUID (part of the ID), whatever `repository` gives. */
  repositoryUuid: output<string>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface DefaultReviewers extends ResourceOutputs<typeof OUTPUTS> {}

/** The default reviewers of a repository, all of them. ID: `workspace/{repository uuid}`. */
export class DefaultReviewers extends BitbucketResource {
  constructor(name: string, args: DefaultReviewersArgs, opts?: pulumi.CustomResourceOptions) {
    super("DefaultReviewers", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads the default reviewers of a repository by ID `workspace/{repository uuid}`. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): DefaultReviewers {
    return DefaultReviewers.existing(name, id, undefined, opts);
  }
}
