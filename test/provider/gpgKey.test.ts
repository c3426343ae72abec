import { CREDENTIALS, USERS } from "../../emulator";
import { UNKNOWN } from "../../provider/resources/common";
import { GPG_PRIVATE_KEY, GPG_PRIVATE_MATERIAL, OTHER, OTHER_KEY, SIGNER, SIGNER_KEY } from "../support/gpg-keys";
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

const p = provider("GpgKey");
const user = USERS.acmeOwner.account_id;
const keysPath = `/users/${user}/gpg-keys`;
const liveKeys = async () => (await asOwner(emu, "GET", keysPath)).body.values as { fingerprint: string; name: string }[];
/** The same key exported again, with an armor header and other line breaks. */
const reArmored = SIGNER_KEY.replace("-----BEGIN PGP PUBLIC KEY BLOCK-----\n", "-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: re-exported\n");

describe("GpgKey lifecycle", () => {
  test("create reads back fingerprint, key id, creation and expiry; a refresh is one GET with no diff; a re-armored block is no change; name and key replace; delete", async () => {
    const args = { user, key: SIGNER_KEY, name: "release signing" };
    const { id, outs } = await create("GpgKey", args);
    expect(id).toBe(SIGNER.fingerprint);
    expect(outs).toMatchObject({
      user,
      key: SIGNER_KEY,
      name: "release signing",
      fingerprint: SIGNER.fingerprint,
      keyId: SIGNER.keyId,
      createdOn: SIGNER.createdOn,
      expiresOn: SIGNER.expiresOn,
    });

    const cost = await refreshCost(emu, "GpgKey", id, outs);
    expect(cost.byRoute).toEqual({ "GET /users/{selected_user}/gpg-keys/{fingerprint}": 1 });
    const { read, diff } = await refreshAndDiff("GpgKey", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });

    expect((await p.diff(id, outs, await checked("GpgKey", { ...args, key: reArmored }))).changes).toBe(false);
    expect((await p.diff(id, outs, await checked("GpgKey", { ...args, key: OTHER_KEY }))).replaces).toEqual(["key"]);
    expect((await p.diff(id, outs, await checked("GpgKey", { ...args, name: "other" }))).replaces).toEqual(["name"]);

    await p.delete(id, outs);
    expect(await liveKeys()).toEqual([]);
    expect(await p.read(id, outs)).toEqual({});
  });

  test("a key that never expires has no expiresOn; get by user/FINGERPRINT reads it", async () => {
    const { id, outs } = await create("GpgKey", { user, key: OTHER_KEY });
    expect(outs).toMatchObject({ fingerprint: OTHER.fingerprint, keyId: OTHER.keyId, name: "" });
    expect(outs).not.toHaveProperty("expiresOn");
    const read = await p.read(`${user}/${OTHER.fingerprint}`, undefined);
    expect(read).toMatchObject({ id, props: { user, fingerprint: OTHER.fingerprint } });
    await p.delete(id, outs);
  });

  test("drift: a key deleted by hand reads as gone; one re-added by hand under another name shows name to replace", async () => {
    const args = { user, key: SIGNER_KEY, name: "ci" };
    const { id, outs } = await create("GpgKey", args);
    await asOwner(emu, "DELETE", `${keysPath}/${id}`);
    expect(await p.read(id, outs)).toEqual({});
    await asOwner(emu, "POST", keysPath, { key: SIGNER_KEY, name: "by hand" });
    const { read, diff } = await refreshAndDiff("GpgKey", id, outs, args);
    expect(read.props).toMatchObject({ name: "by hand" });
    expect(diff).toEqual({ changes: true, replaces: ["name"], deleteBeforeReplace: true });
    await p.delete(id, outs);
  });
});

describe("GpgKey creation never adds a key twice", () => {
  test("a POST whose answer is lost: the key is looked for, found, and not added again", async () => {
    await script(emu, [{ method: "POST", pathPrefix: `/users/${enc(user)}/gpg-keys`, lostResponse: true }]);
    await clearCounters(emu);
    const { id, outs } = await create("GpgKey", { user, key: SIGNER_KEY, name: "lost" });
    expect((await counters(emu)).byRoute["POST /users/{selected_user}/gpg-keys"]).toBe(1);
    expect((await liveKeys()).map((k) => k.fingerprint)).toEqual([id]);
    await p.delete(id, outs);
  });

  test("a key added by hand: taken over with 0 writes when the name is the program's; added again under the program's name (said so) otherwise", async () => {
    const notices: string[] = [];
    useOwner(emu, { ...FAST, notify: (m) => notices.push(m) });
    try {
      await asOwner(emu, "POST", keysPath, { key: SIGNER_KEY, name: "same" });
      await clearCounters(emu);
      const same = await create("GpgKey", { user, key: SIGNER_KEY, name: "same" });
      expect((await counters(emu)).byRoute["POST /users/{selected_user}/gpg-keys"]).toBeUndefined();
      expect(notices).toEqual([]);
      const renamed = await create("GpgKey", { user, key: SIGNER_KEY, name: "managed" });
      expect(renamed.outs).toMatchObject({ name: "managed", fingerprint: SIGNER.fingerprint });
      expect(notices.join("\n")).toMatch(/already had this key .*named "same"\), now added again named "managed": taken over/);
      expect((await liveKeys()).map((k) => k.name)).toEqual(["managed"]);
      await p.delete(same.id, same.outs);
    } finally {
      useOwner(emu);
    }
  });

  test("a key on another account is refused with Bitbucket's answer", async () => {
    const alice = new Client(emu.apiUrl, CREDENTIALS.alice);
    expect((await alice.request("POST", `/users/${USERS.alice.account_id}/gpg-keys`, { body: { key: OTHER_KEY } })).status).toBe(201);
    const error = await p.create(await checked("GpgKey", { user, key: OTHER_KEY })).catch((e: Error) => e);
    expect(String(error)).toMatch(/400.*Someone has already added that GPG key/);
  });
});

describe("GpgKey check", () => {
  const base = { user, key: SIGNER_KEY };
  test.each([
    ["an SSH key", { key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKqP3Cr632C2dNhhgKVcon4ldUSAeKiku2yP9O9/bDtY" }, "key", /ASCII-armored public key block/],
    ["a block that is not base64", { key: SIGNER_KEY.replace("mDMEaxLx", "!!!!") }, "key", /not base64/],
    ["a name over 255", { name: "x".repeat(256) }, "name", /at most 255/],
    ["a username for user", { user: "alice.smith" }, "user", /account id/],
  ])("%s is refused, naming the field", async (_what, patch, property, reason) => {
    const r = await p.check({}, { ...base, ...patch });
    expect(r.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  test("a private key block is refused as one, and no message quotes it (check, create)", async () => {
    const r = await p.check({}, { ...base, key: GPG_PRIVATE_KEY });
    expect(r.failures?.[0]).toMatchObject({ property: "key", reason: expect.stringMatching(/is a private key block.*must never be shared/) });
    expect(JSON.stringify(r.failures)).not.toContain(GPG_PRIVATE_MATERIAL);
    const error = await p.create({ ...base, key: GPG_PRIVATE_KEY }).catch((e: Error) => e);
    expect(String(error)).toMatch(/private key block/);
    expect(String(error)).not.toContain(GPG_PRIVATE_MATERIAL);
  });

  test("an unknown key at preview passes", async () => {
    expect((await p.check({}, { ...base, key: UNKNOWN })).failures).toBeUndefined();
  });
});
