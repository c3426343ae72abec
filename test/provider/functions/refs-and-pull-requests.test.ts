// getBranches, getTags, getCommits and getPullRequests against the emulator's seed (platform-api:
// main and develop, tag v1.0.0, four commits, pull requests #1 merged, #2 open, #3 declined, #4
// superseded; website also has feature/dark-mode and release/2.x with a merge commit, and tag v2.0.0).
import { USERS } from "../../../emulator";
import { getBranches, getBranchesOutput, getCommits, getPullRequests, getTags } from "../../../provider";
import { withEmulator, withRequests } from "./helpers";

const setup = withEmulator();
const opts = () => ({ client: setup.client });
const repository = "acme/platform-api";

describe("getBranches and getTags", () => {
  test("the branches, each with the commit it points at", async () => {
    const { branches, workspace, repository: slug } = await getBranches({ repository }, opts());
    expect([workspace, slug]).toEqual(["acme", "platform-api"]);
    expect(branches.map((b) => b.name)).toEqual(["main", "develop"]);
    const [main, develop] = branches;
    expect(main.target).toMatchObject({ message: "Add CI pipeline\n", author: { accountId: USERS.acmeOwner.account_id } });
    expect(develop.target.parents).toEqual([main.target.hash]);
    expect(main).toMatchObject({ defaultMergeStrategy: "merge_commit", htmlUrl: `${setup.emu.url}/acme/platform-api/branch/main` });
  });

  test("q, sort and limit reach the API", async () => {
    const { result, sent } = await withRequests(setup.emu, () => getBranches({ repository, q: 'name = "develop"', sort: "-name", limit: 1 }, opts()));
    expect(result.branches.map((b) => b.name)).toEqual(["develop"]);
    expect(sent).toEqual([`GET /2.0/repositories/acme/platform-api/refs/branches?pagelen=1&q=name = "develop"&sort=-name`]);
  });

  test("the tags, with the tagged commit and the tag's message", async () => {
    const { tags } = await getTags({ workspace: "acme", repository: "platform-api" }, opts());
    expect(tags).toHaveLength(1);
    expect(tags[0]).toMatchObject({ name: "v1.0.0", message: "First release\n", target: { message: "Add CI pipeline\n" } });
  });

  test("branch names with a slash, two tags, a merge commit with two parents", async () => {
    const website = { repository: "acme/website" };
    const { branches } = await getBranches(website, opts());
    expect(branches.map((b) => b.name)).toEqual(["main", "develop", "feature/dark-mode", "release/2.x"]);
    const release = branches.find((b) => b.name === "release/2.x")!;
    expect(release.target.message).toBe("Merge branch 'feature/dark-mode' into release/2.x\n");
    expect(release.target.parents).toHaveLength(2);
    expect(release.target.parents).toContain(branches.find((b) => b.name === "feature/dark-mode")!.target.hash);
    const { tags } = await getTags({ ...website, sort: "-name" }, opts());
    expect(tags.map((t) => [t.name, t.target.hash])).toEqual([
      ["v2.0.0", release.target.hash],
      ["v1.0.0", branches[0].target.hash],
    ]);
  });

  test("of a missing repository: an error naming it", async () => {
    await expect(getBranches({ repository: "acme/nope" }, opts())).rejects.toThrow(/Repository acme\/nope was not found/);
    await expect(getTags({ repository: "acme/nope" }, opts())).rejects.toThrow(/Repository acme\/nope was not found/);
  });

  test("the Output form", async () => {
    const names = await new Promise<string[]>((resolve) => getBranchesOutput({ repository }, opts()).branches.apply((b) => resolve(b.map((x) => x.name))));
    expect(names).toEqual(["main", "develop"]);
  });
});

