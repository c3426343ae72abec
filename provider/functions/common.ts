// What every read function shares: where its client comes from, argument checks that name the
// field, the Output form, how a repository is named, and the mappings of objects nested in many
// answers (accounts, repositories, commits).
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { BitbucketApiError, Client, ClientOptions, createClient, isNotFound } from "../client";
import { HOW_TO_CONFIGURE } from "../client/errors";
import type { AccountObject, CommitObject, RepositoryDetails } from "../client/reads";
import { CONFIG_KEYS, resolveSettings, Settings } from "../config";
import { isRepositorySlugOrUuid, isWorkspaceSlugOrUuid, notDotSegment, ProjectKeyOrUuid, REPOSITORY_RULE, Workspace as WorkspaceRule } from "../identifiers";
import { parseInputs } from "../resources/common";

export interface ReadOptions {
  /**
   * The client to read with (tests, embedders: `createClient(settings)`). Default: one built from the
   * stack's `bitbucket:*` config or, when it holds no credentials, the `BITBUCKET_*` environment; with
   * no credentials in either, an anonymous one (public repositories and workspaces only).
   */
  client?: Client;
}

let cached: { key: string; client: Client } | undefined;

function clientFor(opts: ReadOptions | undefined): Client {
  if (opts?.client) return opts.client;
  // Outside a Pulumi program this config is empty and the environment decides.
  const config = new pulumi.Config("bitbucket");
  const values = Object.fromEntries(Object.values(CONFIG_KEYS).map((key) => [key, config.get(key.slice("bitbucket:".length))]));
  const settings = resolveSettings(values, process.env, { allowAnonymous: true });
  const key = JSON.stringify(settings);
  if (cached?.key !== key) cached = { key, client: createClient(settings, anonymousOptions(settings)) };
  return cached.client;
}

/**
 * Anonymous reads do not wait out a 429 unless bitbucket:rateLimitWaitSeconds asks: their budget
 * frees up over a whole hour, so the clear message at once is worth more than a long wait.
 */
export function anonymousOptions(settings: Settings): ClientOptions {
  return settings.credentials.kind === "anonymous" ? { retry: { rateLimitWaitMs: 0 } } : {};
}

/** Each argument may be an Output, as in Pulumi's `getXOutput` functions. */
export type InputArgs<T> = T extends object ? { [K in keyof T]: pulumi.Input<T[K]> } : pulumi.Input<T>;

/**
 * The Output of a promise, for an apply callback to return. An apply whose callback's promise rejects
 * makes a Pulumi program spin forever after logging the error (@pulumi/pulumi 3.248 to 3.276 at least);
 * returned as an Output, the failure ends the program as it should. A program cannot catch an
 * Output's failure, so it becomes a RunError, which Pulumi prints as its message alone.
 */
export function settled<T>(promise: Promise<T>): pulumi.Output<T> {
  const failure = (err: Error) => Promise.reject(new pulumi.RunError(err.message, { cause: err }));
  return pulumi.output(promise.catch(failure)) as pulumi.Output<T>;
}

/**
 * A read function in Pulumi's two forms: `getX(args, opts)` → Promise, and `getXOutput(args, opts)`
 * → Output (its arguments may be Outputs). Arguments are checked first; a failure names the field.
 */
