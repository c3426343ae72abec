import { CREDENTIALS, REPOSITORIES } from "../../emulator/seed";
import { isInternalWebhookHost } from "../../emulator";
import { loadSpec } from "../../emulator/spec";
import { useSeededEmulator } from "./suite";

const HOOKS = "/repositories/acme/platform-api/hooks";
const URL_OK = "https://ci.example.com/hook";

const ctx = useSeededEmulator("hooks");
const call = ctx.call;

async function createHook(body: Record<string, unknown> = {}) {
  const res = await call("POST", HOOKS, { description: "CI", url: URL_OK, active: true, events: ["repo:push"], ...body });
  expect(res.status).toBe(201);
  return res;
}

test("POST creates with 201, a Location header, and secret_set instead of the secret", async () => {
  const res = await createHook({ secret: "s3cret" });
  expect(res.body).toMatchObject({
    type: "webhook_subscription",
    url: URL_OK,
    active: true,
    events: ["repo:push"],
    secret_set: true,
    subject_type: "repository",
  });
  expect(res.body).not.toHaveProperty("secret");
  expect(res.headers.get("location")).toBe(`${ctx.emu.apiUrl}${HOOKS}/${encodeURIComponent(res.body.uuid)}`);
});

test("GET lists and gets hooks, addressed by {uuid} with or without braces", async () => {
  const created = (await createHook()).body;
  const list = await call("GET", HOOKS);
  expect(list.status).toBe(200);
  expect(list.body.values.map((h: { uuid: string }) => h.uuid)).toEqual([created.uuid]);
  expect((await call("GET", `${HOOKS}/${encodeURIComponent(created.uuid)}`)).body.uuid).toBe(created.uuid);
  expect((await call("GET", `${HOOKS}/${created.uuid.slice(1, -1)}`)).body.uuid).toBe(created.uuid);
});

test("PUT keeps the secret when omitted, removes it with null, sets it with a string", async () => {
  const created = (await createHook({ secret: "one" })).body;
  const path = `${HOOKS}/${encodeURIComponent(created.uuid)}`;
  const kept = await call("PUT", path, { description: "renamed" });
  expect(kept.status).toBe(200);
  expect(kept.body).toMatchObject({ description: "renamed", secret_set: true, url: URL_OK });
  expect((await call("PUT", path, { secret: null })).body.secret_set).toBe(false);
  expect((await call("PUT", path, { secret: "two" })).body.secret_set).toBe(true);
  expect((await call("GET", path)).body).not.toHaveProperty("secret");
});

test("PUT updates events, url and active", async () => {
  const created = (await createHook()).body;
  const res = await call("PUT", `${HOOKS}/${encodeURIComponent(created.uuid)}`, {
    events: ["pullrequest:created", "repo:push"],
    active: false,
    url: "https://hooks.example.org/x",
  });
  expect(res.body).toMatchObject({ events: ["pullrequest:created", "repo:push"], active: false, url: "https://hooks.example.org/x" });
});

test("DELETE answers 204, then the hook is 404", async () => {
  const created = (await createHook()).body;
  const path = `${HOOKS}/${encodeURIComponent(created.uuid)}`;
  expect((await call("DELETE", path)).status).toBe(204);
  expect((await call("GET", path)).status).toBe(404);
  expect((await call("DELETE", path)).status).toBe(404);
  expect((await call("PUT", path, { active: false })).status).toBe(404);
});

test("events are checked against the spec's enum of 29 names", async () => {
  const specEvents = loadSpec().definitions.webhook_subscription.allOf[1].properties.events.items.enum;
  expect(specEvents).toHaveLength(29);
  const all = await createHook({ events: specEvents });
  expect(all.body.events).toEqual(specEvents);
  const bad = await call("POST", HOOKS, { url: URL_OK, events: ["repo:push", "repo:exploded"] });
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toMatch(/repo:exploded/);
  expect((await call("POST", HOOKS, { url: URL_OK, events: [] })).status).toBe(400);
});

