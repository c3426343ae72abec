// getRepository, getWorkspaceRepositories, getForks, getWatchers against the emulator's seed.
import * as pulumi from "@pulumi/pulumi";
import { REPOSITORIES, USERS, WORKSPACES } from "../../../emulator";
import { getForks, getRepository, getRepositoryOutput, getWatchers, getWorkspaceRepositories, getWorkspaceRepositoriesOutput } from "../../../provider";
import { BitbucketApiError } from "../../../provider/client";
import { asOwner } from "../helpers";
import { withEmulator, withRequests } from "./helpers";

const setup = withEmulator();
const opts = () => ({ client: setup.client });
const api = REPOSITORIES.platformApi;
const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe("getRepository", () => {
  test("every field of the repository, with its fork and watcher counts read as one-value pages", async () => {
    const { result, sent } = await withRequests(setup.emu, () => getRepository({ workspace: "acme", repository: "platform-api" }, opts()));
    expect(result).toMatchObject({
      uuid: api.uuid,
      slug: "platform-api",
      name: "platform-api",
      fullName: "acme/platform-api",
      workspace: "acme",
      description: "The platform's public API",
      isPrivate: true,
      forkPolicy: "allow_forks",
      language: "typescript",
      scm: "git",
      projectKey: "PLAT",
      projectName: "Platform",
      mainBranch: "main",
      owner: { uuid: WORKSPACES.acme.uuid, type: "team" },
      createdOn: "2020-02-01T10:00:00.000000+00:00",
      forksCount: 1,
      watchersCount: 3,
    });
    expect(result.size).toBeGreaterThan(0);
    expect(result.htmlUrl).toBe(`${setup.emu.url}/acme/platform-api`);
    expect(result.cloneUrlHttps).toBe(`${setup.emu.url}/acme/platform-api.git`);
    expect(result.cloneUrlSsh).toMatch(/acme\/platform-api\.git$/);
    expect(sent.sort()).toEqual([
      "GET /2.0/repositories/acme/platform-api",
      "GET /2.0/repositories/acme/platform-api/forks?pagelen=1",
      "GET /2.0/repositories/acme/platform-api/watchers?pagelen=1",
    ]);
  });

  test("a fork names its parent", async () => {
    const fork = await getRepository("acme/platform-api-experiments", opts());
    expect(fork).toMatchObject({ parentFullName: "acme/platform-api", parentUuid: api.uuid, forksCount: 0 });
  });

  test.each([
    ["workspace + {uuid}", { workspace: "acme", repository: api.uuid }],
    ["workspace/slug", "acme/platform-api"],
    ["a bitbucket.org URL", "https://bitbucket.org/acme/platform-api"],
    ["a bitbucket.org URL of a page inside", "https://bitbucket.org/acme/platform-api/src/main/README.md"],
    ["an https clone URL", "https://someone@bitbucket.org/acme/platform-api.git"],
    ["an ssh clone URL", "git@bitbucket.org:acme/platform-api.git"],
    ["workspace/slug with the same workspace given", { workspace: "acme", repository: "acme/platform-api" }],
  ])("found by %s", async (_how, args) => {
    expect((await getRepository(args, opts())).uuid).toBe(api.uuid);
  });

  test("found by the web URL of the configured API's host (the emulator's links)", async () => {
    const { htmlUrl } = await getRepository("acme/website", opts());
    expect((await getRepository(htmlUrl!, opts())).fullName).toBe("acme/website");
  });

  test("a missing repository is an error naming it, with status 404", async () => {
    const err = await getRepository("acme/no-such-repo", opts()).catch((e) => e);
    expect(err).toBeInstanceOf(BitbucketApiError);
    expect(err.status).toBe(404);
    expect(err.message).toMatch(/Repository acme\/no-such-repo was not found, or these credentials cannot see it/);
  });

  test.each([
    [{ repository: "platform-api" }, /getRepository: repository is a slug or \{uuid\}: workspace is required too/],
    [{ workspace: "acme", repository: ".." }, /getRepository: repository must be a repository slug/],
    [{ workspace: "acme", repository: "globex/core-services" }, /names workspace "globex" but workspace is "acme"/],
    [
      { repository: "acme/platform-api/forks" },
      /getRepository: repository must be a slug or \{uuid\} \(with workspace\), workspace\/slug, or a bitbucket.org URL/,
    ],
    [{ repository: "https://github.com/acme/platform-api" }, /getRepository: repository is a URL of github.com, not of bitbucket.org/],
    [{ workspace: "../x", repository: "platform-api" }, /getRepository: .*workspace must be a workspace slug/],
    [{ repository: "acme/platform-api", limit: 3 }, /getRepository: .*Unknown argument\(s\): limit/],
    ["acme/plat form", /getRepository: repository must be a repository slug/],
  ])("refused before any request: %j", async (args, message) => {
    const { result, sent } = await withRequests(setup.emu, () => getRepository(args as never, opts()).catch((e: Error) => e));
    expect((result as Error).message).toMatch(message);
    expect(sent).toEqual([]);
  });

  test("getRepositoryOutput takes Outputs and gives an Output of the result", async () => {
    const result = await value(getRepositoryOutput({ workspace: pulumi.output("acme"), repository: pulumi.output(api.uuid) }, opts()));
    expect(result).toMatchObject({ fullName: "acme/platform-api", watchersCount: 3 });
    expect((await value(getRepositoryOutput(pulumi.output("acme/website"), opts()))).name).toBe("Website");
  });
});

