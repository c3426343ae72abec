// getPipelineSchedules and getWebhookTypes against the emulator.
import { getPipelineSchedules, getWebhookTypes, getWebhookTypesOutput } from "../../../provider";
import { WEBHOOK_EVENTS } from "../../../provider/resources/webhookEvents";
import { asOwner } from "../helpers";
import { withEmulator, withRequests } from "./helpers";

const setup = withEmulator();
const opts = () => ({ client: setup.client });
const SCHEDULES = "/repositories/acme/platform-api/pipelines_config/schedules";

describe("getPipelineSchedules", () => {
  test("the repository's schedules: cron pattern, branch, pipeline, enabled; limit stops the listing", async () => {
    const target = { ref_type: "branch", ref_name: "main", selector: { type: "custom", pattern: "nightly" } };
    await asOwner(setup.emu, "POST", SCHEDULES, { target, cron_pattern: "0 0 2 * * ? *" });
    await asOwner(setup.emu, "POST", SCHEDULES, { target, cron_pattern: "0 0 3 * * ? *", enabled: false });
    const { schedules } = await getPipelineSchedules({ repository: "acme/platform-api" }, opts());
    expect(schedules).toEqual([
      { uuid: expect.stringMatching(/^\{/), enabled: true, cronPattern: "0 0 2 * * ? *", branch: "main", selector: "custom", pattern: "nightly" },
      { uuid: expect.stringMatching(/^\{/), enabled: false, cronPattern: "0 0 3 * * ? *", branch: "main", selector: "custom", pattern: "nightly" },
    ]);
    const { result, sent } = await withRequests(setup.emu, () => getPipelineSchedules({ workspace: "acme", repository: "platform-api", limit: 1 }, opts()));
    expect(result.schedules).toHaveLength(1);
    expect(sent).toHaveLength(1);
  });

  test("a repository the caller cannot see reads as not found; a bad reference is refused naming it", async () => {
    await expect(getPipelineSchedules({ workspace: "acme", repository: "nope" }, opts())).rejects.toThrow(/Repository acme\/nope was not found/);
    await expect(getPipelineSchedules({ workspace: "acme", repository: ".." }, opts())).rejects.toThrow(/getPipelineSchedules: .*repository/);
  });
});

describe("getWebhookTypes", () => {
  test("the event types of workspace hooks: the event names the resources take, with their category and label", async () => {
    const { types } = await getWebhookTypes({ subjectType: "workspace" }, opts());
    expect(types.map((t) => t.event).sort()).toEqual([...WEBHOOK_EVENTS].sort());
    expect(types.find((t) => t.event === "repo:push")).toEqual({ event: "repo:push", category: "Repository", label: "Push", description: expect.any(String) });
  });

  test("another subject type is refused naming subjectType, with no request; the Output form resolves", async () => {
    await expect(getWebhookTypes({ subjectType: "team" as never }, opts())).rejects.toThrow(/getWebhookTypes: .*subjectType/);
    const value = await new Promise((resolve) => getWebhookTypesOutput({ subjectType: "repository" }, opts()).apply(resolve));
    expect((value as { types: unknown[] }).types.length).toBe(WEBHOOK_EVENTS.length);
  });
});
