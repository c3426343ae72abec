// Branch restrictions: every rule of the spec's POST text has a test here, every answer checked against the spec.
import { CREDENTIALS, GROUPS, USERS } from "../../emulator/seed";
import { loadSpec } from "../../emulator/spec";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("branch-restrictions");
const call = ctx.call;
const LIST = "/repositories/acme/platform-api/branch-restrictions";

async function createRestriction(body: Record<string, unknown>) {
  const res = await call("POST", LIST, body);
  expect(res.status).toBe(201);
  return res;
}

const refusal = async (body: Record<string, unknown>, status = 400) => {
  const res = await call("POST", LIST, body);
  expect(res.status).toBe(status);
  return String(res.body.error.message);
};

test("POST creates with 201 and a Location; users come back as accounts, groups as groups", async () => {
  const res = await createRestriction({
    kind: "push",
    branch_match_kind: "glob",
    pattern: "main",
    users: [{ account_id: USERS.alice.account_id }, { uuid: USERS.bob.uuid }],
    groups: [{ slug: GROUPS.developers }],
  });
  expect(res.body).toMatchObject({ type: "branchrestriction", kind: "push", branch_match_kind: "glob", pattern: "main" });
  expect(res.body.users.map((u: { uuid: string; account_id: string }) => [u.uuid, u.account_id])).toEqual([
    [USERS.alice.uuid, USERS.alice.account_id],
    [USERS.bob.uuid, USERS.bob.account_id],
  ]);
  expect(res.body.groups.map((g: { slug: string }) => g.slug)).toEqual([GROUPS.developers]);
  expect(res.body).not.toHaveProperty("value");
  expect(res.headers.get("location")).toBe(`${ctx.emu.apiUrl}${LIST}/${res.body.id}`);
  expect((await call("GET", `${LIST}/${res.body.id}`)).body).toEqual(res.body);
});

test("GET lists, filtered by kind and by pattern", async () => {
  await createRestriction({ kind: "delete", pattern: "main" });
  await createRestriction({ kind: "force", pattern: "main" });
  await createRestriction({ kind: "force", pattern: "release/*" });
  const kinds = async (query: string) =>
    (await call("GET", `${LIST}${query}`)).body.values.map((r: { kind: string; pattern: string }) => `${r.kind} ${r.pattern}`);
  expect(await kinds("")).toEqual(["delete main", "force main", "force release/*"]);
  expect(await kinds("?kind=force")).toEqual(["force main", "force release/*"]);
  expect(await kinds("?pattern=main")).toEqual(["delete main", "force main"]);
});

test("every kind of the spec's enum is accepted (with a value where it takes one)", async () => {
  const own = loadSpec().definitions.branchrestriction.allOf[1].properties;
  const valued = ["require_approvals_to_merge", "require_default_reviewer_approvals_to_merge", "require_passing_builds_to_merge", "require_commits_behind"];
  for (const kind of own.kind.enum as string[]) {
    const exempt = kind === "push" || kind === "restrict_merges" ? { users: [], groups: [] } : {};
    const res = await createRestriction({ kind, pattern: "main", ...(valued.includes(kind) ? { value: 2 } : {}), ...exempt });
    expect(res.body.kind).toBe(kind);
  }
  expect(await refusal({ kind: "forbid_everything", pattern: "main" })).toMatch(/^kind: must be one of push, /);
});

test("value is required by the kinds that take one and refused by the others", async () => {
  expect(await refusal({ kind: "require_approvals_to_merge", pattern: "main" })).toBe("value: is required for require_approvals_to_merge");
  expect(await refusal({ kind: "delete", pattern: "main", value: 1 })).toBe("value: delete takes no value");
  expect(await refusal({ kind: "require_passing_builds_to_merge", pattern: "main", value: -1 })).toBe("value: must be a non-negative integer");
  expect((await createRestriction({ kind: "require_approvals_to_merge", pattern: "main", value: 2 })).body.value).toBe(2);
});

test("a glob needs a pattern and no branch type; a branching model needs a branch type and no pattern", async () => {
  expect(await refusal({ kind: "delete", branch_match_kind: "glob" })).toMatch(/^pattern: is required/);
  expect(await refusal({ kind: "delete", pattern: "main", branch_type: "production" })).toMatch(
    /^branch_type: is only allowed when branch_match_kind is branching_model/,
  );
  expect(await refusal({ kind: "delete", branch_match_kind: "branching_model", pattern: "main", branch_type: "production" })).toMatch(
    /^pattern: is only allowed/,
  );
  expect(await refusal({ kind: "delete", branch_match_kind: "branching_model" })).toMatch(/^branch_type: is required/);
  expect(await refusal({ kind: "delete", branch_match_kind: "branching_model", branch_type: "trunk" })).toMatch(/^branch_type: must be one of feature, /);
  const model = await createRestriction({ kind: "delete", branch_match_kind: "branching_model", branch_type: "production" });
  expect(model.body).toMatchObject({ branch_match_kind: "branching_model", branch_type: "production", pattern: "" });
});

