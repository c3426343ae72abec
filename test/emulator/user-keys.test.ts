// A user's SSH keys: only the user manages them, an OpenSSH public key (never a private one, never
// quoted), one account per key, the label and comment changeable and the key not.
import { CREDENTIALS, USERS } from "../../emulator/seed";
import { PRIVATE_KEY, PRIVATE_MATERIAL, publicKey, publicKeyBody } from "../support/ssh-keys";
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
