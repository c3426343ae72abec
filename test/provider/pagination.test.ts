// Listings whose `next` links would not end (issue 15, item 3): every list the client makes stops with
// a PaginationError naming the listing, after a bounded number of requests, when the emulator's scripted
// `nextLink` fault links a page to itself, back to a page already read, or on and on.
import { CREDENTIALS, PROJECTS, REPOSITORIES, startEmulator, USERS, WORKSPACES } from "../../emulator";
import { Client, createClient, type PaginationError } from "../../provider/client";
import type { Credentials } from "../../provider/client/auth";
import { MAX_PAGES } from "../../provider/client/paginate";
import { findUnmanaged } from "../../provider/drift/unmanaged";
import { getWorkspaceRepositories } from "../../provider/functions";
import { readWorkspace } from "../../provider/import/workspace";
import { Client as EmulatorClient } from "../support/emulator-client";
import { publicKey } from "../support/ssh-keys";
import { SIGNER_KEY } from "../support/gpg-keys";
import { asOwner, clearCounters, counters, Emulator, FAST, provider, script, useOwner } from "./helpers";

let emu: Emulator;
let head: string;
let environmentUuid: string;
const reportId = "pulumi-drift-test";
beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
  // Every list below has values, so `endless` meets the page limit rather than an empty page.
  const hook = await asOwner(emu, "POST", `/repositories/${ws}/${repo}/hooks`, { url: "https://ci.example.com/hook", events: ["repo:push"] });
  expect(hook.status).toBe(201);
  // A Code Insights report with an annotation on the repository's head commit, for its list of annotations.
  const commits = await asOwner(emu, "GET", `/repositories/${ws}/${repo}/commits`);
  head = commits.body.values[0].hash;
  const report = await asOwner(emu, "PUT", `/repositories/${ws}/${repo}/commit/${head}/reports/${reportId}`, {
    title: "Drift",
    details: "d",
    report_type: "SECURITY",
  });
  expect(report.status).toBe(200);
  const note = await asOwner(emu, "POST", `/repositories/${ws}/${repo}/commit/${head}/reports/${reportId}/annotations`, [
    { external_id: "a1", annotation_type: "BUG", summary: "a finding" },
  ]);
  expect(note.status).toBe(200);
  for (const keys of [`/repositories/${ws}/${repo}/deploy-keys`, `/workspaces/${ws}/projects/${plat}/deploy-keys`])
    expect((await asOwner(emu, "POST", keys, { key: publicKey("paged") })).status).toBe(200);
  const restriction = await asOwner(emu, "POST", `/repositories/${ws}/${repo}/branch-restrictions`, {
    kind: "force",
    branch_match_kind: "glob",
    pattern: "main",
  });
  expect(restriction.status).toBe(201);
  expect((await asOwner(emu, "PUT", `/repositories/${ws}/${repo}/default-reviewers/${encodeURIComponent(USERS.alice.uuid)}`)).status).toBe(200);
  expect((await asOwner(emu, "POST", `/users/${USERS.acmeOwner.account_id}/ssh-keys`, { key: publicKey("paged") })).status).toBe(201);
  expect((await asOwner(emu, "POST", `/users/${USERS.acmeOwner.account_id}/gpg-keys`, { key: SIGNER_KEY })).status).toBe(201);
  expect((await asOwner(emu, "PUT", `/workspaces/${ws}/projects/${plat}/default-reviewers/${encodeURIComponent(USERS.alice.uuid)}`)).status).toBe(200);
  const schedule = { target: { ref_type: "branch", ref_name: "main", selector: { type: "branches", pattern: "main" } }, cron_pattern: "0 0 2 * * ? *" };
  expect((await asOwner(emu, "POST", `/repositories/${ws}/${repo}/pipelines_config/schedules`, schedule)).status).toBe(201);
  const host = { hostname: "git.example.com", public_key: { key_type: "ssh-ed25519", key: publicKey("host").split(" ")[1] } };
  expect((await asOwner(emu, "POST", `/repositories/${ws}/${repo}/pipelines_config/ssh/known_hosts`, host)).status).toBe(201);
  expect((await asOwner(emu, "POST", `/workspaces/${ws}/hooks`, { url: "https://ci.example.com/hook", events: ["repo:push"] })).status).toBe(201);
  const variable = { key: "PAGED", value: "v" };
  expect((await asOwner(emu, "POST", `/repositories/${ws}/${repo}/pipelines_config/variables`, variable)).status).toBe(201);
  expect((await asOwner(emu, "POST", `/workspaces/${ws}/pipelines-config/variables`, variable)).status).toBe(201);
  const environment = await asOwner(emu, "POST", `/repositories/${ws}/${repo}/environments`, { name: "Paged", environment_type: { name: "Test" } });
  environmentUuid = environment.body.uuid;
  const deploymentVariables = `/repositories/${ws}/${repo}/deployments_config/environments/${encodeURIComponent(environmentUuid)}/variables`;
  expect((await asOwner(emu, "POST", deploymentVariables, variable)).status).toBe(201);
});
afterAll(() => emu.stop());
beforeEach(() => script(emu, []));

