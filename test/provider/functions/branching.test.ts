// getEffectiveDefaultReviewers, getEffectiveBranchingModel and getProjectBranchingModel against the emulator.
import { REPOSITORIES, USERS } from "../../../emulator";
import { getEffectiveBranchingModel, getEffectiveBranchingModelOutput, getEffectiveDefaultReviewers, getProjectBranchingModel } from "../../../provider";
import { asOwner } from "../helpers";
import { withEmulator, withRequests } from "./helpers";

const setup = withEmulator();
const opts = () => ({ client: setup.client });
const platform = "/repositories/acme/platform-api";

describe("getEffectiveDefaultReviewers", () => {
  test("the repository's own reviewers, then its project's, each with where it comes from; one request", async () => {
    await asOwner(setup.emu, "PUT", `${platform}/default-reviewers/${encodeURIComponent(USERS.alice.uuid)}`);
    await asOwner(setup.emu, "PUT", `/workspaces/acme/projects/PLAT/default-reviewers/${encodeURIComponent(USERS.bob.uuid)}`);
    const { result, sent } = await withRequests(setup.emu, () => getEffectiveDefaultReviewers({ repository: "acme/platform-api" }, opts()));
    expect(result).toEqual({
      workspace: "acme",
      repository: "platform-api",
      reviewers: [
        expect.objectContaining({ accountId: USERS.alice.account_id, uuid: USERS.alice.uuid, reviewerType: "repository" }),
        expect.objectContaining({ accountId: USERS.bob.account_id, uuid: USERS.bob.uuid, reviewerType: "project" }),
      ],
    });
    expect(sent).toEqual(["GET /2.0/repositories/acme/platform-api/effective-default-reviewers?pagelen=100"]);
    expect((await getEffectiveDefaultReviewers({ repository: "acme/platform-api", limit: 1 }, opts())).reviewers).toHaveLength(1);
  });

  test("a repository that does not exist is an error naming it", async () => {
    await expect(getEffectiveDefaultReviewers({ repository: "acme/nope" }, opts())).rejects.toThrow(/acme\/nope was not found/);
  });
});

describe("getEffectiveBranchingModel", () => {
  test("the project's model while the repository inherits, its own once it overrides; enabled types only", async () => {
    await asOwner(setup.emu, "PUT", "/workspaces/acme/projects/PLAT/branching-model/settings", { branch_types: [{ kind: "bugfix", enabled: false }] });
    await asOwner(setup.emu, "PUT", `${platform}/branching-model/settings`, { development: { use_mainbranch: false, name: "develop" } });
    const inherited = await getEffectiveBranchingModel({ workspace: "acme", repository: REPOSITORIES.platformApi.uuid }, opts());
    expect(inherited).toEqual({
      workspace: "acme",
      repository: REPOSITORIES.platformApi.uuid,
      development: { name: "main", useMainbranch: true },
      branchTypes: { feature: "feature/", release: "release/", hotfix: "hotfix/" },
    });
    await asOwner(setup.emu, "PUT", `${platform}/override-settings`, { override_settings: { branching_model: true } });
    const own = await new Promise((resolve) => getEffectiveBranchingModelOutput({ repository: "acme/platform-api" }, opts()).apply(resolve));
    expect(own).toMatchObject({ development: { name: "develop", useMainbranch: false }, branchTypes: { feature: "feature/", bugfix: "bugfix/" } });
  });

  test("an invalid repository is refused, naming the field", async () => {
    await expect(getEffectiveBranchingModel({ workspace: "a/b", repository: "x" }, opts())).rejects.toThrow(/getEffectiveBranchingModel: .*workspace/);
  });
});

describe("getProjectBranchingModel", () => {
  test("a project's model: a setting tracking the main branch has no name; production only when enabled", async () => {
    await asOwner(setup.emu, "PUT", "/workspaces/acme/projects/WEB/branching-model/settings", {
      production: { use_mainbranch: false, name: "prod", enabled: true },
    });
    expect(await getProjectBranchingModel({ workspace: "acme", key: "WEB" }, opts())).toEqual({
      workspace: "acme",
      key: "WEB",
      development: { useMainbranch: true },
      production: { name: "prod", useMainbranch: false },
      branchTypes: { feature: "feature/", bugfix: "bugfix/", release: "release/", hotfix: "hotfix/" },
    });
  });

  test("a project that does not exist: 404; a key that is not one is refused, naming the field", async () => {
    await expect(getProjectBranchingModel({ workspace: "acme", key: "NOPE" }, opts())).rejects.toMatchObject({ status: 404 });
    await expect(getProjectBranchingModel({ workspace: "acme", key: "not a key" }, opts())).rejects.toThrow(/getProjectBranchingModel: .*key/);
  });
});
