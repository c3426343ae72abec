// CommitFile: one file (CODEOWNERS, bitbucket-pipelines.yml, …) kept at a path of a branch with the
// program's content, through commits of `POST …/src`. Bitbucket has no file object, so the branch's
// file is the resource: a hand edit or a removal is drift, a new content is a new commit on top of the
// branch (history is never rewritten), delete commits the removal. Text only (UTF-8, no NUL), capped in
// size because the content is kept in the state. ID: `workspace/{repository uuid}/branch:path` (a git
// branch name cannot hold ":"), so a rename of the repository changes nothing.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ifFound } from "../client";
import type { Api } from "../client/api";
import type { Context } from "../context";
import {
  BitbucketResource,
  checkAndDiff,
  compact,
  InRepository,
  RepositoryRef,
  repositoryUuid,
  reportTakeOver,
  ResourceProvider,
  withOutputs,
  WorkspaceRef,
} from "./common";
import { claimRule, itemClaim, repositoryRef } from "./claims";
import { terraformImport, text, type Discovery } from "./discovery";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "./fields";
import { terraformRepository } from "./repository";

// ---- Fields ------------------------------------------------------------------------------------

/** The largest content kept, in UTF-8 bytes: the state holds it, and the file backend rewrites the whole state at each step. */
export const MAX_CONTENT_BYTES = 256 * 1024;