const owner: Credentials = { kind: "basic", email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password };
const client = (maxPages?: number) => createClient({ apiUrl: emu.apiUrl, credentials: owner }, { retry: FAST.retry, maxPages });
const ws = WORKSPACES.acme.slug;
const repo = REPOSITORIES.platformApi.slug;
const plat = PROJECTS.plat.key;

/** Every method of the client that reads a list, by its path in the client. */
const LISTS: Record<string, (c: Client) => Promise<unknown>> = {
  "api.listRepositories": (c) => c.api.listRepositories(ws),
  "api.listForks": (c) => c.api.listForks(ws, REPOSITORIES.website.slug),
  "api.listHooks": (c) => c.api.listHooks(ws, repo),
  "api.repositoryGrants.groups.list": (c) => c.api.repositoryGrants.groups.list(ws, repo),
  "api.repositoryGrants.users.list": (c) => c.api.repositoryGrants.users.list(ws, repo),
  "api.projectGrants.groups.list": (c) => c.api.projectGrants.groups.list(ws, plat),
  "api.projectGrants.users.list": (c) => c.api.projectGrants.users.list(ws, plat),
  "api.listProjects": (c) => c.api.listProjects(ws),
  "api.listAnnotations": (c) => c.api.listAnnotations(ws, repo, head, reportId),
  "api.listDeployKeys": (c) => c.api.listDeployKeys(ws, repo),
  "api.listBranchRestrictions": (c) => c.api.listBranchRestrictions(ws, repo),
  "api.listDefaultReviewers": (c) => c.api.listDefaultReviewers(ws, repo),
  "api.listProjectDeployKeys": (c) => c.api.listProjectDeployKeys(ws, plat),
  "api.listSshKeys": (c) => c.api.listSshKeys(USERS.acmeOwner.account_id),
  "api.listGpgKeys": (c) => c.api.listGpgKeys(USERS.acmeOwner.account_id),
  "api.listProjectDefaultReviewers": (c) => c.api.listProjectDefaultReviewers(ws, plat),
  "reads.effectiveDefaultReviewers": (c) => c.reads.effectiveDefaultReviewers(ws, repo),
  "reads.projects": (c) => c.reads.projects(ws),
  "reads.members": (c) => c.reads.members(ws),
  "reads.repositories": (c) => c.reads.repositories(ws),
  "reads.forks": (c) => c.reads.forks(ws, REPOSITORIES.website.slug),
  "reads.watchers": (c) => c.reads.watchers(ws, repo),
  "reads.branches": (c) => c.reads.branches(ws, repo),
  "reads.tags": (c) => c.reads.tags(ws, repo),
  "reads.commits": (c) => c.reads.commits(ws, repo),
  "reads.commits from a revision": (c) => c.reads.commits(ws, repo, { revision: "main" }),
  "reads.pullRequests": (c) => c.reads.pullRequests(ws, repo),
  "reads.directory": (c) => c.reads.directory(ws, repo, "main", ""),
  "reads.repositoryGroupGrants": (c) => c.reads.repositoryGroupGrants(ws, repo),
  "reads.repositoryUserGrants": (c) => c.reads.repositoryUserGrants(ws, repo),
  "reads.projectGroupGrants": (c) => c.reads.projectGroupGrants(ws, plat),
  "reads.projectUserGrants": (c) => c.reads.projectUserGrants(ws, plat),
  "api.listSchedules": (c) => c.api.listSchedules(ws, repo),
  "api.listKnownHosts": (c) => c.api.listKnownHosts(ws, repo),
  "api.listWorkspaceHooks": (c) => c.api.listWorkspaceHooks(ws),
  "reads.schedules": (c) => c.reads.schedules(ws, repo),
  "reads.hookEvents": (c) => c.reads.hookEvents("workspace"),
  "api.listRepositoryVariables": (c) => c.api.listRepositoryVariables(ws, repo),
  "api.listWorkspaceVariables": (c) => c.api.listWorkspaceVariables(ws),
  "api.listEnvironments": (c) => c.api.listEnvironments(ws, repo),
  "api.listDeploymentVariables": (c) => c.api.listDeploymentVariables(ws, repo, environmentUuid),
  "reads.repositoryVariables": (c) => c.reads.repositoryVariables(ws, repo),
  "reads.workspaceVariables": (c) => c.reads.workspaceVariables(ws),
  "reads.environments": (c) => c.reads.environments(ws, repo),
};

