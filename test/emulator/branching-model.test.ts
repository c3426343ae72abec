import { CREDENTIALS, PROJECTS, REPOSITORIES } from "../../emulator/seed";
import { expectMatchesSchema } from "./spec-conformance";
import { useSeededEmulator } from "./suite";

const REPO = "/repositories/acme/platform-api";
const SETTINGS = `${REPO}/branching-model/settings`;
const PROJECT = `/workspaces/acme/projects/${PROJECTS.plat.key}`;
const PROJECT_SETTINGS = `${PROJECT}/branching-model/settings`;

const ctx = useSeededEmulator("branching-model");
const call = ctx.call;

const DEFAULT_TYPES = [
  { kind: "feature", prefix: "feature/", enabled: true },
  { kind: "bugfix", prefix: "bugfix/", enabled: true },
  { kind: "release", prefix: "release/", enabled: true },
  { kind: "hotfix", prefix: "hotfix/", enabled: true },
];

test("a repository starts with Bitbucket's defaults: main branch for both, production disabled, four types, branches kept", async () => {
  const res = await call("GET", SETTINGS);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    type: "branching_model_settings",
    development: { use_mainbranch: true, is_valid: true },
    production: { use_mainbranch: true, enabled: false, is_valid: true },
    branch_types: DEFAULT_TYPES,
    default_branch_deletion: "false",
  });
  expect(res.body.development.name).toBeUndefined();
});

test("PUT changes only the properties passed and answers the settings; GET reads them back (by the repository's UUID too)", async () => {
  const res = await call("PUT", SETTINGS, {
    development: { use_mainbranch: false, name: "develop" },
    branch_types: [
      { kind: "hotfix", prefix: "fix/" },
      { kind: "release", enabled: false },
    ],
    default_branch_deletion: "true",
  });
  expect(res.status).toBe(200);
  expect(res.body.development).toEqual({ use_mainbranch: false, name: "develop", is_valid: true });
  expect(res.body.production).toEqual({ use_mainbranch: true, enabled: false, is_valid: true });
  expect(res.body.branch_types).toEqual([
    DEFAULT_TYPES[0],
    DEFAULT_TYPES[1],
    { ...DEFAULT_TYPES[2], enabled: false },
    { kind: "hotfix", prefix: "fix/", enabled: true },
  ]);
  expect(res.body.default_branch_deletion).toBe("true");
  const byUuid = await call("GET", `/repositories/acme/${encodeURIComponent(REPOSITORIES.platformApi.uuid)}/branching-model/settings`);
  expect(byUuid.body.branch_types).toEqual(res.body.branch_types);
  // A boolean is taken too; any other value is ignored, as the spec says.
  expect((await call("PUT", SETTINGS, { default_branch_deletion: false })).body.default_branch_deletion).toBe("false");
  expect((await call("PUT", SETTINGS, { default_branch_deletion: "maybe" })).body.default_branch_deletion).toBe("false");
});

test("use_mainbranch true drops the name; a production branch is enabled with a name", async () => {
  await call("PUT", SETTINGS, { development: { use_mainbranch: false, name: "develop" } });
  expect((await call("PUT", SETTINGS, { development: { use_mainbranch: true } })).body.development).toEqual({ use_mainbranch: true, is_valid: true });
  const prod = await call("PUT", SETTINGS, { production: { use_mainbranch: false, name: "develop", enabled: true } });
  expect(prod.body.production).toEqual({ use_mainbranch: false, name: "develop", enabled: true, is_valid: true });
});

test.each([
  ["an unknown kind", { branch_types: [{ kind: "chore", prefix: "chore/" }] }, /branch_types\[0\]\.kind: unknown kind "chore"/],
  ["a kind listed twice", { branch_types: [{ kind: "feature" }, { kind: "feature" }] }, /branch_types\[1\]\.kind: feature is listed twice/],
  ["an enabled type without prefix", { branch_types: [{ kind: "feature", prefix: "", enabled: true }] }, /enabled feature type must not be empty/],
  ["an enabled type with '*' in its prefix", { branch_types: [{ kind: "bugfix", prefix: "bug*/" }] }, /enabled bugfix type must not contain/],
  [
    "a prefix beginning another",
    { branch_types: [{ kind: "hotfix", prefix: "feature/hot" }] },
    /enabled feature type begins the prefix of the enabled hotfix type/,
  ],
  [
    "a name with use_mainbranch true",
    { development: { use_mainbranch: true, name: "develop" } },
    /development\.name: must be null when use_mainbranch is true/,
  ],
  ["no name with use_mainbranch false", { development: { use_mainbranch: false } }, /development\.name: must name a branch/],
  ["a branch that does not exist", { development: { use_mainbranch: false, name: "nope" } }, /development\.name: branch nope does not exist/],
  ["an invalid branch name", { production: { use_mainbranch: false, name: "a..b", enabled: true } }, /production\.name: must not contain two dots in a row/],
  ["a non-boolean enabled", { production: { enabled: "yes" } }, /production\.enabled: must be a boolean/],
])("PUT with %s is refused with 400 and changes nothing", async (_what, body, message) => {
  const res = await call("PUT", SETTINGS, body);
  expect(res.status).toBe(400);
  expect(res.body.error.message).toMatch(message);
  expect((await call("GET", SETTINGS)).body.branch_types).toEqual(DEFAULT_TYPES);
});

