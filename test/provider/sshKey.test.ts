import { CREDENTIALS, USERS } from "../../emulator";
import { UNKNOWN } from "../../provider/resources/common";
import { PRIVATE_KEY, PRIVATE_MATERIAL, publicKey, publicKeyBody } from "../support/ssh-keys";
import { Client } from "../support/emulator-client";
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

const p = provider("SshKey");
const user = USERS.acmeOwner.account_id;
const keysPath = `/users/${user}/ssh-keys`;
const liveKeys = async () => (await asOwner(emu, "GET", keysPath)).body.values as { uuid: string; key: string; label: string; comment?: string }[];

describe("SshKey lifecycle", () => {
  test("create, a refresh of one GET with no diff, label in place, key replaces, comment is no change, delete, read reports it gone", async () => {
    const args = { user, key: publicKey("life", "me@laptop"), label: "laptop" };
    const { id, outs } = await create("SshKey", args);
    expect(id).toMatch(/^\{[0-9a-f-]{36}\}$/);
    expect(outs).toMatchObject({ user, key: args.key, label: "laptop", keyUuid: id, fingerprint: expect.any(String) });

    const cost = await refreshCost(emu, "SshKey", id, outs);
    expect(cost.byRoute).toEqual({ "GET /users/{selected_user}/ssh-keys/{key_id}": 1 });
    const { read, diff } = await refreshAndDiff("SshKey", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });

    expect(await p.diff(id, outs, await checked("SshKey", { ...args, key: publicKey("life", "another@comment") }))).toMatchObject({ changes: false });
    expect((await p.diff(id, outs, await checked("SshKey", { ...args, key: publicKey("other") }))).replaces).toEqual(["key"]);
    expect((await p.diff(id, outs, await checked("SshKey", { ...args, user: USERS.alice.account_id }))).replaces).toEqual(["user"]);

    const relabelled = await checked("SshKey", { ...args, label: "work laptop" });
    expect(await p.diff(id, outs, relabelled)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await p.update(id, outs, relabelled);
    expect(after).toMatchObject({ label: "work laptop", keyUuid: id, key: args.key });

    await p.delete(id, after);
    expect(await liveKeys()).toEqual([]);
    expect(await p.read(id, after)).toEqual({});
  });

  test("drift: a label changed by hand is named and put back; a key deleted by hand reads as gone", async () => {
    const args = { user, key: publicKey("drift"), label: "ci" };
    const { id, outs } = await create("SshKey", args);
    await asOwner(emu, "PUT", `${keysPath}/${enc(id)}`, { key: args.key, label: "by hand" });
    const { read, diff } = await refreshAndDiff("SshKey", id, outs, args);
    expect(read.props).toMatchObject({ label: "by hand" });
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await p.update(id, read.props!, await checked("SshKey", args));
    expect((await liveKeys())[0].label).toBe("ci");
    await asOwner(emu, "DELETE", `${keysPath}/${enc(id)}`);
    expect(await p.read(id, outs)).toEqual({});
  });

  test("get by user/{uuid} reads the key", async () => {
    const { id, outs } = await create("SshKey", { user, key: publicKey("get"), label: "got" });
    const read = await p.read(`${user}/${id}`, undefined);
    expect(read).toMatchObject({ id, props: { user, keyUuid: id, label: "got", key: `ssh-ed25519 ${publicKeyBody("get")}` } });
    await p.delete(id, outs);
  });
});

describe("SshKey creation never adds a key twice", () => {
  test("a POST whose answer is lost: the retry meets 'already added' and the key is taken over", async () => {
    await script(emu, [{ method: "POST", pathPrefix: `/users/${enc(user)}/ssh-keys`, lostResponse: true }]);
    await clearCounters(emu);
    const { id, outs } = await create("SshKey", { user, key: publicKey("lost"), label: "lost" });
    expect((await counters(emu)).byRoute["POST /users/{selected_user}/ssh-keys"]).toBe(2);
    expect((await liveKeys()).map((k) => k.uuid)).toEqual([id]);
    await p.delete(id, outs);
  });

  test("a key added by hand with another label is taken over, relabelled, and said so", async () => {
    const notices: string[] = [];
    useOwner(emu, { ...FAST, notify: (m) => notices.push(m) });
    try {
      const added = (await asOwner(emu, "POST", keysPath, { key: publicKey("hand", "by@hand"), label: "by hand" })).body;
      const { id, outs } = await create("SshKey", { user, key: publicKey("hand"), label: "managed" });
      expect(id).toBe(added.uuid);
      expect(outs).toMatchObject({ label: "managed" });
      expect(notices.join("\n")).toMatch(/already had this key .*labelled "by hand"\), now labelled "managed": taken over/);
      await p.delete(id, outs);
    } finally {
      useOwner(emu);
    }
  });

  test("a key on another account is refused with Bitbucket's answer (never taken over)", async () => {
    const alice = new Client(emu.apiUrl, CREDENTIALS.alice);
    const theirs = await alice.request("POST", `/users/${USERS.alice.account_id}/ssh-keys`, { body: { key: publicKey("theirs") } });
    expect(theirs.status).toBe(201);
    const error = await p.create(await checked("SshKey", { user, key: publicKey("theirs") })).catch((e: Error) => e);
    expect(String(error)).toMatch(/400.*Someone has already added that SSH key/);
    expect(await liveKeys()).toEqual([]);
  });
});

describe("SshKey check", () => {
  const base = { user, key: publicKey("check") };
  test.each([
    ["an unknown key type", { key: `ssh-dss ${publicKeyBody("x")}` }, "key", /type is one of ssh-ed25519, ssh-rsa/],
    ["a body of another type", { key: `ssh-rsa ${publicKeyBody("x")}` }, "key", /not a ssh-rsa key/],
    ["a label over 255", { label: "x".repeat(256) }, "label", /at most 255/],
    ["a username for user", { user: "alice.smith" }, "user", /account id .* or a user \{uuid\}/],
  ])("%s is refused, naming the field", async (_what, patch, property, reason) => {
    const r = await p.check({}, { ...base, ...patch });
    expect(r.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  test("a private key is refused as one, and no message quotes it (check, create)", async () => {
    const r = await p.check({}, { ...base, key: PRIVATE_KEY });
    expect(r.failures?.[0]).toMatchObject({ property: "key", reason: expect.stringMatching(/is a private key.*must never be shared/) });
    expect(JSON.stringify(r.failures)).not.toContain(PRIVATE_MATERIAL);
    const error = await p.create({ ...base, key: PRIVATE_KEY }).catch((e: Error) => e);
    expect(String(error)).toMatch(/private key/);
    expect(String(error)).not.toContain(PRIVATE_MATERIAL);
  });

  test("an unknown key at preview passes", async () => {
    expect((await p.check({}, { ...base, key: UNKNOWN })).failures).toBeUndefined();
  });
});