/** Counts: the `size` of a one-value page (one request); without a `size` they page through the same rule. */
const COUNTS: Record<string, (c: Client) => Promise<number>> = {
  "reads.countForks": (c) => c.reads.countForks(ws, REPOSITORIES.website.slug),
  "reads.countWatchers": (c) => c.reads.countWatchers(ws, repo),
};

/** Methods that read or write one object: no `next` to follow. */
const SINGLE = new Set([
  "api.createOnce",
  "reads.member",
  "reads.user",
  "reads.oidcConfiguration",
  "reads.oidcKeys",
  ...["get", "create", "update", "delete"].map((verb) => `api.${verb}Repository`),
  "api.createFork",
  ...["create", "get", "update", "delete"].map((verb) => `api.${verb}Hook`),
  ...["repositoryGrants", "projectGrants"].flatMap((owner) =>
    ["groups", "users"].flatMap((collection) => ["get", "put", "delete"].map((verb) => `api.${owner}.${collection}.${verb}`)),
  ),
  "api.getOverrideSettings",
  "api.putOverrideSettings",
  ...["get", "create", "update", "delete"].map((verb) => `api.${verb}Project`),
  ...["put", "get", "delete"].map((verb) => `api.${verb}Report`),
  "api.putAnnotations",
  ...["create", "get", "update", "delete"].map((verb) => `api.${verb}BranchRestriction`),
  ...["get", "create", "update", "delete"].map((verb) => `api.${verb}DeployKey`),
  ...["get", "create", "delete"].map((verb) => `api.${verb}ProjectDeployKey`),
  ...["add", "remove"].map((verb) => `api.${verb}DefaultReviewer`),
  "api.readFile",
  "api.commitFiles",
  ...["create", "get", "update", "delete"].map((verb) => `api.${verb}SshKey`),
  ...["create", "get", "delete"].map((verb) => `api.${verb}GpgKey`),
  "reads.workspace",
  "reads.project",
  "reads.currentUser",
  "reads.repository",
  "reads.pathMeta",
  "reads.fileText",
  ...["get", "put"].flatMap((verb) => [`api.${verb}BranchingModelSettings`, `api.${verb}ProjectBranchingModelSettings`]),
  "reads.effectiveBranchingModel",
  "reads.projectBranchingModel",
  ...["add", "remove"].map((verb) => `api.${verb}ProjectDefaultReviewer`),
  ...["create", "get", "update", "delete"].map((verb) => `api.${verb}Schedule`),
  ...["get", "put", "delete"].map((verb) => `api.${verb}KeyPair`),
  ...["create", "get", "update", "delete"].map((verb) => `api.${verb}KnownHost`),
  ...["create", "get", "update", "delete"].map((verb) => `api.${verb}WorkspaceHook`),
  "api.getPipelinesEnabled",
  "api.putPipelinesEnabled",
  ...["create", "get", "update", "delete"].map((verb) => `api.${verb}RepositoryVariable`),
  ...["create", "get", "update", "delete"].map((verb) => `api.${verb}WorkspaceVariable`),
  ...["create", "get", "change", "delete"].map((verb) => `api.${verb}Environment`),
  ...["create", "update", "delete"].map((verb) => `api.${verb}DeploymentVariable`),
]);

