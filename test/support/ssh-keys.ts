// OpenSSH public keys for tests, made from a name (deterministic: the body's key material is a hash of
// it), and a private key whose text must never come back in a message.
import { createHash, generateKeyPairSync } from "crypto";

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** A well-formed key blob of `type` whose material comes from `name`. */
export function publicKeyBody(name: string, type = "ssh-ed25519"): string {
  const material = createHash("sha256").update(name).digest();
  return Buffer.concat([sshString(Buffer.from(type)), sshString(material)]).toString("base64");
}

/** `<type> <base64> [comment]`. */
export const publicKey = (name: string, comment?: string, type = "ssh-ed25519") => `${type} ${publicKeyBody(name, type)}${comment ? ` ${comment}` : ""}`;

/** Text inside the private key below: no message may contain it. */
export const PRIVATE_MATERIAL = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";

export const PRIVATE_KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\n${PRIVATE_MATERIAL}\nQyNTUxOQAAACDoNotShareThisPrivateKeyMaterialAtAll0000000000000000000\n-----END OPENSSH PRIVATE KEY-----\n`;

/** A real Ed25519 key pair: its private key as PEM (PKCS#8) and as an OpenSSH file, and its public key `<type> <base64>`. */
export function sshKeyPair(): { pem: string; openSsh: string; publicKey: string } {
  const { privateKey, publicKey: pub } = generateKeyPairSync("ed25519");
  const x = Buffer.from(pub.export({ format: "jwk" }).x!, "base64url");
  const d = Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url");
  const blob = Buffer.concat([sshString(Buffer.from("ssh-ed25519")), sshString(x)]);
  const check = Buffer.alloc(8, 7);
  let secret = Buffer.concat([check, sshString(Buffer.from("ssh-ed25519")), sshString(x), sshString(Buffer.concat([d, x])), sshString(Buffer.from("test"))]);
  secret = Buffer.concat([secret, Buffer.from([1, 2, 3, 4, 5, 6, 7].slice(0, (8 - (secret.length % 8)) % 8))]);
  const none = sshString(Buffer.from("none"));
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const der = Buffer.concat([Buffer.from("openssh-key-v1\0", "latin1"), none, none, sshString(Buffer.alloc(0)), count, sshString(blob), sshString(secret)]);
  const lines = der
    .toString("base64")
    .match(/.{1,70}/g)!
    .join("\n");
  return {
    pem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    openSsh: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `ssh-ed25519 ${blob.toString("base64")}`,
  };
}