describe("getCommits", () => {
  test("newest first, each with its author, message and parents", async () => {
    const { commits } = await getCommits({ repository }, opts());
    expect(commits.map((c) => c.message)).toEqual(["Work in progress on the API\n", "Add CI pipeline\n", "Add service skeleton\n", "Initial commit\n"]);
    expect(commits[0]).toMatchObject({ author: { accountId: USERS.alice.account_id }, authorRaw: "Alice Anders <alice@acme.test>" });
    expect(commits[3].parents).toEqual([]);
    expect(commits[0].parents).toEqual([commits[1].hash]);
  });

  test("a limit: one page of that many (the default is 100)", async () => {
    const two = await withRequests(setup.emu, () => getCommits({ repository, limit: 2 }, opts()));
    expect(two.result.commits).toHaveLength(2);
    expect(two.sent).toEqual(["GET /2.0/repositories/acme/platform-api/commits?pagelen=2"]);
    const dflt = await withRequests(setup.emu, () => getCommits({ repository }, opts()));
    expect(dflt.sent).toEqual(["GET /2.0/repositories/acme/platform-api/commits?pagelen=100"]);
  });

  test("a revision and a path go into the request as one segment and a query parameter", async () => {
    // The revision is encoded as one path segment: a branch name with a slash stays one parameter.
    const sent = (await withRequests(setup.emu, () => getCommits({ repository, at: "feature/x", path: "src/app" }, opts()).catch(() => undefined))).sent;
    expect(sent[0]).toBe("GET /2.0/repositories/acme/platform-api/commits/feature%2Fx?pagelen=100&path=src/app");
  });

  test.each([
    [{ repository, at: ".." }, /getCommits: .*at must be a branch, tag or commit hash/],
    [{ repository, at: "main..develop" }, /at must be a branch, tag or commit hash/],
    [{ repository, at: "a b" }, /at must be a branch, tag or commit hash/],
    [{ repository, path: "src/../../x" }, /getCommits: .*path must be a path like/],
    [{ repository, limit: 1.5 }, /getCommits: .*limit/],
  ])("refused before any request: %j", async (args, message) => {
    const { result, sent } = await withRequests(setup.emu, () => getCommits(args as never, opts()).catch((e: Error) => e));
    expect((result as Error).message).toMatch(message);
    expect(sent).toEqual([]);
  });

  test("of a missing repository: an error naming it", async () => {
    await expect(getCommits({ repository: "acme/nope" }, opts())).rejects.toThrow(/Repository acme\/nope was not found/);
  });
});