/** The client's methods by path (`api.repositoryGrants.groups.list`). */
function methodPaths(value: unknown, prefix: string): string[] {
  if (typeof value === "function") return [prefix];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => methodPaths(inner, `${prefix}.${key}`));
}

async function failure(read: () => Promise<unknown>): Promise<{ error: PaginationError; requests: number }> {
  await clearCounters(emu);
  const error = await read().then(
    () => undefined,
    (e: unknown) => e,
  );
  const requests = (await counters(emu)).total;
  if (!(error instanceof Error && error.name === "PaginationError"))
    throw new Error(`expected a PaginationError after ${requests} requests, got ${String(error)}`);
  return { error: error as PaginationError, requests };
}

const nextLink = (how: "self" | "repeat" | "endless", times = 100) => script(emu, [{ method: "GET", nextLink: how, times }]);
const LISTING = /^Bitbucket API GET http:\/\/127\.0\.0\.1:\d+\/2\.0\/\S+\?pagelen=100\S*: pagination did not end: /;

test("every method of the client is either a list, a count or a single-object call (a new list cannot be missed)", () => {
  const c = client();
  const all = [...methodPaths(c.api, "api"), ...methodPaths(c.reads, "reads")];
  const lists = new Set(Object.keys(LISTS).map((name) => name.split(" ")[0]));
  const unclassified = all.filter((path) => !lists.has(path) && !(path in COUNTS) && !SINGLE.has(path));
  expect(unclassified).toEqual([]);
  expect(all.length).toBe(lists.size + Object.keys(COUNTS).length + SINGLE.size);
});

describe.each(Object.entries(LISTS))("%s", (_name, read) => {
  test("reads the whole list when the links end", async () => {
    const values = (await read(client())) as unknown[];
    expect(values.length).toBeGreaterThan(0);
  });

  test("a page whose next link is itself: an error after 1 request", async () => {
    await nextLink("self");
    const { error, requests } = await failure(() => read(client()));
    expect(error.message).toMatch(LISTING);
    expect(error.message).toMatch(/the next link does not advance \(page \S+ links to itself\)\. Bitbucket answered inconsistent pages: retry later/);
    expect(requests).toBe(1);
  });

  test("a next link back to a page already read: an error after 2 requests", async () => {
    await nextLink("repeat");
    const { error, requests } = await failure(() => read(client()));
    expect(error.message).toMatch(LISTING);
    expect(error.message).toMatch(/page http:\/\/127\.0\.0\.1:\d+\/2\.0\/\S+\?pagelen=100\S* was already read \(the next links loop\)/);
    expect(requests).toBe(2);
  });

  test("next links that never end: an error once the page limit is read (5 here)", async () => {
    await nextLink("endless");
    const { error, requests } = await failure(() => read(client(5)));
    expect(error.message).toMatch(LISTING);
    expect(error.message).toMatch(/more than 5 pages\. No list this tool reads should be that long/);
    expect(error.pages).toBe(5);
    expect(requests).toBe(5);
  });
});

describe.each(Object.entries(COUNTS))("%s", (_name, count) => {
  test("is one request for a one-value page, whatever its next link says", async () => {
    for (const how of ["self", "repeat", "endless"] as const) {
      await nextLink(how);
      await clearCounters(emu);
      expect(await count(client(5))).toBeGreaterThan(0);
      expect((await counters(emu)).total).toBe(1);
    }
  });
});