test.each([
  ["ftp://ci.example.com/hook", "not http(s)"],
  ["http://localhost:8080/hook", "localhost"],
  ["http://127.0.0.1/hook", "loopback"],
  ["http://10.1.2.3/hook", "private 10/8"],
  ["http://172.20.0.1/hook", "private 172.16/12"],
  ["http://192.168.1.10/hook", "private 192.168/16"],
  ["http://169.254.169.254/latest/meta-data", "link-local (cloud metadata)"],
  ["http://[::1]/hook", "IPv6 loopback"],
  ["not a url", "not a URL"],
])("a url %s (%s) is refused with 400", async (url) => {
  const res = await call("POST", HOOKS, { url, events: ["repo:push"] });
  expect(res.status).toBe(400);
  expect(res.body.error.message).toMatch(/^url: /);
});

test("a non-boolean active is refused with 400", async () => {
  expect((await call("POST", HOOKS, { url: URL_OK, events: ["repo:push"], active: "yes" })).status).toBe(400);
});

test("a secret longer than 128 characters is refused with 400", async () => {
  expect((await call("POST", HOOKS, { url: URL_OK, events: ["repo:push"], secret: "x".repeat(129) })).status).toBe(400);
  expect((await call("POST", HOOKS, { url: URL_OK, events: ["repo:push"], secret: "x".repeat(128) })).status).toBe(201);
});

test("a member without admin rights gets 403 on list, create, update and delete", async () => {
  const created = (await createHook()).body;
  const path = `${HOOKS}/${encodeURIComponent(created.uuid)}`;
  expect((await call("GET", HOOKS, undefined, CREDENTIALS.alice)).status).toBe(403);
  expect((await call("POST", HOOKS, { url: URL_OK, events: ["repo:push"] }, CREDENTIALS.alice)).status).toBe(403);
  expect((await call("PUT", path, { active: false }, CREDENTIALS.alice)).status).toBe(403);
  expect((await call("DELETE", path, undefined, CREDENTIALS.alice)).status).toBe(403);
});

test("the workspace access token manages hooks of its workspace's repositories", async () => {
  const res = await call("POST", HOOKS, { url: URL_OK, events: ["repo:push"] }, CREDENTIALS.acmeAccessToken);
  expect(res.status).toBe(201);
});

test("hooks of a repository addressed by {uuid}; an unknown repository is 404; no credentials is 403 (admins only)", async () => {
  await createHook();
  const byUuid = await call("GET", `/repositories/acme/${encodeURIComponent(REPOSITORIES.platformApi.uuid)}/hooks`);
  expect(byUuid.body.values).toHaveLength(1);
  expect((await call("GET", "/repositories/acme/ghost/hooks")).status).toBe(404);
  expect((await call("GET", HOOKS, undefined, null)).status).toBe(403);
});

