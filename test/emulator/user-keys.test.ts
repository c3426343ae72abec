// A user's SSH and GPG keys: only the user manages them, a public key (never a private one, never
// quoted), one account per key; an SSH key's label and comment changeable and the key not; a GPG key
// read for its fingerprint, key id and expiry, addressed by its fingerprint.
import { CREDENTIALS, USERS } from "../../emulator/seed";
import { PRIVATE_KEY, PRIVATE_MATERIAL, publicKey, publicKeyBody } from "../support/ssh-keys";
import { GPG_PRIVATE_KEY, GPG_PRIVATE_MATERIAL, OTHER, OTHER_KEY, SIGNER, SIGNER_KEY } from "../support/gpg-keys";
import { useSeededEmulator } from "./suite";

const OWNER_KEYS = `/users/${USERS.acmeOwner.account_id}/ssh-keys`;
const ctx = useSeededEmulator("user-keys");
const call = ctx.call;

async function addKey(name = "laptop", label = "laptop") {
  const res = await call("POST", OWNER_KEYS, { key: publicKey(name, "me@laptop"), label });
  expect(res.status).toBe(201);
  return res.body;
}

describe("a user's SSH keys", () => {
  test("POST adds the key (201, comment apart, {uuid}, SHA-256 fingerprint, owner); GET lists it and gets it by uuid, by account id or {uuid} of the user", async () => {
    const added = await addKey();
    expect(added).toMatchObject({
      type: "ssh_key",
      key: `ssh-ed25519 ${publicKeyBody("laptop")}`,
      comment: "me@laptop",
      label: "laptop",
      owner: { uuid: USERS.acmeOwner.uuid },
    });
    expect(added.uuid).toMatch(/^\{[0-9a-f-]{36}\}$/);
    expect(added.fingerprint).toMatch(/^[A-Za-z0-9+/]{43}$/);
    expect((await call("GET", OWNER_KEYS)).body.values.map((k: { uuid: string }) => k.uuid)).toEqual([added.uuid]);
    const byUuid = `/users/${encodeURIComponent(USERS.acmeOwner.uuid)}/ssh-keys/${encodeURIComponent(added.uuid)}`;
    expect((await call("GET", byUuid)).body).toMatchObject({ uuid: added.uuid, label: "laptop" });
  });

  test("another user's keys are 403 (list and add); an unknown user 404; an access token 403", async () => {
    expect((await call("GET", OWNER_KEYS, undefined, CREDENTIALS.alice)).status).toBe(403);
    expect((await call("POST", OWNER_KEYS, { key: publicKey("x") }, CREDENTIALS.alice)).status).toBe(403);
    expect((await call("GET", "/users/no-such-account/ssh-keys")).status).toBe(404);
    expect((await call("GET", OWNER_KEYS, undefined, CREDENTIALS.acmeAccessToken)).status).toBe(403);
    expect((await call("GET", OWNER_KEYS)).body.values).toEqual([]);
  });

  test("a key is refused (400 naming key) when not a public key; a private key is refused without being quoted", async () => {
    for (const key of ["ssh-ed25519", `ssh-rsa ${publicKeyBody("x")}`, 42]) {
      const res = await call("POST", OWNER_KEYS, { key });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^key: /);
    }
    const secret = await call("POST", OWNER_KEYS, { key: PRIVATE_KEY });
    expect(secret.status).toBe(400);
    expect(secret.body.error.message).toMatch(/private key/);
    expect(JSON.stringify(secret.body)).not.toContain(PRIVATE_MATERIAL);
  });

  test("a key already on an account (this one or another) is refused, whatever its comment", async () => {
    await addKey();
    const again = await call("POST", OWNER_KEYS, { key: publicKey("laptop", "other comment") });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe("Someone has already added that SSH key.");
    const alice = await call("POST", `/users/${USERS.alice.account_id}/ssh-keys`, { key: publicKey("laptop") }, CREDENTIALS.alice);
    expect(alice.status).toBe(400);
  });

  test("PUT changes the label, never the key; DELETE answers 204, then 404", async () => {
    const added = await addKey();
    const path = `${OWNER_KEYS}/${encodeURIComponent(added.uuid)}`;
    expect((await call("PUT", path, { key: publicKey("laptop"), label: "renamed" })).body).toMatchObject({ uuid: added.uuid, label: "renamed" });
    const other = await call("PUT", path, { key: publicKey("other"), label: "x" });
    expect(other.status).toBe(400);
    expect(other.body.error.message).toMatch(/^key: .*cannot change/);
    expect((await call("DELETE", path)).status).toBe(204);
    expect((await call("GET", path)).status).toBe(404);
    expect((await call("DELETE", path)).status).toBe(404);
  });
});

const OWNER_GPG = `/users/${USERS.acmeOwner.account_id}/gpg-keys`;

describe("a user's GPG keys", () => {
  test("POST reads the block (201): fingerprint, key id, creation and expiry as gpg gives them; GET lists it and gets it by fingerprint, any case", async () => {
    const added = await call("POST", OWNER_GPG, { key: SIGNER_KEY, name: "release signing" });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      type: "gpg_key",
      key: SIGNER_KEY,
      fingerprint: SIGNER.fingerprint,
      key_id: SIGNER.keyId,
      created_on: SIGNER.createdOn,
      expires_on: SIGNER.expiresOn,
      name: "release signing",
      subkeys: [],
      owner: { uuid: USERS.acmeOwner.uuid },
    });
    const other = await call("POST", OWNER_GPG, { key: OTHER_KEY });
    expect(other.body).toMatchObject({ fingerprint: OTHER.fingerprint, key_id: OTHER.keyId });
    expect(other.body).not.toHaveProperty("expires_on");
    expect((await call("GET", OWNER_GPG)).body.values.map((k: { fingerprint: string }) => k.fingerprint)).toEqual([SIGNER.fingerprint, OTHER.fingerprint]);
    expect((await call("GET", `${OWNER_GPG}/${SIGNER.fingerprint.toLowerCase()}`)).body).toMatchObject({ fingerprint: SIGNER.fingerprint });
  });

  test("not an armored public key block: 400 naming key; a private key block is refused without being quoted", async () => {
    for (const key of ["not a key", SIGNER_KEY.replace("mDMEaxLx", "!!!!"), 42]) {
      const res = await call("POST", OWNER_GPG, { key });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^key: /);
    }
    const secret = await call("POST", OWNER_GPG, { key: GPG_PRIVATE_KEY });
    expect(secret.body.error.message).toMatch(/private key block/);
    expect(JSON.stringify(secret.body)).not.toContain(GPG_PRIVATE_MATERIAL);
  });

  test("a key on an account already is 400 (this one or another); another user's keys are 403; DELETE 204 then 404", async () => {
    expect((await call("POST", OWNER_GPG, { key: SIGNER_KEY })).status).toBe(201);
    expect((await call("POST", OWNER_GPG, { key: SIGNER_KEY })).body.error.message).toBe("Someone has already added that GPG key.");
    expect((await call("POST", `/users/${USERS.alice.account_id}/gpg-keys`, { key: SIGNER_KEY }, CREDENTIALS.alice)).status).toBe(400);
    expect((await call("GET", OWNER_GPG, undefined, CREDENTIALS.alice)).status).toBe(403);
    expect((await call("DELETE", `${OWNER_GPG}/${SIGNER.fingerprint}`)).status).toBe(204);
    expect((await call("GET", `${OWNER_GPG}/${SIGNER.fingerprint}`)).status).toBe(404);
  });
});
