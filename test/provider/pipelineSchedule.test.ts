import { WORKSPACES } from "../../emulator";
import { UNKNOWN } from "../../provider/resources/common";
import {
  asOwner,
  checked,
  clearCounters,
  counters,
  create,
  enc,
  FAST,
  provider,
  refreshAndDiff,
  refreshCost,
  script,
  useOwner,
  emulatorWithRepository,
} from "./helpers";

const fixture = emulatorWithRepository("Scheduled");

const p = provider("PipelineSchedule");
const ws = WORKSPACES.acme.slug;
const schedulesPath = () => `/repositories/${ws}/${enc(fixture.repoId)}/pipelines_config/schedules`;
const liveSchedules = async () => (await asOwner(fixture.emu, "GET", schedulesPath())).body.values as { uuid: string; enabled: boolean }[];

describe("PipelineSchedule lifecycle", () => {
  test("create, read, no-op diff, enabled in place, cron replaces, delete, read reports it gone; a refresh is one GET", async () => {
    const args = { workspace: ws, repository: fixture.repoId, branch: "main", cronPattern: "0  0 2 * * ? *" };
    const { id, outs } = await create("PipelineSchedule", args);
    expect(id).toMatch(/^\{[0-9a-f-]{36}\}$/);
    expect(outs).toMatchObject({
      branch: "main",
      selector: "branches",
      pattern: "main",
      cronPattern: "0 0 2 * * ? *",
      enabled: true,
      uuid: id,
      repositoryUuid: fixture.repoId,
    });

    const { read, diff } = await refreshAndDiff("PipelineSchedule", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });

    const disabled = await checked("PipelineSchedule", { ...args, enabled: false });
    expect(await p.diff(id, outs, disabled)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await p.update(id, outs, disabled);
    expect(after).toMatchObject({ enabled: false, uuid: id });
    expect((await asOwner(fixture.emu, "GET", `${schedulesPath()}/${enc(id)}`)).body.enabled).toBe(false);

    for (const [patch, key] of [
      [{ cronPattern: "0 0 3 * * ? *" }, "cronPattern"],
      [{ branch: "develop" }, "branch"],
      [{ selector: "custom", pattern: "nightly" }, "selector"],
    ] as const)
      expect((await p.diff(id, after, await checked("PipelineSchedule", { ...args, enabled: false, ...patch }))).replaces).toContain(key);

    const cost = await refreshCost(fixture.emu, "PipelineSchedule", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: PipelineSchedule = ${cost.calls} API call(s)`);

    await p.delete(id, after);
    expect((await asOwner(fixture.emu, "GET", `${schedulesPath()}/${enc(id)}`)).status).toBe(404);
    expect(await p.read(id, after)).toEqual({});
  });

  test("drift: a schedule disabled outside Pulumi is a diff that up puts back", async () => {
    const args = { workspace: ws, repository: fixture.repoId, branch: "main", selector: "custom", pattern: "nightly", cronPattern: "0 30 * * * ? *" };
    const { id, outs } = await create("PipelineSchedule", args);
    expect(outs).toMatchObject({ selector: "custom", pattern: "nightly" });
    await asOwner(fixture.emu, "PUT", `${schedulesPath()}/${enc(id)}`, { enabled: false });
    const { read, diff } = await refreshAndDiff("PipelineSchedule", id, outs, args);
    expect(read.props).toMatchObject({ enabled: false });
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: restored } = await p.update(id, read.props!, await checked("PipelineSchedule", args));
    expect(restored).toMatchObject({ enabled: true });
    await p.delete(id, restored);
  });

  test("a rename of the repository underneath changes nothing (addressed by the repository's UUID)", async () => {
    const bySlug = { workspace: ws, repository: String(fixture.repoState.slug), branch: "main", cronPattern: "0 0 4 * * ? *" };
    const { id, outs } = await create("PipelineSchedule", bySlug);
    const { outs: renamed } = await provider("Repository").update(
      fixture.repoId,
      fixture.repoState,
      await checked("Repository", { workspace: ws, name: "Scheduled Renamed" }),
    );
    fixture.repoState = renamed as Record<string, unknown>;
    const { read, diff } = await refreshAndDiff("PipelineSchedule", id, outs, bySlug);
    expect(read.id).toBe(id);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    await p.delete(id, outs);
  });

  test("get by workspace/repository/{uuid} reads the schedule and the repository's UUID", async () => {
    const { id, outs } = await create("PipelineSchedule", {
      workspace: ws,
      repository: fixture.repoId,
      branch: "main",
      selector: "default",
      cronPattern: "0 0 5 ? * MON *",
    });
    const read = await p.read(`${ws}/${fixture.repoState.slug}/${id}`, undefined);
    expect(read.props).toMatchObject({ uuid: id, selector: "default", repositoryUuid: fixture.repoId, cronPattern: "0 0 5 ? * MON *" });
    expect(read.props).not.toHaveProperty("pattern");
    await p.delete(id, outs);
  });
});

describe("PipelineSchedule creation never adds a schedule twice", () => {
  test("a POST whose answer is lost: the schedule it made is found and taken, not made again", async () => {
    const args = { workspace: ws, repository: fixture.repoId, branch: "main", cronPattern: "0 0 6 * * ? *" };
    await script(fixture.emu, [{ method: "POST", pathPrefix: schedulesPath(), lostResponse: true }]);
    await clearCounters(fixture.emu);
    const { id, outs } = await create("PipelineSchedule", args);
    const { byRoute } = await counters(fixture.emu);
    expect(byRoute["POST /repositories/{workspace}/{repo_slug}/pipelines_config/schedules"]).toBe(1);
    expect((await liveSchedules()).map((s) => s.uuid)).toEqual([id]);
    await p.delete(id, outs);
  });

  test("the same schedule made by hand, disabled, is taken over, enabled, and said so", async () => {
    const notices: string[] = [];
    useOwner(fixture.emu, { ...FAST, notify: (m) => notices.push(m) });
    try {
      const body = {
        target: { ref_type: "branch", ref_name: "main", selector: { type: "branches", pattern: "main" } },
        cron_pattern: "0 0 7 * * ? *",
        enabled: false,
      };
      const made = (await asOwner(fixture.emu, "POST", schedulesPath(), body)).body;
      const { id, outs } = await create("PipelineSchedule", { workspace: ws, repository: fixture.repoId, branch: "main", cronPattern: "0 0 7 * * ? *" });
      expect(id).toBe(made.uuid);
      expect(outs.enabled).toBe(true);
      expect(notices.join("\n")).toMatch(/already had this schedule .*disabled\), now enabled: taken over/);
      await p.delete(id, outs);
    } finally {
      useOwner(fixture.emu);
    }
  });
});

describe("PipelineSchedule check", () => {
  const base = { workspace: ws, repository: "some-repo", branch: "main", cronPattern: "0 0 2 * * ? *" };
  test.each([
    [{ cronPattern: "0 2 * * *" }, "cronPattern", /must be a 7-field cron pattern .*it has 5 field/],
    [{ cronPattern: "15 0 2 * * ? *" }, "cronPattern", /seconds field must be 0/],
    [{ cronPattern: "0 */5 * * * ? *" }, "cronPattern", /minutes field must be one number/],
    [{ cronPattern: "0 0 2 ? * ? *" }, "cronPattern", /exactly one of day-of-month and day-of-week must be \?/],
    [{ cronPattern: "0 0 2 * 13 ? *" }, "cronPattern", /month field is not valid/],
    [{ selector: "tags" }, "selector", /branches.*custom.*default/],
    [{ selector: "custom" }, "pattern", /must name the custom pipeline/],
    [{ selector: "default", pattern: "x" }, "pattern", /must be unset when selector is default/],
    [{ branch: "" }, "branch", /must name a branch/],
  ])("%j fails on %s", async (patch, property, reason) => {
    const r = await p.check({}, { ...base, ...patch });
    expect(r.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  test("accepted forms pass: hourly at a minute, weekdays, lists, ranges and steps of hours", async () => {
    for (const cronPattern of ["0 30 * * * ? *", "0 0 6 ? * MON-FRI *", "0 0 1,13 * * ? *", "0 0 */6 * * ? *", "0 0 0 1 JAN ? 2027"])
      expect((await p.check({}, { ...base, cronPattern })).failures).toBeUndefined();
  });

  test("an unknown cron pattern or selector at preview passes", async () => {
    expect((await p.check({}, { ...base, cronPattern: UNKNOWN })).failures).toBeUndefined();
    expect((await p.check({}, { ...base, selector: UNKNOWN })).failures).toBeUndefined();
  });
});
