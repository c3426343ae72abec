import { CREDENTIALS, REPOSITORIES, USERS } from "../../emulator/seed";
import { useSeededEmulator } from "./suite";

const REVIEWERS = "/repositories/acme/platform-api/default-reviewers";
const reviewer = (user: string) => `${REVIEWERS}/${encodeURIComponent(user)}`;

const ctx = useSeededEmulator("default-reviewers");
const call = ctx.call;

const listed = async (path = REVIEWERS) => (await call("GET", path)).body.values.map((u: { uuid: string }) => u.uuid);

test("PUT adds a user by account id or {uuid}, answering the account; the list and GET read it back", async () => {
  const byAccountId = await call("PUT", reviewer(USERS.alice.account_id));
  expect(byAccountId.status).toBe(200);
  expect(byAccountId.body).toMatchObject({ type: "user", uuid: USERS.alice.uuid, account_id: USERS.alice.account_id });
  expect((await call("PUT", reviewer(USERS.bob.uuid))).body).toMatchObject({ uuid: USERS.bob.uuid });
  expect(await listed()).toEqual([USERS.alice.uuid, USERS.bob.uuid]);
  expect((await call("GET", reviewer(USERS.alice.uuid))).body.account_id).toBe(USERS.alice.account_id);
  expect((await call("GET", reviewer(USERS.bob.account_id))).status).toBe(200);
  // Addressed by the repository's UUID too.
  expect(await listed(`/repositories/acme/${encodeURIComponent(REPOSITORIES.platformApi.uuid)}/default-reviewers`)).toEqual([USERS.alice.uuid, USERS.bob.uuid]);
});

test("PUT is idempotent: adding a user twice lists them once", async () => {
  await call("PUT", reviewer(USERS.alice.account_id));
  expect((await call("PUT", reviewer(USERS.alice.uuid))).status).toBe(200);
  expect(await listed()).toEqual([USERS.alice.uuid]);
});

test("DELETE removes a reviewer; GET and DELETE of a user who is not one answer 404", async () => {
  await call("PUT", reviewer(USERS.alice.account_id));
  expect((await call("DELETE", reviewer(USERS.alice.uuid))).status).toBe(204);
  expect(await listed()).toEqual([]);
  expect((await call("GET", reviewer(USERS.alice.uuid))).status).toBe(404);
  expect((await call("DELETE", reviewer(USERS.alice.uuid))).status).toBe(404);
});

test("a user outside the workspace is refused with 400 and not added", async () => {
  const res = await call("PUT", reviewer(USERS.mallory.account_id));
  expect(res.status).toBe(400);
  expect(res.body.error.message).toMatch(/not a member of workspace acme/);
  expect(await listed()).toEqual([]);
});

test.each([
  ["a username (nickname)", USERS.alice.nickname],
  ["an unknown account id", "557058:00000000-0000-4000-8000-000000000000"],
  ["an unknown {uuid}", "{00000000-0000-4000-8000-000000000000}"],
])("PUT of %s answers 404", async (_what, user) => {
  expect((await call("PUT", reviewer(user))).status).toBe(404);
  expect(await listed()).toEqual([]);
});

test("reading needs read access, changing needs admin (403)", async () => {
  await call("PUT", reviewer(USERS.alice.account_id));
  // alice writes to platform-api: she reads the reviewers but cannot change them.
  expect((await call("GET", REVIEWERS, undefined, CREDENTIALS.alice)).status).toBe(200);
  expect((await call("PUT", reviewer(USERS.bob.account_id), undefined, CREDENTIALS.alice)).status).toBe(403);
  expect((await call("DELETE", reviewer(USERS.alice.account_id), undefined, CREDENTIALS.alice)).status).toBe(403);
  expect(await listed()).toEqual([USERS.alice.uuid]);
});

test("the list is paginated", async () => {
  for (const user of [USERS.acmeOwner, USERS.alice, USERS.bob]) await call("PUT", reviewer(user.account_id));
  const first = (await call("GET", `${REVIEWERS}?pagelen=2`)).body;
  expect(first.values).toHaveLength(2);
  expect(first.size).toBe(3);
  const second = await ctx.api.request("GET", first.next.slice(ctx.emu.apiUrl.length));
  expect(second.body.values.map((u: { uuid: string }) => u.uuid)).toEqual([USERS.bob.uuid]);
});

describe("a project's default reviewers", () => {
  const PROJECT_REVIEWERS = "/workspaces/acme/projects/PLAT/default-reviewers";
  const projectReviewer = (user: string) => `${PROJECT_REVIEWERS}/${encodeURIComponent(user)}`;
  const projectListed = async () => (await call("GET", PROJECT_REVIEWERS)).body.values.map((r: { user: { uuid: string } }) => r.user.uuid);

  test("PUT adds by account id or {uuid} (idempotent), listed as default_reviewer of type project; GET and DELETE", async () => {
    expect((await call("PUT", projectReviewer(USERS.alice.account_id))).body).toMatchObject({ uuid: USERS.alice.uuid });
    expect((await call("PUT", projectReviewer(USERS.bob.uuid))).status).toBe(200);
    expect((await call("PUT", projectReviewer(USERS.bob.account_id))).status).toBe(200);
    const listedValues = (await call("GET", PROJECT_REVIEWERS)).body.values;
    expect(listedValues[0]).toMatchObject({ type: "default_reviewer", reviewer_type: "project", user: { uuid: USERS.alice.uuid } });
    expect(await projectListed()).toEqual([USERS.alice.uuid, USERS.bob.uuid]);
    expect((await call("GET", projectReviewer(USERS.bob.account_id))).body.uuid).toBe(USERS.bob.uuid);
    expect((await call("DELETE", projectReviewer(USERS.bob.uuid))).status).toBe(204);
    expect((await call("GET", projectReviewer(USERS.bob.uuid))).status).toBe(404);
    expect((await call("DELETE", projectReviewer(USERS.bob.uuid))).status).toBe(404);
    expect(await projectListed()).toEqual([USERS.alice.uuid]);
  });

  test("a user outside the workspace is refused (400); an unknown user 404; a project that does not exist 404", async () => {
    expect((await call("PUT", projectReviewer(USERS.mallory.account_id))).status).toBe(400);
    expect((await call("PUT", projectReviewer(USERS.alice.nickname))).status).toBe(404);
    expect((await call("GET", "/workspaces/acme/projects/NOPE/default-reviewers")).status).toBe(404);
    expect((await call("PUT", `/workspaces/acme/projects/NOPE/default-reviewers/${USERS.alice.account_id}`)).status).toBe(404);
    expect(await projectListed()).toEqual([]);
  });

  test("changing needs a project admin (403)", async () => {
    expect((await call("PUT", projectReviewer(USERS.bob.account_id), undefined, CREDENTIALS.alice)).status).toBe(403);
    expect(await projectListed()).toEqual([]);
  });

  test("a repository's effective reviewers: its own (type repository), then its project's not among them (type project)", async () => {
    await call("PUT", reviewer(USERS.alice.account_id));
    await call("PUT", projectReviewer(USERS.alice.account_id));
    await call("PUT", projectReviewer(USERS.bob.account_id));
    const res = await call("GET", "/repositories/acme/platform-api/effective-default-reviewers");
    expect(res.body.values.map((r: { reviewer_type: string; user: { uuid: string } }) => [r.reviewer_type, r.user.uuid])).toEqual([
      ["repository", USERS.alice.uuid],
      ["project", USERS.bob.uuid],
    ]);
  });
});