export function readFunction<Args, Result>(name: string, schema: z.ZodType<NoInfer<Args>>, read: (args: Args, client: Client) => Promise<Result>) {
  const promise = async (args: Args, opts?: ReadOptions): Promise<Result> => {
    let parsed: Args;
    try {
      parsed = parseInputs(schema, (args ?? {}) as Record<string, unknown>);
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}`, { cause: err });
    }
    return read(parsed, clientFor(opts));
  };
  const output = (args: InputArgs<Args>, opts?: ReadOptions): pulumi.Output<Result> =>
    pulumi.output(args).apply((plain) => settled(promise(plain as Args, opts))) as pulumi.Output<Result>;
  return { promise, output };
}

// Argument rules. A value goes into one path segment (encoded), so `.` and `..` are all that could
// move a request elsewhere; they are refused here already. Workspaces and project keys follow the
// rules the resources use (../identifiers).
export const Workspace = WorkspaceRule;
export const ProjectKey = ProjectKeyOrUuid;
/** A branch, tag or commit, as git allows ref names (`feature/x` included). */
export const Revision = z
  .string()
  .max(255)
  .regex(/^(?!\/|\.|.*\/$|.*\.\.|.*\/\/|.*\/\.|.*@\{|.*\.lock$)[^\p{Cc}\s~^:?*[\\]+$/u, "must be a branch, tag or commit hash");
/** A path inside the repository: segments joined by `/`, none empty, `.` or `..`. */
export const FilePath = z
  .string()
  .max(4096)
  .transform((p) => p.replace(/^\/+|\/+$/g, ""))
  .refine(
    (p) => p === "" || p.split("/").every((s) => s !== "" && notDotSegment(s) && !/\p{Cc}/u.test(s)),
    "must be a path like 'src/app' (no empty, '.' or '..' segments)",
  );
export const Limit = z.number().int().min(1, "must be at least 1").optional();
export const Query = z.string().max(2000).optional();

/**
 * A repository: `repository` is a slug or `{uuid}` (with `workspace`), `workspace/slug`, or a
 * bitbucket.org URL (https://bitbucket.org/ws/slug, its .git clone URL, or git@bitbucket.org:ws/slug.git).
 */
export const RepositoryRef = z.strictObject({ workspace: Workspace.optional(), repository: z.string().min(1).max(1000) });
export interface RepositoryRef {
  /** Needed when `repository` is a bare slug or {uuid}. */
  workspace?: string;
  /** A slug or {uuid}, `workspace/slug`, or a bitbucket.org URL. */
  repository: string;
}

export interface ListArgs extends RepositoryRef {
  /** Most values to return. Default: all. */
  limit?: number;
}

export const ListInRepository = RepositoryRef.extend({ limit: Limit });

export interface RepositoryName {
  workspace: string;
  slug: string;
}

/** Where `repository` (and `workspace`) point, or an error naming the argument. */
export function repositoryName(fn: string, args: { workspace?: string; repository: string }, client: Client): RepositoryName {
  const fail = (why: string): never => {
    throw new Error(`${fn}: repository ${why} (got ${JSON.stringify(args.repository)}).`);
  };
  let ws = args.workspace;
  let slug = args.repository;
  const parts = fromUrl(args.repository, client.apiUrl, fail) ?? args.repository.split("/");
  if (parts.length === 2) {
    [ws, slug] = parts;
    if (args.workspace !== undefined && args.workspace.toLowerCase() !== ws.toLowerCase()) fail(`names workspace "${ws}" but workspace is "${args.workspace}"`);
  } else if (parts.length !== 1) {
    fail("must be a slug or {uuid} (with workspace), workspace/slug, or a bitbucket.org URL");
  }
  if (!ws) fail("is a slug or {uuid}: workspace is required too (or pass workspace/slug)");
  if (!isWorkspaceSlugOrUuid(ws!)) fail(`names an invalid workspace "${ws}"`);
  slug = slug.replace(/\.git$/, "");
  if (!isRepositorySlugOrUuid(slug)) fail(REPOSITORY_RULE);
  // Lowercase as the resources send them (see ../identifiers).
  return { workspace: ws!.toLowerCase(), slug: slug.toLowerCase() };
}

/** [workspace, slug] of a bitbucket.org (or the configured API host's) web or clone URL; undefined if not a URL. */
function fromUrl(value: string, apiUrl: string, fail: (why: string) => never): string[] | undefined {
  const scp = /^git@([^:/]+):(.+)$/.exec(value);
  if (!scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  let host: string;
  let path: string;
  if (scp) [host, path] = [scp[1], scp[2]];
  else {
    const url = new URL(value);
    [host, path] = [url.hostname, decodeURIComponent(url.pathname)];
  }
  const hosts = ["bitbucket.org", "www.bitbucket.org", new URL(apiUrl).hostname];
  if (!hosts.includes(host.toLowerCase())) fail(`is a URL of ${host}, not of bitbucket.org`);
  const [ws, slug] = path.replace(/^\/+/, "").split("/");
  if (!ws || !slug) fail("is a URL without a workspace and repository (https://bitbucket.org/<workspace>/<repository>)");
  return [ws, slug];
}

/** Where a repository's read result comes from. */
export interface InRepository {
  workspace: string;
  /** The repository's slug (or {uuid}) as it was named. */
  repository: string;
}

/** A read function of one repository: `read` gets the repository the arguments name; the result says which. */
export function repositoryFunction<Args extends RepositoryRef, Result>(
  name: string,
  schema: z.ZodType<NoInfer<Args>>,
  read: (args: Args, repo: RepositoryName, client: Client) => Promise<Result>,
) {
  return readFunction(name, schema, async (args: Args, client): Promise<InRepository & Result> => {
    const repo = repositoryName(name, args, client);
    return { workspace: repo.workspace, repository: repo.slug, ...(await read(args, repo, client)) };
  });
}

function missingRepository(repo: RepositoryName, err: BitbucketApiError, client: Client): BitbucketApiError {
  const name = `${repo.workspace}/${repo.slug}`;
  return new BitbucketApiError({
    status: err.status,
    method: err.method,
    route: err.route,
    url: err.url,
    body: {
      message: client.anonymous
        ? `Repository ${name} is private or does not exist; reading it needs credentials: ${HOW_TO_CONFIGURE}`
        : `Repository ${name} was not found, or these credentials cannot see it`,
    },
    hint: "Check the workspace and the repository slug or {uuid}.",
  });
}

/** Without credentials a private repository answers 403 (Bitbucket), and is told like a missing one. */
const hiddenFromAnonymous = (client: Client, err: unknown): err is BitbucketApiError =>
  client.anonymous && err instanceof BitbucketApiError && err.status === 403;

/**
 * Runs reads of one repository. A 404 (or, read without credentials, a 403) is told apart: when the
 * repository itself is missing or private the error says so; otherwise `what` (a branch, a path...) is named.
 */
export async function inRepository<T>(client: Client, repo: RepositoryName, read: () => Promise<T>, what?: string): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof BitbucketApiError) || !(isNotFound(err) || hiddenFromAnonymous(client, err))) throw err;
    const exists = await client.reads.repository(repo.workspace, repo.slug).then(
      () => true,
      (e) => (isNotFound(e) || hiddenFromAnonymous(client, e) ? false : Promise.reject(e)),
    );
    if (!exists) throw missingRepository(repo, err, client);
    if (!what || !isNotFound(err)) throw err;
    throw new BitbucketApiError({
      status: 404,
      method: err.method,
      route: err.route,
      url: err.url,
      body: { message: `${repo.workspace}/${repo.slug} has no ${what}` },
      hint: "",
    });
  }
}

/** The one GET of a repository itself: a 404 is the repository missing. */
export async function readRepository(client: Client, repo: RepositoryName): Promise<RepositoryDetails> {
  try {
    return await client.reads.repository(repo.workspace, repo.slug);
  } catch (err) {
    if (hiddenFromAnonymous(client, err) || (err instanceof BitbucketApiError && isNotFound(err))) throw missingRepository(repo, err, client);
    throw err;
  }
}

// Results

export interface Account {
  uuid?: string;
  /** The Atlassian account id (what `UserPermission.user` takes); absent for teams and apps. */
  accountId?: string;
  displayName?: string;
  nickname?: string;
  /** user, team, app_user... */
  type?: string;
  htmlUrl?: string;
}

export function toAccount(a: AccountObject): Account {
  return { uuid: a.uuid, accountId: a.account_id, displayName: a.display_name, nickname: a.nickname, type: a.type, htmlUrl: a.links?.html?.href };
}

export interface RepositoryInfo {
  uuid: string;
  slug: string;
  name: string;
  fullName: string;
  workspace: string;
  description?: string;
  isPrivate?: boolean;
  forkPolicy?: string;
  language?: string;
  website?: string;
  scm?: string;
  projectKey?: string;
  projectName?: string;
  mainBranch?: string;
  /** For a fork: its parent. */
  parentFullName?: string;
  parentUuid?: string;
  owner?: Account;
  createdOn?: string;
  updatedOn?: string;
  /** In bytes. */
  size?: number;
  htmlUrl?: string;
  cloneUrlHttps?: string;
  cloneUrlSsh?: string;
}

export function toRepository(r: RepositoryDetails): RepositoryInfo {
  const [workspace, slug] = r.full_name.split("/");
  const clone = (name: string) => r.links?.clone?.find((c) => c.name === name)?.href;
  return {
    uuid: r.uuid,
    slug: r.slug ?? slug,
    name: r.name,
    fullName: r.full_name,
    workspace: r.workspace?.slug ?? workspace,
    description: r.description ?? undefined,
    isPrivate: r.is_private ?? undefined,
    forkPolicy: r.fork_policy ?? undefined,
    language: r.language ?? undefined,
    website: r.website ?? undefined,
    scm: r.scm,
    projectKey: r.project?.key,
    projectName: r.project?.name,
    mainBranch: r.mainbranch?.name,
    parentFullName: r.parent?.full_name,
    parentUuid: r.parent?.uuid,
    owner: r.owner ? toAccount(r.owner) : undefined,
    createdOn: r.created_on,
    updatedOn: r.updated_on,
    size: r.size,
    htmlUrl: r.links?.html?.href,
    cloneUrlHttps: clone("https"),
    cloneUrlSsh: clone("ssh"),
  };
}

export interface Commit {
  hash: string;
  date?: string;
  message?: string;
  /** `Name <email>` as git recorded it. */
  authorRaw?: string;
  /** The Bitbucket account of the author, when git's author is linked to one. */
  author?: Account;
  parents: string[];
  htmlUrl?: string;
}

export function toCommit(c: CommitObject): Commit {
  return {
    hash: c.hash,
    date: c.date,
    message: c.message,
    authorRaw: c.author?.raw,
    author: c.author?.user ? toAccount(c.author.user) : undefined,
    parents: (c.parents ?? []).map((p) => p.hash),
    htmlUrl: c.links?.html?.href,
  };
}