describe("the limits", () => {
  test(`the default limit is ${MAX_PAGES} pages`, async () => {
    await nextLink("endless", MAX_PAGES + 10);
    const { error, requests } = await failure(() => client().api.listRepositories(ws));
    expect(error.message).toMatch(new RegExp(`more than ${MAX_PAGES} pages`));
    expect(requests).toBe(MAX_PAGES);
  });

  test("an empty page with a next link does not advance: an error after 1 request", async () => {
    const empty = await asOwner(emu, "POST", `/repositories/${ws}/no-hooks-here`, {});
    expect(empty.status).toBe(200);
    await nextLink("endless");
    const { error, requests } = await failure(() => client().api.listHooks(ws, "no-hooks-here"));
    expect(error.message).toMatch(/the next link does not advance \(page \S+\/hooks\?pagelen=100 has no values but links to \S+&page=2\)/);
    expect(requests).toBe(1);
  });

  test("a limit on the values still stops before a next link is judged", async () => {
    await nextLink("self");
    await clearCounters(emu);
    expect(await client().reads.branches(ws, repo, { limit: 1 })).toHaveLength(1);
    expect((await counters(emu)).total).toBe(1);
  });
});

describe("what reads lists fails instead of spinning", () => {
  test("a read function (getWorkspaceRepositories)", async () => {
    await nextLink("repeat");
    const { error, requests } = await failure(() => getWorkspaceRepositories({ workspace: ws }, { client: client() }));
    expect(error.message).toMatch(/was already read/);
    expect(requests).toBe(2);
  });

  test("import's read of a workspace", async () => {
    await nextLink("self");
    const { error, requests } = await failure(() => readWorkspace(client().api, { workspace: ws }));
    expect(error.message).toMatch(/GET \S+\/repositories\/acme\?pagelen=100: pagination did not end/);
    expect(requests).toBe(1);
  });

  test("drift's search of unmanaged objects", async () => {
    const live = {
      id: REPOSITORIES.platformApi.uuid,
      outputs: { workspace: ws, uuid: REPOSITORIES.platformApi.uuid, slug: repo, projectKey: PROJECTS.plat.key },
    };
    const stackRepo = { urn: "urn:repo", name: "repo", type: "bitbucket:Repository", kind: "Repository", status: "in sync", differences: [], live };
    await nextLink("endless");
    const { error, requests } = await failure(() => findUnmanaged(client(5).api, [stackRepo] as unknown as Parameters<typeof findUnmanaged>[1]));
    expect(error.message).toMatch(/more than 5 pages/);
    expect(requests).toBe(5);
  });

  test("a resource's read (RepositoryAccess lists its grants)", async () => {
    useOwner(emu, { ...FAST, maxPages: 5 });
    const id = `${ws}/${REPOSITORIES.platformApi.uuid}`;
    await nextLink("endless");
    const { error, requests } = await failure(() => provider("RepositoryAccess").read(id, { workspace: ws, repository: repo, groups: {}, users: {} }));
    expect(error.message).toMatch(/permissions-config\/(groups|users)\?pagelen=100: pagination did not end: more than 5 pages/);
    // The two collections are listed at once: each stops at its limit.
    expect(requests).toBeLessThanOrEqual(10);
  });
});

describe("the tests' own client follows next by the same rule", () => {
  test("a cycle is an error, not a loop", async () => {
    const api = new EmulatorClient(emu.apiUrl);
    expect((await api.listAll(`/repositories/${ws}?pagelen=100`)).length).toBeGreaterThan(1);
    await nextLink("repeat");
    await expect(api.listAll(`/repositories/${ws}?pagelen=100`)).rejects.toThrow(/was already read/);
    await nextLink("endless");
    await expect(api.listAll(`/repositories/${ws}?pagelen=100`, { maxPages: 3 })).rejects.toThrow(/more than 3 pages/);
  });
});