/** A git branch name (git check-ref-format, briefly). */
export const BranchName = z
  .string()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .refine(
    // eslint-disable-next-line no-control-regex
    (name) => !/[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|\/\.|^[-/.]|[/.]$|\.lock$/.test(name),
    "must be a git branch name (no spaces, control characters, ~ ^ : ? * [ \\, '..', '@{', '//', no leading '-', '/' or '.', no trailing '/', '.' or '.lock')",
  );

/** A file's path from the repository's root. */
export const FilePath = z
  .string()
  .min(1, "must not be empty")
  .max(1024, "must be at most 1024 characters")
  .refine((path) => !path.startsWith("/"), "must be given from the repository's root without a leading '/' (e.g. CODEOWNERS, .github/CODEOWNERS)")
  .refine(
    // An empty path and a leading '/' have their own messages.
    (path) =>
      path === "" ||
      path
        .replace(/^\/+/, "")
        .split("/")
        .every((s) => s !== "" && s !== "." && s !== ".." && s !== ".git"),
    "must not end in '/' nor hold an empty, '.', '..' or '.git' segment",
  )
  // eslint-disable-next-line no-control-regex
  .refine((path) => !/[\x00-\x1f\x7f]/.test(path), "must not hold control characters");

/** UTF-8 text within the cap. Its refusals carry no input: a message never quotes a whole file. */
export const FileContent = z.string().superRefine((content, ctx) => {
  const refuse = (message: string) => ctx.addIssue({ code: "custom", message, input: undefined });
  if (content.includes("\0")) refuse("must be text: it holds a NUL character (binary files are not supported)");
  else if (Buffer.byteLength(content) > MAX_CONTENT_BYTES)
    refuse(`must be at most ${MAX_CONTENT_BYTES / 1024} KiB in UTF-8 (the state keeps it); keep larger or binary files in the repository itself`);
});

/** `Full Name <email>`, as git takes an author. */
export const CommitAuthor = z
  .string()
  .regex(/^[^<>\n]*[^<>\s][^<>\n]* <[^<>\s@]+@[^<>\s@]+>$/, 'must be "Full Name <email>" (e.g. "Platform Bot <platform@acme.example>")');

export const FIELDS = fieldTable<CommitFileArgs>()({
  workspace: { schema: WorkspaceRef, replace: true },
  repository: { schema: RepositoryRef, replace: true },
  branch: { schema: BranchName, replace: true },
  path: { schema: FilePath, replace: true },
  content: { schema: FileContent, update: true },
  message: { schema: z.string().min(1, "must not be empty").max(4096, "must be at most 4096 characters").optional(), update: true },
  author: { schema: CommitAuthor.optional(), update: true },
});

/** A CommitFile owns one file of a branch. */
export const claims = claimRule(["workspace", "repository", "branch", "path"], (args) =>
  itemClaim(
    repositoryRef(args.workspace, args.repository),
    "committed files",
    typeof args.branch === "string" && typeof args.path === "string" ? `${args.branch}:${args.path}` : undefined,
    "one file (by branch and path)",
    "path",
  ),
);

interface Place {
  workspace: string;
  repository: string;
  repositoryUuid: string;
  branch: string;
  path: string;
}

/** `workspace/{uuid}/branch:path`; `get` also takes the repository's slug in place of its UUID. */
function commitFileId(id: string): { workspace: string; at: string; branch: string; path: string } {
  const match = /^([^/]+)\/([^/]+)\/([^:]+):(.+)$/.exec(id);
  if (!match) throw new Error(`Cannot address committed file ${id}: give the ID as "workspace/repository/branch:path" (e.g. acme/{uuid}/main:CODEOWNERS).`);
  const [, workspace, at, branch, path] = match;
  return { workspace, at, branch, path };
}

const idOf = (p: Place) => `${p.workspace}/${p.repositoryUuid}/${p.branch}:${p.path}`;

/** The branch's file, or undefined when the file, the branch or the repository is gone. */
const liveContent = (api: Api, p: Place) => ifFound(api.readFile(p.workspace, p.repositoryUuid, p.branch, p.path));

/** The state: the place, the live content, the program's message and author (Bitbucket keeps them in commits, not with the file). */
function fileState(p: Place, content: string, kept: { message?: unknown; author?: unknown; commit?: unknown }) {
  return compact({ ...p, content, message: text(kept.message), author: text(kept.author), commit: text(kept.commit) });
}

/**
 * Makes the branch's file hold `content` with at most one commit: when the file already holds it
 * (found before writing, or after a lost answer), nothing is written. Answers the new commit, if any.
 */
async function writeOnce({ api }: Context, p: Place, content: string, meta: { message?: string; author?: string }, was: string | undefined) {
  const { value, found } = await api.createOnce(
    `the commit of ${p.path} on ${p.branch} of ${p.workspace}/${p.repository}`,
    async () => ((await liveContent(api, p)) === content ? { commit: undefined } : undefined),
    () =>
      api.commitFiles(p.workspace, p.repositoryUuid, {
        branch: p.branch,
        write: { [p.path]: content },
        message: meta.message ?? `${was === undefined ? "Add" : "Update"} ${p.path}`,
        author: meta.author,
      }),
  );
  return found ? undefined : value.commit;
}

// ---- Provider: check, diff, create, read, update, delete ---------------------------------------

export const provider: ResourceProvider = {
  // The old file goes before the new one is written: old and new may name one file (a slug and a {uuid}).
  ...checkAndDiff(FIELDS, true),

  async create(ctx, raw) {
    const inputs = FIELDS.parse(raw);
    const uuid = await repositoryUuid(ctx.api, inputs.workspace, inputs.repository);
    const p: Place = { workspace: inputs.workspace, repository: inputs.repository, repositoryUuid: uuid, branch: inputs.branch, path: inputs.path };
    const was = await liveContent(ctx.api, p);
    if (was !== undefined && was !== inputs.content)
      reportTakeOver(
        ctx,
        `CommitFile: ${p.workspace}/${p.repository} already had ${p.path} on ${p.branch} with other content, now committed with the program's`,
      );
    const commit = await writeOnce(ctx, p, inputs.content, inputs, was);
    return { id: idOf(p), outs: fileState(p, inputs.content, { ...inputs, commit }) };
  },

  async read({ api }, id, props) {
    const { workspace, at, branch, path } = commitFileId(id);
    const uuid = text(props?.repositoryUuid) ?? (await ifFound(repositoryUuid(api, workspace, at)));
    if (!uuid) return {};
    const p: Place = { workspace, repository: text(props?.repository) ?? uuid, repositoryUuid: uuid, branch, path };
    const content = await liveContent(api, p);
    if (content === undefined) return {};
    const state = fileState(p, content, props ?? {});
    return { id: idOf(p), props: state, inputs: FIELDS.inputsOf(state) };
  },

  async update(ctx, id, olds, news) {
    const inputs = FIELDS.parse(news);
    const { workspace, branch, path } = commitFileId(id);
    const p: Place = { workspace, repository: inputs.repository, repositoryUuid: text(olds.repositoryUuid) ?? commitFileId(id).at, branch, path };
    // Only a new content commits; a new message or author alone is kept for the next commit.
    const commit = inputs.content === olds.content ? olds.commit : await writeOnce(ctx, p, inputs.content, inputs, text(olds.content));
    return { outs: fileState(p, inputs.content, { ...inputs, commit }) };
  },

  async delete({ api }, id, props) {
    const { workspace, at, branch, path } = commitFileId(id);
    const p: Place = { workspace, repository: text(props.repository) ?? at, repositoryUuid: text(props.repositoryUuid) ?? at, branch, path };
    // Already gone (by hand, or with its branch or repository): nothing to commit.
    if ((await liveContent(api, p)) === undefined) return;
    await api.commitFiles(workspace, p.repositoryUuid, {
      branch,
      remove: [path],
      message: `Remove ${path}`,
      author: text(props.author),
    });
  },
};

// ---- Import from a Terraform state -------------------------------------------------------------

// bitbucket_commit_file: workspace, repo_slug, branch, filename, content, commit_message, commit_author.
// Creation takes over the file: no commit when the branch already has this content, else one commit
// of the program's content (said so).
export const discovery: Discovery = {
  terraform: terraformImport({
    type: "bitbucket_commit_file",
    order: 3,
    declare: ({ attributes: a, name }, { workspaceOf }) => [
      {
        name,
        args: [
          ["workspace", workspaceOf(String(a.workspace))],
          ["repository", terraformRepository(a.workspace, a.repo_slug)],
          ["branch", String(a.branch)],
          ["path", String(a.filename).replace(/^\/+/, "")],
          ["content", String(a.content ?? "")],
          ["message", text(a.commit_message) || undefined],
          ["author", text(a.commit_author) || undefined],
        ],
      },
    ],
  }),
};

// ---- Resource class ----------------------------------------------------------------------------

export interface CommitFileArgs {
  /** Workspace slug (or `{uuid}`) of the repository. Changing it replaces the file. */
  workspace: pulumi.Input<string>;
  /** Repository slug or `{uuid}`; pass `repo.id` (the UUID) so a rename changes nothing. Changing it replaces the file. */
  repository: pulumi.Input<string>;
  /** The branch the file is kept on (a git branch name, e.g. `main`); created from the main branch's head when missing, as Bitbucket does. Changing it replaces the file (removed from the old branch, committed on the new). */
  branch: pulumi.Input<string>;
  /** The file's path from the repository's root, without a leading `/` (e.g. `CODEOWNERS`, `.bitbucket/teams.yaml`); no empty, `.`, `..` or `.git` segment. Changing it replaces the file (removed at the old path, committed at the new). */
  path: pulumi.Input<string>;
  /** The file's content: UTF-8 text (no NUL character: binary files are not supported), at most 256 KiB, since the state keeps it. A new content is a new commit on top of the branch; a file changed by hand is drift that `up` commits back. */
  content: pulumi.Input<string>;
  /** The message of the commits this resource makes. Default: "Add <path>" / "Update <path>" (and "Remove <path>" on delete). A change alone makes no commit: it applies to the next one. */
  message?: pulumi.Input<string>;
  /** The author of the commits this resource makes, `Full Name <email>`. Default: the user of the credentials (Bitbucket's default). A change alone makes no commit. */
  author?: pulumi.Input<string>;
}

const OUTPUTS = outputTable(FIELDS, {
  /** The branch's file as last read: drift when it differs from the program's. */
  content: argument(),
  /** The repository's UUID, by which the file is addressed. */
  repositoryUuid: output<string>(),
  /** The commit this resource last made; absent when the branch already held the content (nothing was committed). */
  commit: output<string | undefined>(),
});

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the class's outputs, typed from its output table (Pulumi sets them). */
export interface CommitFile extends ResourceOutputs<typeof OUTPUTS> {}

/** A file kept at a path of a branch with the program's content, through commits (never a history rewrite). ID: `workspace/{repository uuid}/branch:path`. */
export class CommitFile extends BitbucketResource {
  constructor(name: string, args: CommitFileArgs, opts?: pulumi.CustomResourceOptions) {
    super("CommitFile", claims, name, withOutputs(args, OUTPUTS.keys), opts);
  }

  /** Reads an existing file: `get(name, "workspace/repository/branch:path")` (the repository by slug or `{uuid}`). */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: InRepository, opts?: pulumi.CustomResourceOptions): CommitFile {
    return CommitFile.existing(name, id, state, opts);
  }
}
