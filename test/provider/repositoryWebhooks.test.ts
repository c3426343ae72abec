import { WORKSPACES } from "../../emulator";
import { asOwner, checked, create, Emulator, enc, provider, refreshAndDiff, refreshCost, startWithProvider } from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

const p = provider("RepositoryWebhooks");
const ws = WORKSPACES.acme.slug;
const CI = { url: "https://ci.example.com/hook", events: ["repo:push", "pullrequest:created"] };
const CHAT = { url: "https://chat.example.com/bitbucket", events: ["pullrequest:fulfilled"], active: false };

async function newRepository(name: string) {
  return (await create("Repository", { workspace: ws, name })).id;
}

const hooksPath = (uuid: string) => `/repositories/${ws}/${enc(uuid)}/hooks`;
async function liveHooks(uuid: string) {
  const hooks = (await asOwner(emu, "GET", hooksPath(uuid))).body.values;
  return Object.fromEntries(hooks.map((h: any) => [h.description, { url: h.url, events: [...h.events].sort(), active: h.active, secretSet: h.secret_set }]));
}

test("lifecycle: create makes exactly the declared hooks, refresh is clean in one list call, update and delete", async () => {
  const uuid = await newRepository("Hooks Lifecycle");
  const args = { workspace: ws, repository: uuid, webhooks: { CI, Chat: CHAT }, secrets: { CI: "s3cret" } };
  const { id, outs } = await create("RepositoryWebhooks", args);
  expect(id).toBe(`${ws}/${uuid}`);
  expect(await liveHooks(uuid)).toEqual({
    CI: { url: CI.url, events: ["pullrequest:created", "repo:push"], active: true, secretSet: true },
    Chat: { ...CHAT, secretSet: false },
  });
  expect(outs.webhooks).toEqual({ CI: { ...CI, events: ["pullrequest:created", "repo:push"], active: true }, Chat: CHAT });
  expect(outs.secrets).toEqual({ CI: "s3cret" });

  const { read, diff } = await refreshAndDiff("RepositoryWebhooks", id, outs, args);
  expect(read.props).toEqual(outs);
  expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
  const cost = await refreshCost(emu, "RepositoryWebhooks", id, outs);
  expect(cost.byRoute).toEqual({ "GET /repositories/{workspace}/{repo_slug}/hooks": 1 });
  console.log(`refresh cost: RepositoryWebhooks = ${cost.calls} API call(s)`);

  // A new secret, a changed hook, one hook dropped.
  const next = { ...args, webhooks: { CI: { ...CI, events: ["repo:push"] } }, secrets: { CI: "rotated" } };
  const news = await checked("RepositoryWebhooks", next);
  expect((await p.diff(id, outs, news)).changes).toBe(true);
  const { outs: after } = await p.update(id, outs, news);
  expect(await liveHooks(uuid)).toEqual({ CI: { url: CI.url, events: ["repo:push"], active: true, secretSet: true } });
  expect(after.hookIds).toEqual({ CI: (outs.hookIds as Record<string, string>).CI });

  await p.delete(id, after);
  expect(await liveHooks(uuid)).toEqual({});
});

test("a hook added by hand is drift under its title, and update deletes it; so is a secret removed by hand", async () => {
  const uuid = await newRepository("Hooks Drift");
  const args = { workspace: ws, repository: uuid, webhooks: { CI }, secrets: { CI: "s3cret" } };
  const { id, outs } = await create("RepositoryWebhooks", args);
  await asOwner(emu, "POST", hooksPath(uuid), { description: "exfil", url: "https://collector.example.net/x", events: ["repo:push"] });

  const { read, diff } = await refreshAndDiff("RepositoryWebhooks", id, outs, args);
  expect(Object.keys(read.inputs!.webhooks)).toEqual(["CI", "exfil"]);
  expect(read.inputs!.webhooks.exfil).toEqual({ url: "https://collector.example.net/x", events: ["repo:push"], active: true });
  expect(diff?.changes).toBe(true);
  await p.update(id, read.props!, await checked("RepositoryWebhooks", args));
  expect(Object.keys(await liveHooks(uuid))).toEqual(["CI"]);

  const ciUuid = (outs.hookIds as Record<string, string>).CI;
  await asOwner(emu, "PUT", `${hooksPath(uuid)}/${enc(ciUuid)}`, { ...CI, description: "CI", secret: null });
  const removed = await refreshAndDiff("RepositoryWebhooks", id, outs, args);
  expect(removed.read.props!.secrets).toEqual({});
  expect(removed.diff?.changes).toBe(true);
  await p.update(id, removed.read.props!, await checked("RepositoryWebhooks", args));
  expect((await liveHooks(uuid)).CI.secretSet).toBe(true);
});

test("a secret set by hand on a hook declared without one is drift, and update removes it", async () => {
  const uuid = await newRepository("Hooks Secret Added");
  const args = { workspace: ws, repository: uuid, webhooks: { Chat: CHAT }, secrets: {} };
  const { id, outs } = await create("RepositoryWebhooks", args);
  const chatUuid = (outs.hookIds as Record<string, string>).Chat;
  await asOwner(emu, "PUT", `${hooksPath(uuid)}/${enc(chatUuid)}`, { ...CHAT, description: "Chat", secret: "planted" });
  const { read, diff } = await refreshAndDiff("RepositoryWebhooks", id, outs, args);
  expect(read.props!.secrets).toEqual({ Chat: "(set outside Pulumi)" });
  expect(diff?.changes).toBe(true);
  await p.update(id, read.props!, await checked("RepositoryWebhooks", args));
  expect((await liveHooks(uuid)).Chat.secretSet).toBe(false);
});

test("creating takes over hooks already there: one with a declared title is updated, the others deleted", async () => {
  const uuid = await newRepository("Hooks Takeover");
  const old = await asOwner(emu, "POST", hooksPath(uuid), { description: "CI", url: "https://old-ci.example.com/x", events: ["repo:push"] });
  await asOwner(emu, "POST", hooksPath(uuid), { description: "", url: "https://untitled.example.com/x", events: ["repo:push"] });
  const { outs } = await create("RepositoryWebhooks", { workspace: ws, repository: uuid, webhooks: { CI } });
  expect(await liveHooks(uuid)).toEqual({ CI: { url: CI.url, events: ["pullrequest:created", "repo:push"], active: true, secretSet: false } });
  expect((outs.hookIds as Record<string, string>).CI).toBe(old.body.uuid);
});

test("check refuses what Bitbucket would: internal URLs, unknown events, unknown keys, empty titles", async () => {
  const r = await p.check(
    {},
    {
      workspace: ws,
      repository: "r",
      webhooks: {
        "": CI,
        Local: { url: "http://127.0.0.1/hook", events: ["repo:push"] },
        Typo: { url: CI.url, event: ["repo:push"] },
        Bad: { ...CI, events: ["repo:pushed"] },
      },
    },
  );
  const byField = Object.fromEntries((r.failures ?? []).map((f) => [f.property, f.reason]));
  expect(Object.keys(byField).sort()).toEqual(["webhooks.", "webhooks.Bad.events.0", "webhooks.Local.url", "webhooks.Typo", "webhooks.Typo.events"]);
  expect(byField["webhooks.Local.url"]).toMatch(/internal address/);
  expect(byField["webhooks.Typo"]).toMatch(/Unknown argument\(s\): event/);
});