test("users and groups: only on push and restrict_merges, which require both; members and existing groups only", async () => {
  expect(await refusal({ kind: "delete", pattern: "main", users: [{ uuid: USERS.alice.uuid }] })).toBe(
    "users: delete has no exemptions (only push and restrict_merges do)",
  );
  expect(await refusal({ kind: "force", pattern: "main", groups: [{ slug: GROUPS.developers }] })).toMatch(/^groups: force has no exemptions/);
  expect(await refusal({ kind: "push", pattern: "main", groups: [] })).toMatch(/^users: is required for push/);
  expect(await refusal({ kind: "restrict_merges", pattern: "main", users: [] })).toMatch(/^groups: is required for restrict_merges/);
  expect(await refusal({ kind: "push", pattern: "main", users: [{ account_id: USERS.mallory.account_id }], groups: [] })).toBe(
    `users: ${USERS.mallory.account_id} is not a member of workspace acme`,
  );
  expect(await refusal({ kind: "push", pattern: "main", users: [], groups: [{ slug: "ghosts" }] })).toBe("groups: ghosts is not a group of workspace acme");
  expect(await refusal({ kind: "push", pattern: "main", users: [{ username: "alice" }], groups: [] })).toBe("users: each user needs a uuid or an account_id");
  // Empty lists deny everybody.
  expect((await createRestriction({ kind: "push", pattern: "main", users: [], groups: [] })).body).toMatchObject({ users: [], groups: [] });
});

test("kind + pattern (glob) and kind + branch type (branching model) are unique: a repeat answers 409 'already exists'", async () => {
  const first = await createRestriction({ kind: "delete", pattern: "main" });
  expect(await refusal({ kind: "delete", pattern: "main" }, 409)).toBe(
    `A branch restriction of kind delete on pattern main already exists (id ${first.body.id})`,
  );
  await createRestriction({ kind: "force", pattern: "main" });
  await createRestriction({ kind: "delete", pattern: "develop" });
  await createRestriction({ kind: "delete", branch_match_kind: "branching_model", branch_type: "production" });
  expect(await refusal({ kind: "delete", branch_match_kind: "branching_model", branch_type: "production" }, 409)).toMatch(/already exists/);
  // A PUT that would make a duplicate is refused too, and changes nothing.
  const develop = (await call("GET", `${LIST}?pattern=develop`)).body.values[0];
  expect((await call("PUT", `${LIST}/${develop.id}`, { pattern: "main" })).status).toBe(409);
  expect((await call("GET", `${LIST}/${develop.id}`)).body.pattern).toBe("develop");
});

test("PUT changes only the fields it names, under the same rules", async () => {
  const created = (await createRestriction({ kind: "push", pattern: "main", users: [{ uuid: USERS.alice.uuid }], groups: [] })).body;
  const path = `${LIST}/${created.id}`;
  const put = await call("PUT", path, { groups: [{ slug: GROUPS.developers }] });
  expect(put.status).toBe(200);
  expect(put.body.users.map((u: { uuid: string }) => u.uuid)).toEqual([USERS.alice.uuid]);
  expect(put.body.groups.map((g: { slug: string }) => g.slug)).toEqual([GROUPS.developers]);
  expect((await call("PUT", path, { value: 3 })).status).toBe(400);
  const approvals = (await createRestriction({ kind: "require_approvals_to_merge", pattern: "main", value: 2 })).body;
  expect((await call("PUT", `${LIST}/${approvals.id}`, { value: 1 })).body.value).toBe(1);
  expect((await call("PUT", `${LIST}/${approvals.id}`, { value: null })).status).toBe(400);
});

test("DELETE answers 204, then 404; unknown ids and repositories are 404; non-admins 403", async () => {
  const created = (await createRestriction({ kind: "delete", pattern: "main" })).body;
  const path = `${LIST}/${created.id}`;
  expect((await call("GET", path, undefined, CREDENTIALS.alice)).status).toBe(403);
  expect((await call("POST", LIST, { kind: "force", pattern: "main" }, CREDENTIALS.alice)).status).toBe(403);
  expect((await call("DELETE", path)).status).toBe(204);
  expect((await call("GET", path)).status).toBe(404);
  expect((await call("DELETE", path)).status).toBe(404);
  expect((await call("PUT", path, { pattern: "x" })).status).toBe(404);
  expect((await call("GET", `${LIST}/not-a-number`)).status).toBe(404);
  expect((await call("GET", "/repositories/acme/no-such-repo/branch-restrictions")).status).toBe(404);
});
