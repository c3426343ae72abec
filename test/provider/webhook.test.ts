import { REPOSITORIES, WORKSPACES } from "../../emulator";
import { UNKNOWN } from "../../provider/resources/common";
import { asOwner, checked, clearCounters, counters, create, enc, provider, refreshAndDiff, refreshCost, script, emulatorWithRepository } from "./helpers";

const fixture = emulatorWithRepository("Hooked", { earlierRun: true });

const p = provider("Webhook");
const ws = WORKSPACES.acme.slug;
const hookPath = (uid: string) => `/repositories/${ws}/${enc(fixture.repoId)}/hooks/${enc(uid)}`;

describe("Webhook lifecycle", () => {
  test("create, read, no-op diff, update (events, secret), delete, read reports it gone", async () => {
    const args = {
      workspace: ws,
      repository: fixture.repoId,
      url: "https://ci.example.com/hook",
      description: "CI",
      events: ["repo:push", "pullrequest:created", "repo:push"],
      secret: "s3cret",
    };
    const { id, outs, inputs } = await create("Webhook", args);
    expect(inputs.events).toEqual(["pullrequest:created", "repo:push"]);
    expect(outs).toEqual({
      workspace: ws,
      repository: fixture.repoId,
      url: "https://ci.example.com/hook",
      description: "CI",
      active: true,
      events: ["pullrequest:created", "repo:push"],
      secretSet: true,
      secret: "s3cret",
      uuid: id,
      managedArguments: ["description", "events", "repository", "secret", "url", "workspace"],
    });

    const { read, diff } = await refreshAndDiff("Webhook", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(read.inputs).toHaveProperty("secret", "s3cret");
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    // Order-insensitive.
    expect((await p.diff(id, outs, await checked("Webhook", { ...args, events: ["repo:push", "pullrequest:created"] }))).changes).toBe(false);

    const news = await checked("Webhook", { ...args, events: ["repo:push"], active: false, secret: "rotated" });
    expect(await p.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await p.update(id, outs, news);
    expect(after).toMatchObject({ events: ["repo:push"], active: false, secretSet: true, secret: "rotated", uuid: id });

    const cost = await refreshCost(fixture.emu, "Webhook", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: Webhook = ${cost.calls} API call(s)`);

    await p.delete(id, after);
    expect((await asOwner(fixture.emu, "GET", hookPath(id))).status).toBe(404);
    expect(await p.read(id, after)).toEqual({});
  });

  test("a changed secret is seen by a pure diff and updated in place", async () => {
    const olds = { workspace: ws, repository: fixture.repoId, url: "https://a.test/h", events: ["repo:push"], secretSet: true, secret: "one", uuid: "{u}" };
    expect(await p.diff("{u}", olds, { ...olds, secret: "two" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect((await p.diff("{u}", olds, { ...olds, secret: "one" })).changes).toBe(false);
  });

  test("removing the secret sends null and leaves no secret", async () => {
    const args = { workspace: ws, repository: fixture.repoId, url: "https://ci.example.com/rm", events: ["repo:push"], secret: "gone-soon" };
    const { id, outs } = await create("Webhook", args);
    const news = await checked("Webhook", { ...args, secret: undefined });
    expect((await p.diff(id, outs, news)).changes).toBe(true);
    const { outs: after } = await p.update(id, outs, news);
    expect(after).toMatchObject({ secretSet: false });
    expect(after).not.toHaveProperty("secret");
    expect((await asOwner(fixture.emu, "GET", hookPath(id))).body.secret_set).toBe(false);
    await p.delete(id, after);
  });
});

describe("Webhook drift", () => {
  const args = {
    workspace: ws,
    repository: fixture.repoId,
    url: "https://ci.example.com/drift",
    description: "d",
    active: true,
    events: ["repo:push"],
    secret: "keep-me",
  };
  let id: string;
  let state: Record<string, unknown>;
  beforeAll(async () => {
    ({ id, outs: state } = await create("Webhook", { ...args, repository: fixture.repoId }));
  });
  afterAll(() => p.delete(id, state));

  test.each([
    ["url", { url: "https://elsewhere.example.com/x" }, { url: "https://elsewhere.example.com/x" }],
    ["description", { description: "by hand" }, { description: "by hand" }],
    ["active", { active: false }, { active: false }],
    ["events", { events: ["repo:push", "issue:created"] }, { events: ["issue:created", "repo:push"] }],
    ["secret removed", { secret: null }, { secretSet: false }],
  ])("drift in %s is seen and corrected", async (_name, change, expected) => {
    const program = { ...args, repository: fixture.repoId };
    expect((await asOwner(fixture.emu, "PUT", hookPath(id), change)).status).toBe(200);
    const { read, diff } = await refreshAndDiff("Webhook", id, state, program);
    expect(read.props).toMatchObject(expected);
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs } = await p.update(id, read.props, await checked("Webhook", program));
    state = outs as Record<string, unknown>;
    expect(state).toMatchObject({ url: args.url, description: "d", active: true, events: ["repo:push"], secretSet: true, secret: "keep-me" });
    expect((await refreshAndDiff("Webhook", id, state, program)).diff?.changes).toBe(false);
  });

  test("a secret added outside Pulumi to a hook without one is drift", async () => {
    const plain = { workspace: ws, repository: fixture.repoId, url: "https://ci.example.com/plain", events: ["repo:push"] };
    const { id: pid, outs } = await create("Webhook", plain);
    await asOwner(fixture.emu, "PUT", hookPath(pid), { secret: "sneaky" });
    const { read, diff } = await refreshAndDiff("Webhook", pid, outs, plain);
    expect(read.props).toMatchObject({ secretSet: true });
    expect(read.props).not.toHaveProperty("secret");
    expect(diff?.changes).toBe(true);
    await p.delete(pid, outs);
  });
});

describe("Webhook and renames", () => {
  test("a hook addressed by the repository UUID keeps working after the repository is renamed", async () => {
    const args = { workspace: ws, repository: fixture.repoId, url: "https://ci.example.com/rename", events: ["repo:push"] };
    const { id, outs } = await create("Webhook", args);
    const repoP = provider("Repository");
    const { outs: renamed } = await repoP.update(fixture.repoId, fixture.repoState, await checked("Repository", { workspace: ws, name: "Hooked Renamed" }));
    fixture.repoState = renamed as Record<string, unknown>;
    expect(fixture.repoState.slug).toBe("hooked-renamed");
    const { read, diff } = await refreshAndDiff("Webhook", id, outs, args);
    expect(read.id).toBe(id);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    await p.delete(id, outs);
  });

  test("a different repository replaces the hook", async () => {
    const olds = { workspace: ws, repository: fixture.repoId, url: "https://a.test/h", events: ["repo:push"], secretSet: false, uuid: "{u}" };
    expect((await p.diff("{u}", olds, { ...olds, repository: REPOSITORIES.website.uuid })).replaces).toEqual(["repository"]);
  });
});

describe("Webhook check", () => {
  const base = { workspace: ws, repository: "some-repo", url: "https://ci.example.com/h", events: ["repo:push"] };
  test.each([
    [{ events: ["repo:pushed"] }, "events.0", /events\.0 must be one of issue:comment_created, .*repo:push, .*repo:updated \(got "repo:pushed"\)/],
    [{ events: [] }, "events", /at least one event/],
    [{ url: "not a url" }, "url", /url must be an http\(s\) URL/],
    [{ url: "http://127.0.0.1:8080/hook" }, "url", /internal address/],
    [{ url: "http://localhost/hook" }, "url", /internal address/],
    [{ active: "yes" }, "active", /active must be a boolean/],
  ])("%j fails on %s", async (patch, property, reason) => {
    const r = await p.check({}, { ...base, ...patch });
    expect(r.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  test("a too-long secret fails without echoing it", async () => {
    const secret = "x".repeat(129);
    const r = await p.check({}, { ...base, secret });
    expect(r.failures).toEqual([{ property: "secret", reason: expect.stringMatching(/at most 128/) }]);
    expect(JSON.stringify(r.failures)).not.toContain(secret);
  });

  test("unknown events at preview pass", async () => {
    expect((await p.check({}, { ...base, events: [UNKNOWN, "repo:push"] })).failures).toBeUndefined();
  });
});

describe("Webhook creation never leaves a duplicate", () => {
  const hooksPrefix = () => `/repositories/${ws}/${enc(fixture.repoId)}/hooks`;
  const liveHooks = async (url: string) => ((await asOwner(fixture.emu, "GET", hooksPrefix())).body.values as any[]).filter((h) => h.url === url);
  const args = (url: string) => ({ workspace: ws, repository: fixture.repoId, url, description: "safe", events: ["repo:push"], secret: "hook-secret" });
  const postsAndLists = async () => {
    const { byRoute } = await counters(fixture.emu);
    return { posts: byRoute["POST /repositories/{workspace}/{repo_slug}/hooks"] ?? 0, lists: byRoute["GET /repositories/{workspace}/{repo_slug}/hooks"] ?? 0 };
  };

  test("a POST whose answer is lost: the hook it made is found and taken over, not made twice", async () => {
    const url = "https://ci.example.com/lost-answer";
    await script(fixture.emu, [{ method: "POST", pathPrefix: hooksPrefix(), lostResponse: true }]);
    await clearCounters(fixture.emu);
    const { id, outs } = await create("Webhook", args(url));
    expect(await postsAndLists()).toEqual({ posts: 1, lists: 2 });
    expect((await liveHooks(url)).map((h) => h.uuid)).toEqual([id]);
    expect(outs.secretSet).toBe(true);
    await p.delete(id, outs);
  });

  test.each([
    ["a 503", { status: 503 }],
    ["a dropped connection", { drop: true }],
  ])("a POST that failed with %s is sent again once the list shows nothing was made", async (_, fault) => {
    const url = `https://ci.example.com/retried-${"status" in fault ? fault.status : "drop"}`;
    await script(fixture.emu, [{ method: "POST", pathPrefix: hooksPrefix(), ...fault }]);
    await clearCounters(fixture.emu);
    const { id, outs } = await create("Webhook", args(url));
    expect(await postsAndLists()).toEqual({ posts: 2, lists: 2 });
    expect((await liveHooks(url)).map((h) => h.uuid)).toEqual([id]);
    await p.delete(id, outs);
  });

  test("a hook left behind by a killed run (same URL, events, description) is taken over and set to the program's secret", async () => {
    const url = "https://ci.example.com/orphan";
    const orphan = (await asOwner(fixture.emu, "POST", hooksPrefix(), { url, description: "safe", events: ["repo:push"], active: false, secret: "old-secret" }))
      .body;
    const { id, outs } = await create("Webhook", { ...args(url), secret: undefined });
    expect(id).toBe(orphan.uuid);
    const [hook] = await liveHooks(url);
    expect({ active: hook.active, secret_set: hook.secret_set, secretSet: outs.secretSet }).toEqual({ active: true, secret_set: false, secretSet: false });
    await p.delete(id, outs);
  });

  test("a hook with other events or another description is left alone", async () => {
    const url = "https://ci.example.com/other";
    const other = (await asOwner(fixture.emu, "POST", hooksPrefix(), { url, description: "someone else's", events: ["repo:push"] })).body;
    const { id, outs } = await create("Webhook", args(url));
    expect(id).not.toBe(other.uuid);
    expect((await liveHooks(url)).length).toBe(2);
    await p.delete(id, outs);
    await asOwner(fixture.emu, "DELETE", `${hooksPrefix()}/${enc(other.uuid)}`);
  });
});