describe("getWorkspaceRepositories", () => {
  test("every repository of the workspace, filtered with q and sorted", async () => {
    const all = await getWorkspaceRepositories({ workspace: "acme" }, opts());
    expect(all.repositories.map((r) => r.fullName).sort()).toEqual(["acme/platform-api", "acme/platform-api-experiments", "acme/website"]);
    const plat = await getWorkspaceRepositories({ workspace: "acme", q: 'project.key = "PLAT"', sort: "-name" }, opts());
    expect(plat.repositories.map((r) => r.slug)).toEqual(["platform-api-experiments", "platform-api"]);
  });

  test("role narrows to the repositories the caller holds that role on", async () => {
    const alice = setup.clientAs({ kind: "basic", email: USERS.alice.email, apiToken: "alice-api-token" });
    const { result, sent } = await withRequests(setup.emu, () => getWorkspaceRepositories({ workspace: "acme", role: "admin" }, { client: alice }));
    expect(sent).toEqual(["GET /2.0/repositories/acme?pagelen=100&role=admin"]);
    expect(result.repositories).toEqual([]);
    const member = await getWorkspaceRepositories({ workspace: "acme", role: "member" }, { client: alice });
    expect(member.repositories.map((r) => r.slug).sort()).toEqual(["platform-api", "platform-api-experiments", "website"]);
  });

  test("pagination over several pages, and a limit that stops early", async () => {
    // 130 more repositories: two pages of 100.
    for (let i = 0; i < 130; i++) {
      const res = await asOwner(setup.emu, "POST", `/repositories/acme/bulk-${String(i).padStart(3, "0")}`, { scm: "git", is_private: true });
      expect(res.status).toBe(200);
    }
    const all = await withRequests(setup.emu, () => getWorkspaceRepositories({ workspace: "acme" }, opts()));
    expect(all.result.repositories).toHaveLength(133);
    expect(new Set(all.result.repositories.map((r) => r.uuid)).size).toBe(133);
    expect(all.sent).toHaveLength(2);
    expect(all.sent[1]).toMatch(/page=2/);

    const some = await withRequests(setup.emu, () => getWorkspaceRepositories({ workspace: "acme", q: 'name ~ "bulk-"', sort: "name", limit: 102 }, opts()));
    expect(some.result.repositories.map((r) => r.slug).slice(0, 2)).toEqual(["bulk-000", "bulk-001"]);
    expect(some.result.repositories).toHaveLength(102);
    expect(some.sent).toHaveLength(2);

    const few = await withRequests(setup.emu, () => getWorkspaceRepositories({ workspace: "acme", limit: 5 }, opts()));
    expect(few.result.repositories).toHaveLength(5);
    expect(few.sent).toEqual(["GET /2.0/repositories/acme?pagelen=5"]);
    setup.emu.reset();
  });

  test("bad arguments name the field", async () => {
    await expect(getWorkspaceRepositories({ workspace: "acme", limit: 0 }, opts())).rejects.toThrow(/getWorkspaceRepositories: .*limit/);
    await expect(getWorkspaceRepositories({ workspace: "acme", role: "boss" as never }, opts())).rejects.toThrow(
      /getWorkspaceRepositories: .*role must be one of member, contributor, admin, owner/,
    );
  });

  test("the Output form", async () => {
    const out = getWorkspaceRepositoriesOutput({ workspace: pulumi.output("acme"), q: 'name = "Website"' }, opts());
    expect((await value(out)).repositories.map((r) => r.slug)).toEqual(["website"]);
  });
});

describe("getForks and getWatchers", () => {
  test("the forks of a repository, in full", async () => {
    const { forks } = await getForks({ workspace: "acme", repository: "website" }, opts());
    expect(forks.map((f) => f.fullName)).toEqual(["globex/website-fork"]);
    expect(forks[0]).toMatchObject({ parentFullName: "acme/website", workspace: "globex", isPrivate: false });
  });

  test("the watchers of a repository, with their account ids", async () => {
    const { watchers } = await getWatchers({ repository: "acme/platform-api" }, opts());
    expect(watchers.map((w) => w.accountId)).toEqual([USERS.acmeOwner.account_id, USERS.alice.account_id, USERS.bob.account_id]);
    expect(watchers[1]).toMatchObject({ displayName: "Alice Anders", nickname: "alice", uuid: USERS.alice.uuid });
    const two = await getWatchers({ repository: "acme/platform-api", limit: 2 }, opts());
    expect(two.watchers).toHaveLength(2);
  });

  test("of a missing repository: an error naming it", async () => {
    await expect(getForks({ repository: "acme/gone" }, opts())).rejects.toThrow(/Repository acme\/gone was not found/);
    await expect(getWatchers({ workspace: "acme", repository: "gone" }, opts())).rejects.toThrow(/Repository acme\/gone was not found/);
  });
});
