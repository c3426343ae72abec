import { WORKSPACES } from "../../emulator";
import {
  asOwner,
  checked,
  clearCounters,
  counters,
  create,
  Emulator,
  enc,
  FAST,
  provider,
  refreshAndDiff,
  refreshCost,
  script,
  startWithProvider,
  useOwner,
} from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());
afterEach(async () => {
  // Each test leaves the workspace without hooks.
  for (const h of (await asOwner(emu, "GET", HOOKS)).body.values) await asOwner(emu, "DELETE", `${HOOKS}/${enc(h.uuid)}`);
});

const ws = WORKSPACES.acme.slug;
const HOOKS = `/workspaces/${ws}/hooks`;
const one = provider("WorkspaceWebhook");
const all = provider("WorkspaceWebhooks");
const liveHooks = async () =>
  Object.fromEntries(
    ((await asOwner(emu, "GET", HOOKS)).body.values as any[]).map((h) => [
      h.description,
      { url: h.url, events: [...h.events].sort(), active: h.active, secretSet: h.secret_set },
    ]),
  );

describe("WorkspaceWebhook", () => {
  const ARGS = { workspace: ws, url: "https://hooks.example.com/all", description: "audit", events: ["repo:push", "pullrequest:created"], secret: "s3cret" };
  const args = ARGS;

  test("create, read, no-op diff, events in place, secret rotated in place, delete; a refresh is one GET", async () => {
    const { id, outs } = await create("WorkspaceWebhook", args);
    expect(outs).toMatchObject({ workspace: ws, url: args.url, events: ["pullrequest:created", "repo:push"], secret: "s3cret", secretSet: true, uuid: id });
    const { read, diff } = await refreshAndDiff("WorkspaceWebhook", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });

    const next = await checked("WorkspaceWebhook", { ...args, events: ["repo:push"], secret: "rotated" });
    expect((await one.diff(id, outs, next)).changes).toBe(true);
    const { outs: after } = await one.update(id, outs, next);
    expect(after).toMatchObject({ events: ["repo:push"], secret: "rotated", secretSet: true });

    const cost = await refreshCost(emu, "WorkspaceWebhook", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: WorkspaceWebhook = ${cost.calls} API call(s)`);
    await one.delete(id, after);
    expect(await one.read(id, after)).toEqual({});
  });

  test("drift: deactivated and its secret removed by hand is a diff that up puts back", async () => {
    const args = { ...ARGS, active: true };
    const { id, outs } = await create("WorkspaceWebhook", args);
    await asOwner(emu, "PUT", `${HOOKS}/${enc(id)}`, { active: false, secret: null });
    const { read, diff } = await refreshAndDiff("WorkspaceWebhook", id, outs, args);
    expect(read.props).toMatchObject({ active: false, secretSet: false });
    expect(read.props).not.toHaveProperty("secret");
    expect(diff?.changes).toBe(true);
    const { outs: restored } = await one.update(id, read.props!, await checked("WorkspaceWebhook", args));
    expect(restored).toMatchObject({ active: true, secretSet: true });
    await one.delete(id, restored);
  });

  test("a POST whose answer is lost adds no second hook; the found one is taken (1 POST)", async () => {
    await script(emu, [{ method: "POST", pathPrefix: HOOKS, lostResponse: true }]);
    await clearCounters(emu);
    const { id, outs } = await create("WorkspaceWebhook", { ...args, secret: undefined });
    expect((await counters(emu)).byRoute["POST /workspaces/{workspace}/hooks"]).toBe(1);
    expect(Object.keys(await liveHooks())).toEqual(["audit"]);
    expect(outs.uuid).toBe(id);
  });

  test("a hook made by hand with these URL, events and description is taken over, set to the program's settings, and said so", async () => {
    const notices: string[] = [];
    useOwner(emu, { ...FAST, notify: (m) => notices.push(m) });
    try {
      const made = (await asOwner(emu, "POST", HOOKS, { ...args, secret: undefined, active: false })).body;
      const { id, outs } = await create("WorkspaceWebhook", args);
      expect(id).toBe(made.uuid);
      expect(outs).toMatchObject({ active: true, secretSet: true });
      expect(notices.join("\n")).toMatch(
        /workspace acme already had a webhook with this URL, events and description .*inactive\), now set to the program's settings: taken over/,
      );
    } finally {
      useOwner(emu);
    }
  });

  test.each([
    [{ events: ["repo:nope"] }, "events.0"],
    [{ events: [] }, "events"],
    [{ url: "http://10.0.0.1/hook" }, "url"],
    [{ secret: "x".repeat(129) }, "secret"],
    [{ workspace: "../x" }, "workspace"],
  ])("check: %j fails on %s", async (patch, property) => {
    const r = await one.check({}, { ...args, ...patch });
    expect(r.failures?.map((f) => f.property)).toEqual([property]);
  });
});

describe("WorkspaceWebhooks", () => {
  const CI = { url: "https://ci.example.com/hook", events: ["repo:push", "pullrequest:created"] };
  const CHAT = { url: "https://chat.example.com/hook", events: ["repo:push"], active: false };

  test("create makes the declared hooks; a hook added by hand is drift under its title, and update deletes it; a refresh is one GET", async () => {
    const args = { workspace: ws, webhooks: { CI, Chat: CHAT }, secrets: { CI: "s3cret" } };
    const { id, outs } = await create("WorkspaceWebhooks", args);
    expect(id).toBe(ws);
    expect(await liveHooks()).toEqual({
      CI: { url: CI.url, events: ["pullrequest:created", "repo:push"], active: true, secretSet: true },
      Chat: { ...CHAT, secretSet: false },
    });
    expect(outs.secrets).toEqual({ CI: "s3cret" });
    const { read, diff } = await refreshAndDiff("WorkspaceWebhooks", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });

    await asOwner(emu, "POST", HOOKS, { url: "https://rogue.example.com/x", description: "Rogue", events: ["repo:push"] });
    const drifted = await refreshAndDiff("WorkspaceWebhooks", id, outs, args);
    expect(Object.keys(drifted.read.props!.webhooks as object)).toEqual(["CI", "Chat", "Rogue"]);
    expect(drifted.diff?.changes).toBe(true);
    const { outs: after } = await all.update(id, drifted.read.props!, await checked("WorkspaceWebhooks", args));
    expect(Object.keys(await liveHooks()).sort()).toEqual(["CI", "Chat"]);
    expect(after.secrets).toEqual({ CI: "s3cret" });

    const cost = await refreshCost(emu, "WorkspaceWebhooks", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: WorkspaceWebhooks = ${cost.calls} API call(s)`);
    await all.delete(id, after);
    expect(await liveHooks()).toEqual({});
  });

  test("hooks there before are taken over and said so (by title: URLs may hold tokens)", async () => {
    const notices: string[] = [];
    useOwner(emu, { ...FAST, notify: (m) => notices.push(m) });
    try {
      await asOwner(emu, "POST", HOOKS, { url: "https://old.example.com/x?token=abc", description: "Old", events: ["repo:push"] });
      await create("WorkspaceWebhooks", { workspace: ws, webhooks: { CI } });
      expect(notices.join("\n")).toMatch(/WorkspaceWebhooks: workspace acme already had webhooks this resource changes \("Old": deleted\)/);
      expect(notices.join("\n")).not.toContain("token=abc");
      expect(Object.keys(await liveHooks())).toEqual(["CI"]);
    } finally {
      useOwner(emu);
    }
  });
});
