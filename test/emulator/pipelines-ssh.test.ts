import { CREDENTIALS, WORKSPACES } from "../../emulator/seed";
import { publicKey, publicKeyBody, sshKeyPair } from "../support/ssh-keys";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("pipelines-ssh");
const call = ctx.call;
const REPO = "/repositories/acme/platform-api/pipelines_config";
const SCHEDULES = `${REPO}/schedules`;
const KEY_PAIR = `${REPO}/ssh/key_pair`;
const KNOWN_HOSTS = `${REPO}/ssh/known_hosts`;
const WS_HOOKS = `/workspaces/${WORKSPACES.acme.slug}/hooks`;

const nightly = { target: { ref_type: "branch", ref_name: "main", selector: { type: "branches", pattern: "main" } }, cron_pattern: "0 0 2 * * ? *" };

describe("pipelines schedules", () => {
  test("POST 201 answers the schedule (enabled by default); GET lists it and gets it by UUID", async () => {
    const res = await call("POST", SCHEDULES, nightly);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      type: "pipeline_schedule",
      enabled: true,
      cron_pattern: "0 0 2 * * ? *",
      target: { ref_type: "branch", ref_name: "main", selector: { type: "branches", pattern: "main" } },
    });
    expect((await call("GET", SCHEDULES)).body.values.map((s: { uuid: string }) => s.uuid)).toEqual([res.body.uuid]);
    expect((await call("GET", `${SCHEDULES}/${encodeURIComponent(res.body.uuid)}`)).body.uuid).toBe(res.body.uuid);
  });

  test.each([
    ["six fields", "0 0 2 * * ?"],
    ["seconds other than 0", "30 0 2 * * ? *"],
    ["every minute", "0 * * * * ? *"],
    ["both day fields given", "0 0 2 * * MON *"],
    ["an hour out of range", "0 0 24 * * ? *"],
  ])("POST refuses a cron pattern with %s: 400 naming cron_pattern", async (_what, cron_pattern) => {
    const res = await call("POST", SCHEDULES, { ...nightly, cron_pattern });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^cron_pattern: must be a 7-field cron pattern/);
    expect((await call("GET", SCHEDULES)).body.values).toEqual([]);
  });

  test("POST refuses a target that is not a branch with a selector", async () => {
    const tag = await call("POST", SCHEDULES, { ...nightly, target: { ...nightly.target, ref_type: "tag" } });
    expect(tag.body.error.message).toMatch(/^target.ref_type: must be branch/);
    const selector = await call("POST", SCHEDULES, { ...nightly, target: { ...nightly.target, selector: { type: "tags", pattern: "x" } } });
    expect(selector.body.error.message).toMatch(/^target.selector.type: must be one of branches, custom, default/);
  });

  test("PUT changes enabled only; DELETE 204, then GET 404; an unknown schedule is 404", async () => {
    const { uuid } = (await call("POST", SCHEDULES, nightly)).body;
    const path = `${SCHEDULES}/${encodeURIComponent(uuid)}`;
    const put = await call("PUT", path, { enabled: false, cron_pattern: "0 0 3 * * ? *" });
    expect(put.body).toMatchObject({ enabled: false, cron_pattern: "0 0 2 * * ? *" });
    expect((await call("DELETE", path)).status).toBe(204);
    expect((await call("GET", path)).status).toBe(404);
    expect((await call("PUT", path, { enabled: true })).status).toBe(404);
  });
});

describe("pipelines SSH key pair", () => {
  test("PUT sets the pair; GET answers the public key and never the private key; DELETE removes it", async () => {
    expect((await call("GET", KEY_PAIR)).status).toBe(404);
    const pair = sshKeyPair();
    const put = await call("PUT", KEY_PAIR, { private_key: pair.openSsh, public_key: `${pair.publicKey} ci@example` });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ type: "pipeline_ssh_key_pair", public_key: pair.publicKey });
    const got = await call("GET", KEY_PAIR);
    expect(got.body).toEqual({ type: "pipeline_ssh_key_pair", public_key: pair.publicKey });
    expect(JSON.stringify(got.body)).not.toContain("PRIVATE");
    // A PEM private key too; it replaces the pair.
    const other = sshKeyPair();
    expect((await call("PUT", KEY_PAIR, { private_key: other.pem, public_key: other.publicKey })).body.public_key).toBe(other.publicKey);
    expect((await call("DELETE", KEY_PAIR)).status).toBe(204);
    expect((await call("GET", KEY_PAIR)).status).toBe(404);
    expect((await call("DELETE", KEY_PAIR)).status).toBe(404);
  });

  test("a private key that is not one, or a public key of another pair, is refused without quoting either", async () => {
    const pair = sshKeyPair();
    const bad = await call("PUT", KEY_PAIR, { private_key: "not a key", public_key: pair.publicKey });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^private_key: the key must be an unencrypted SSH private key/);
    const mismatch = await call("PUT", KEY_PAIR, { private_key: pair.pem, public_key: sshKeyPair().publicKey });
    expect(mismatch.body.error.message).toBe("public_key: is not the public key of the private key");
    expect(JSON.stringify(mismatch.body)).not.toContain(pair.pem.split("\n")[1]);
    expect((await call("GET", KEY_PAIR)).status).toBe(404);
  });
});