describe("getCommits from a revision and by path (acme/website's history with its merge commit)", () => {
  // c1 Initial -> c2 skeleton -> c3 CI (main, v1.0.0) -> c4 (develop); c3 -> c5 dark mode (feature/dark-mode);
  // c3 -> c6 release prep; c7 merges c5 into c6 (release/2.x, v2.0.0).
  const website = { repository: "acme/website" };
  const SEEDED = {
    c1: "Initial commit\n",
    c2: "Add service skeleton\n",
    c3: "Add CI pipeline\n",
    c4: "Work in progress on the API\n",
    c5: "Dark mode\n",
    c6: "Prepare the 2.0 release\n",
    c7: "Merge branch 'feature/dark-mode' into release/2.x\n",
  };
  const names = (commits: { message?: string }[]) => commits.map((c) => Object.entries(SEEDED).find(([, m]) => m === c.message)?.[0] ?? c.message);
  const branchTip = async (name: string) => (await getBranches(website, opts())).branches.find((b) => b.name === name)!.target;

  test("from a branch: the commits reachable from it, newest first, the merge with both parents", async () => {
    const { commits } = await getCommits({ ...website, at: "release/2.x" }, opts());
    expect(names(commits)).toEqual(["c7", "c6", "c5", "c3", "c2", "c1"]);
    const byName = Object.fromEntries(commits.map((c) => [names([c])[0], c]));
    expect(byName.c7.parents).toEqual([byName.c6.hash, byName.c5.hash]);
    expect(byName.c5.parents).toEqual([byName.c3.hash]);
    expect(commits[0].hash).toBe((await branchTip("release/2.x")).hash);
    expect(names((await getCommits({ ...website, at: "develop" }, opts())).commits)).toEqual(["c4", "c3", "c2", "c1"]);
  });

  test("from a tag", async () => {
    expect(names((await getCommits({ ...website, at: "v1.0.0" }, opts())).commits)).toEqual(["c3", "c2", "c1"]);
    expect(names((await getCommits({ ...website, at: "v2.0.0" }, opts())).commits)).toEqual(["c7", "c6", "c5", "c3", "c2", "c1"]);
  });

  test("from a commit hash, full or abbreviated", async () => {
    const darkMode = await branchTip("feature/dark-mode");
    for (const at of [darkMode.hash, darkMode.hash.slice(0, 7)]) {
      const { commits } = await getCommits({ ...website, at }, opts());
      expect(names(commits)).toEqual(["c5", "c3", "c2", "c1"]);
      expect(commits[0].hash).toBe(darkMode.hash);
    }
  });

  test("with a path: only the commits that changed that file or a file under that directory", async () => {
    const from = (at: string | undefined, path: string) => getCommits({ ...website, at, path }, opts()).then((r) => names(r.commits));
    expect(await from("release/2.x", "src/theme")).toEqual(["c6", "c5"]);
    expect(await from("release/2.x", "src/theme/dark.css")).toEqual(["c5"]);
    expect(await from("release/2.x", "README.md")).toEqual(["c6", "c3", "c1"]);
    expect(await from("v1.0.0", "src")).toEqual(["c2"]);
    expect(await from(undefined, "docs")).toEqual(["c4", "c2"]);
    expect(await from("main", "src/theme")).toEqual([]);
  });

  test("a path with a limit: the newest that many", async () => {
    const { result, sent } = await withRequests(setup.emu, () => getCommits({ ...website, at: "release/2.x", path: "README.md", limit: 2 }, opts()));
    expect(names(result.commits)).toEqual(["c6", "c3"]);
    expect(sent).toEqual(["GET /2.0/repositories/acme/website/commits/release%2F2.x?pagelen=2&path=README.md"]);
  });

  test("a revision the repository lacks: an error naming it", async () => {
    await expect(getCommits({ ...website, at: "no-such-branch" }, opts())).rejects.toThrow(/acme\/website has no branch, tag or commit "no-such-branch"/);
  });
});

describe("getPullRequests", () => {
  test("open ones by default, as the API", async () => {
    const { pullRequests } = await getPullRequests({ repository }, opts());
    expect(pullRequests).toHaveLength(1);
    expect(pullRequests[0]).toMatchObject({
      id: 2,
      title: "API work",
      state: "OPEN",
      description: "Still in progress.",
      sourceBranch: "develop",
      destinationBranch: "main",
      sourceRepository: "acme/platform-api",
      author: { accountId: USERS.alice.account_id },
      draft: false,
      htmlUrl: `${setup.emu.url}/acme/platform-api/pull-requests/2`,
    });
  });

  test("by one state or several", async () => {
    expect((await getPullRequests({ repository, state: "MERGED" }, opts())).pullRequests.map((p) => p.id)).toEqual([1]);
    const { result, sent } = await withRequests(setup.emu, () => getPullRequests({ repository, state: ["OPEN", "MERGED"] }, opts()));
    expect(result.pullRequests.map((p) => p.id).sort()).toEqual([1, 2]);
    expect(sent).toEqual(["GET /2.0/repositories/acme/platform-api/pullrequests?pagelen=100&state=OPEN&state=MERGED"]);
    expect((await getPullRequests({ repository, state: "DECLINED" }, opts())).pullRequests.map((p) => [p.id, p.title])).toEqual([[3, "Switch to GraphQL"]]);
    expect((await getPullRequests({ repository, state: ["SUPERSEDED"] }, opts())).pullRequests.map((p) => p.id)).toEqual([4]);
  });

  test("an unknown state is refused, naming the field", async () => {
    await expect(getPullRequests({ repository, state: "open" as never }, opts())).rejects.toThrow(/getPullRequests: .*state/);
  });

  test("of a missing repository: an error naming it", async () => {
    await expect(getPullRequests({ repository: "acme/nope" }, opts())).rejects.toThrow(/Repository acme\/nope was not found/);
  });
});
