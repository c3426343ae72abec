// OpenSSH public keys for tests, made from a name (deterministic: the body's key material is a hash of
// it), and a private key whose text must never come back in a message.
import { createHash } from "crypto";

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