describe("pipelines known hosts", () => {
  const host = { hostname: "[git.example.com]:2222", public_key: { key_type: "ssh-ed25519", key: publicKeyBody("host") } };

  test("POST 201 with fingerprints; a second host with that name is 409; PUT changes the key; DELETE 204", async () => {
    const res = await call("POST", KNOWN_HOSTS, host);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: "pipeline_known_host", hostname: host.hostname, public_key: { key_type: "ssh-ed25519", key: host.public_key.key } });
    expect(res.body.public_key.sha256_fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(res.body.public_key.md5_fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const again = await call("POST", KNOWN_HOSTS, host);
    expect(again.status).toBe(409);
    expect((await call("GET", KNOWN_HOSTS)).body.values).toHaveLength(1);
    const path = `${KNOWN_HOSTS}/${encodeURIComponent(res.body.uuid)}`;
    const put = await call("PUT", path, { ...host, public_key: { key_type: "ssh-rsa", key: publicKeyBody("host2", "ssh-rsa") } });
    expect(put.body.public_key).toMatchObject({ key_type: "ssh-rsa" });
    expect((await call("DELETE", path)).status).toBe(204);
    expect((await call("GET", path)).status).toBe(404);
  });

  test.each([
    ["a hostname with a space", { ...host, hostname: "git example" }, /^hostname: must be a host name/],
    ["a port out of range", { ...host, hostname: "[git.example.com]:70000" }, /^hostname: .*port/],
    ["a key of another type", { ...host, public_key: { key_type: "ssh-rsa", key: publicKeyBody("x") } }, /^public_key: /],
    ["a key that is not base64", { ...host, public_key: { key_type: "ssh-ed25519", key: "%%" } }, /^public_key: /],
  ])("POST refuses %s with 400", async (_what, body, message) => {
    const res = await call("POST", KNOWN_HOSTS, body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  test("another user without admin rights on the repository cannot list them", async () => {
    expect((await call("GET", KNOWN_HOSTS, undefined, CREDENTIALS.mallory)).status).toBeGreaterThanOrEqual(403);
    expect(publicKey("x")).toMatch(/^ssh-ed25519 /);
  });
});

describe("workspace webhooks and hook events", () => {
  const hook = { url: "https://hooks.example.com/bb", description: "all pushes", events: ["repo:push"], secret: "s3cret" };

  test("POST 201 (+ Location) answers subject_type workspace and secret_set, never the secret; PUT, DELETE", async () => {
    const res = await call("POST", WS_HOOKS, hook);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: "webhook_subscription", subject_type: "workspace", secret_set: true, events: ["repo:push"], active: true });
    expect(JSON.stringify(res.body)).not.toContain("s3cret");
    const path = `${WS_HOOKS}/${encodeURIComponent(res.body.uuid)}`;
    expect(res.headers.get("location")).toBe(`${ctx.emu.apiUrl}${path}`);
    expect((await call("GET", WS_HOOKS)).body.values.map((h: { uuid: string }) => h.uuid)).toEqual([res.body.uuid]);
    expect((await call("PUT", path, { active: false, secret: null })).body).toMatchObject({ active: false, secret_set: false });
    expect((await call("DELETE", path)).status).toBe(204);
    expect((await call("GET", path)).status).toBe(404);
  });

  test("an unknown event, an internal URL are refused; a member who is not an owner is 403", async () => {
    expect((await call("POST", WS_HOOKS, { ...hook, events: ["repo:nope"] })).body.error.message).toMatch(/^events: unknown event repo:nope/);
    expect((await call("POST", WS_HOOKS, { ...hook, url: "http://127.0.0.1/x" })).body.error.message).toMatch(/^url: /);
    expect((await call("POST", WS_HOOKS, hook, CREDENTIALS.alice)).status).toBe(403);
    expect((await call("GET", WS_HOOKS)).body.values).toEqual([]);
  });

  test("GET /hook_events lists the subjects; /hook_events/workspace the events; an unknown subject is 404", async () => {
    expect((await call("GET", "/hook_events")).body.workspace.events.href).toBe(`${ctx.emu.apiUrl}/hook_events/workspace`);
    const events = await call("GET", "/hook_events/workspace?pagelen=100");
    expect(events.body.values.map((e: { event: string }) => e.event)).toContain("repo:push");
    expect(events.body.values[0]).toEqual({
      event: expect.any(String),
      category: expect.any(String),
      label: expect.any(String),
      description: expect.any(String),
    });
    expect((await call("GET", "/hook_events/nothing")).status).toBe(404);
  });
});