describe("internal addresses, however they are written", () => {
  test.each([
    ["http://localhost./hook", "localhost with the trailing dot of a fully qualified name"],
    ["http://LOCALHOST/hook", "localhost in capitals"],
    ["http://api.localhost/hook", "*.localhost"],
    ["http://printer.local/hook", "*.local"],
    ["http://metadata.google.internal/hook", "*.internal"],
    ["http://ci.internal./hook", "*.internal with a trailing dot"],
    ["http://127.0.0.1./hook", "IPv4 loopback with a trailing dot"],
    ["http://127.8.9.10/hook", "anywhere in 127/8"],
    ["http://2130706433/hook", "127.0.0.1 as one decimal number"],
    ["http://0x7f.1/hook", "127.0.0.1 in hex, short form"],
    ["http://0177.0.0.1/hook", "127.0.0.1 in octal"],
    ["http://127.1/hook", "127.0.0.1, short form"],
    ["http://0.0.0.0/hook", "the unspecified IPv4 address"],
    ["http://0/hook", "0.0.0.0 as one number"],
    ["http://100.64.1.1/hook", "carrier-grade NAT 100.64/10"],
    ["http://172.31.255.255/hook", "the top of 172.16/12"],
    ["http://[::]/hook", "the unspecified IPv6 address"],
    ["http://[0:0:0:0:0:0:0:1]/hook", "IPv6 loopback written in full"],
    ["http://[::ffff:127.0.0.1]/hook", "IPv4-mapped loopback (normalised to [::ffff:7f00:1])"],
    ["http://[::ffff:10.0.0.1]/hook", "IPv4-mapped private address"],
    ["http://[fd12:3456::1]/hook", "unique local fc00::/7"],
    ["http://[fe80::1]/hook", "link-local fe80::/10"],
    ["http://user@192.168.0.1/hook", "a private address behind userinfo"],
    ["http://224.0.0.1/hook", "multicast 224/4"],
    ["http://255.255.255.255/hook", "broadcast, in reserved 240/4"],
    ["http://[64:ff9b::7f00:1]/hook", "127.0.0.1 through NAT64"],
    ["http://[ff02::1]/hook", "IPv6 multicast"],
    ["http://nas.home.arpa/hook", "*.home.arpa"],
    ["http://router.lan/hook", "*.lan"],
  ])("%s (%s) is refused with 400 naming the url", async (url) => {
    const res = await call("POST", HOOKS, { url, events: ["repo:push"] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^url: .* is an internal address$/);
  });

  test("an internal address is refused on update too, and the hook keeps its url", async () => {
    const created = (await createHook()).body;
    const path = `${HOOKS}/${encodeURIComponent(created.uuid)}`;
    expect((await call("PUT", path, { url: "http://[::1]:8080/x" })).status).toBe(400);
    expect((await call("GET", path)).body.url).toBe(URL_OK);
  });

  test.each([
    ["http://172.32.0.1/hook", "just outside 172.16/12"],
    ["http://100.128.0.1/hook", "just outside 100.64/10"],
    ["http://8.8.8.8/hook", "a public IPv4 address"],
    ["http://[2001:db8::1]/hook", "a global IPv6 address"],
    ["https://localhost.example.com/hook", "a public name that starts with localhost"],
  ])("%s (%s) is accepted", async (url) => {
    expect((await call("POST", HOOKS, { url, events: ["repo:push"] })).status).toBe(201);
  });

  test("the check is exported on its own, for comparison with the provider's copy", () => {
    expect(isInternalWebhookHost("http://[::ffff:7f00:1]/")).toBe(true);
    expect(isInternalWebhookHost(new URL("http://0x7f.1/"))).toBe(true);
    expect(isInternalWebhookHost("https://ci.example.com/")).toBe(false);
  });
});

describe("description and secret", () => {
  test("a description that is not a string is refused with 400 on create and on update", async () => {
    const create = await call("POST", HOOKS, { url: URL_OK, events: ["repo:push"], description: 42 });
    expect(create.status).toBe(400);
    expect(create.body.error.message).toMatch(/^description: /);
    const created = (await createHook()).body;
    expect((await call("PUT", `${HOOKS}/${encodeURIComponent(created.uuid)}`, { description: ["x"] })).status).toBe(400);
    expect((await call("GET", HOOKS)).body.values).toHaveLength(1);
  });

  test("an empty secret leaves the secret unset (secret_set false), on create and on update", async () => {
    const created = await createHook({ secret: "" });
    expect(created.body.secret_set).toBe(false);
    const path = `${HOOKS}/${encodeURIComponent(created.body.uuid)}`;
    expect((await call("PUT", path, { secret: "set-now" })).body.secret_set).toBe(true);
    expect((await call("PUT", path, { secret: "" })).body.secret_set).toBe(false);
  });

  test("a null secret on create leaves it unset", async () => {
    expect((await createHook({ secret: null })).body.secret_set).toBe(false);
  });
});