test("a disabled type may keep an invalid prefix; a disabled production may name a missing branch", async () => {
  const res = await call("PUT", SETTINGS, {
    branch_types: [{ kind: "feature", prefix: "", enabled: false }],
    production: { use_mainbranch: false, name: "gone", enabled: false },
  });
  expect(res.status).toBe(200);
  expect(res.body.branch_types[0]).toEqual({ kind: "feature", prefix: "", enabled: false });
  expect(res.body.production).toEqual({ use_mainbranch: false, name: "gone", enabled: false, is_valid: false });
});

test("settings need admin on the repository (403); the model in force needs read", async () => {
  // alice writes to platform-api.
  expect((await call("GET", SETTINGS, undefined, CREDENTIALS.alice)).status).toBe(403);
  expect((await call("PUT", SETTINGS, { default_branch_deletion: "true" }, CREDENTIALS.alice)).status).toBe(403);
  expect((await call("GET", `${REPO}/effective-branching-model`, undefined, CREDENTIALS.alice)).status).toBe(200);
});

test("the model in force: the project's while the repository inherits, its own once it overrides; enabled types only", async () => {
  await call("PUT", PROJECT_SETTINGS, {
    branch_types: [{ kind: "bugfix", enabled: false }],
    production: { use_mainbranch: false, name: "prod", enabled: true },
  });
  await call("PUT", SETTINGS, { development: { use_mainbranch: false, name: "develop" } });
  const inherited = await call("GET", `${REPO}/effective-branching-model`);
  expect(inherited.body).toEqual({
    type: "effective_repo_branching_model",
    // The project's production branch does not exist in the repository: the main branch stands in.
    development: { name: "main", use_mainbranch: true },
    production: { name: "main", use_mainbranch: false },
    branch_types: [
      { kind: "feature", prefix: "feature/" },
      { kind: "release", prefix: "release/" },
      { kind: "hotfix", prefix: "hotfix/" },
    ],
  });
  await call("PUT", `${REPO}/override-settings`, { override_settings: { branching_model: true } });
  const own = await call("GET", `${REPO}/branching-model`);
  expect(own.body).toMatchObject({ type: "branching_model", development: { name: "develop", use_mainbranch: false } });
  expect(own.body.production).toBeUndefined();
  expect(own.body.branch_types).toHaveLength(4);
});

test("a project's settings: any branch name is taken; the project's model lists the enabled types", async () => {
  const res = await call("PUT", PROJECT_SETTINGS, {
    development: { use_mainbranch: false, name: "develop" },
    branch_types: [{ kind: "release", enabled: false }],
  });
  expect(res.status).toBe(200);
  expect(res.body.development).toEqual({ use_mainbranch: false, name: "develop", is_valid: true });
  expect((await call("GET", PROJECT_SETTINGS)).body).toEqual(res.body);
  const model = await call("GET", `${PROJECT}/branching-model`);
  expect(model.body).toEqual({
    type: "project_branching_model",
    development: { name: "develop", use_mainbranch: false },
    branch_types: [
      { kind: "feature", prefix: "feature/" },
      { kind: "bugfix", prefix: "bugfix/" },
      { kind: "hotfix", prefix: "hotfix/" },
    ],
  });
  expect((await call("PUT", PROJECT_SETTINGS, { branch_types: [{ kind: "epic" }] })).status).toBe(400);
});

test("a project's model tracking the main branch has no name (spec gap: the spec requires a string)", async () => {
  const res = await ctx.api.request("GET", `${PROJECT}/branching-model`);
  expect(res.body.development).toEqual({ use_mainbranch: true });
  expectMatchesSchema(
    res,
    { type: "object", required: ["type", "development", "branch_types"], properties: { development: { type: "object", required: ["use_mainbranch"] } } },
    "project_branching_model without development.name",
    "a project has no main branch to name",
  );
});

test("a project that does not exist answers 404; project settings need a project admin (403)", async () => {
  for (const path of ["/workspaces/acme/projects/NOPE/branching-model/settings", "/workspaces/acme/projects/NOPE/branching-model"])
    expect((await call("GET", path)).status).toBe(404);
  expect((await call("PUT", "/workspaces/acme/projects/NOPE/branching-model/settings", {})).status).toBe(404);
  expect((await call("PUT", PROJECT_SETTINGS, { default_branch_deletion: "true" }, CREDENTIALS.bob)).status).toBe(403);
});
