// OpenSSH public keys as Bitbucket takes them for deploy keys (`<type> <base64> [comment]`), the one rule
// the provider's check and the emulator both follow. A message about a refused key never quotes it:
// what was given may be a private key.
import { createHash, createPrivateKey } from "crypto";

/** The key types Bitbucket accepts (DSA keys are no longer accepted). */
export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;

export interface PublicKey {
  type: string;
  body: string;
  /** What follows the body, trimmed ("" when none). */
  comment: string;
}

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|OPENSSH PRIVATE KEY|PuTTY-User-Key-File/;

/** Whether the text holds a private key (PEM, OpenSSH or PuTTY). */
export const isPrivateKey = (text: string): boolean => PRIVATE_KEY.test(text);

export const PRIVATE_KEY_REFUSED =
  "is a private key: give the public key (the .pub file, `ssh-keygen -y -f <private key>` prints it). A private key must never be shared, not with Bitbucket nor in a Pulumi program; if it was committed anywhere, make a new key pair";

/** The type string an SSH wire-format key blob starts with (uint32 length, then that many bytes). */
function embeddedType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  return length > 0 && length <= 64 && 4 + length <= blob.length ? blob.subarray(4, 4 + length).toString("latin1") : undefined;
}

/** The key's parts, or why it is not an OpenSSH public key (never quoting it). */
export function parsePublicKey(text: string): PublicKey | { refused: string } {
  if (isPrivateKey(text)) return { refused: PRIVATE_KEY_REFUSED };
  const trimmed = text.trim();
  if (/[\r\n]/.test(trimmed)) return { refused: "must be one line: an OpenSSH public key `<type> <base64> [comment]`" };
  const [type = "", body = "", ...rest] = trimmed.split(/[ \t]+/);
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type))
    return { refused: `must be an OpenSSH public key \`<type> <base64> [comment]\` whose type is one of ${SSH_KEY_TYPES.join(", ")}` };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) return { refused: `must have a base64 key body after its type ${type}` };
  if (embeddedType(Buffer.from(body, "base64")) !== type) return { refused: `has a key body that is not a ${type} key (the body's own type differs)` };
  return { type, body, comment: rest.join(" ") };
}

/** The key without its comment: two spellings of one key compare equal. */
export const keyIdentity = (key: PublicKey): string => `${key.type} ${key.body}`;

/** Whether two texts are the same public key (type and body; the comment does not count). */
export function sameKey(a: string, b: string): boolean {
  const [x, y] = [parsePublicKey(a), parsePublicKey(b)];
  return "type" in x && "type" in y && keyIdentity(x) === keyIdentity(y);
}

// ---- Private keys (Pipelines' SSH key pair) ----------------------------------------------------

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An SSH mpint: big-endian, with a leading zero byte when the high bit is set. */
const sshMpint = (bytes: Buffer) => sshString(bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);

/** Reads the SSH strings of an OpenSSH private key's header, bounded by the blob. */
function readStrings(blob: Buffer, start: number, count: number): { values: Buffer[]; end: number } | undefined {
  const values: Buffer[] = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    if (at + 4 > blob.length) return undefined;
    const length = blob.readUInt32BE(at);
    if (at + 4 + length > blob.length) return undefined;
    values.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return { values, end: at };
}

const OPENSSH_MAGIC = Buffer.from("openssh-key-v1\0", "latin1");
const PASSPHRASE_REFUSED = "is protected by a passphrase: Bitbucket Pipelines takes only SSH keys without one";
const NOT_A_PRIVATE_KEY =
  "must be an unencrypted SSH private key: the text of an OpenSSH (`-----BEGIN OPENSSH PRIVATE KEY-----`) or PEM (`-----BEGIN PRIVATE KEY-----`, `RSA`, `EC`) private key file";

/** The public key of an OpenSSH-format private key: its header holds it in the clear. */
function openSshPublicKey(der: Buffer): string | { refused: string } {
  if (!der.subarray(0, OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC)) return { refused: NOT_A_PRIVATE_KEY };
  const header = readStrings(der, OPENSSH_MAGIC.length, 3);
  if (!header) return { refused: NOT_A_PRIVATE_KEY };
  const [cipher] = header.values;
  if (cipher!.toString("latin1") !== "none") return { refused: PASSPHRASE_REFUSED };
  if (header.end + 4 > der.length || der.readUInt32BE(header.end) !== 1) return { refused: "must hold exactly one key" };
  const blob = readStrings(der, header.end + 4, 1)?.values[0];
  const type = blob && embeddedType(blob);
  if (!blob || !type || !(SSH_KEY_TYPES as readonly string[]).includes(type))
    return { refused: `must be a key of one of the types ${SSH_KEY_TYPES.join(", ")}` };
  return `${type} ${blob.toString("base64")}`;
}

const CURVES: Record<string, string> = { "P-256": "nistp256", "P-384": "nistp384", "P-521": "nistp521" };

/** The OpenSSH public key of a PEM private key (RSA, Ed25519 or ECDSA), from its JWK form. */
function pemPublicKey(pem: string): string | { refused: string } {
  if (/ENCRYPTED/.test(pem)) return { refused: PASSPHRASE_REFUSED };
  let jwk: { kty?: string; crv?: string; n?: string; e?: string; x?: string; y?: string };
  try {
    jwk = createPrivateKey({ key: pem, format: "pem" }).export({ format: "jwk" });
  } catch {
    return { refused: NOT_A_PRIVATE_KEY };
  }
  const b = (s: string | undefined) => Buffer.from(s ?? "", "base64url");
  let blob: Buffer;
  if (jwk.kty === "RSA") blob = Buffer.concat([sshString(Buffer.from("ssh-rsa")), sshMpint(b(jwk.e)), sshMpint(b(jwk.n))]);
  else if (jwk.kty === "OKP" && jwk.crv === "Ed25519") blob = Buffer.concat([sshString(Buffer.from("ssh-ed25519")), sshString(b(jwk.x))]);
  else if (jwk.kty === "EC" && jwk.crv && CURVES[jwk.crv]) {
    const curve = CURVES[jwk.crv]!;
    const point = Buffer.concat([Buffer.from([4]), b(jwk.x), b(jwk.y)]);
    blob = Buffer.concat([sshString(Buffer.from(`ecdsa-sha2-${curve}`)), sshString(Buffer.from(curve)), sshString(point)]);
  } else return { refused: `must be a key of one of the types ${SSH_KEY_TYPES.join(", ")}` };
  return `${embeddedType(blob)} ${blob.toString("base64")}`;
}

/**
 * The public key (`<type> <base64>`) of an unencrypted SSH private key (OpenSSH or PEM), or why it is
 * not one. A refusal never quotes the text.
 */
export function publicKeyOfPrivateKey(text: string): { publicKey: string } | { refused: string } {
  const trimmed = text.trim();
  const openSsh = /^-----BEGIN OPENSSH PRIVATE KEY-----\s+([A-Za-z0-9+/=\s]+?)\s*-----END OPENSSH PRIVATE KEY-----$/.exec(trimmed);
  let found: string | { refused: string };
  if (openSsh) found = openSshPublicKey(Buffer.from(openSsh[1]!.replace(/\s+/g, ""), "base64"));
  else if (/^-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(trimmed)) found = pemPublicKey(trimmed);
  else found = { refused: NOT_A_PRIVATE_KEY };
  return typeof found === "string" ? { publicKey: found } : found;
}

// ---- Known hosts (Pipelines) -------------------------------------------------------------------

export const KNOWN_HOST_FORM = "a host name or IP address, or `[host]:port` for another port than 22 (as in a known_hosts file)";

/** Why a known host's name is not one, or undefined. */
export function hostnameRefusal(hostname: string): string | undefined {
  const host = /^\[([^\]]+)\]:([0-9]{1,5})$/.exec(hostname);
  const name = host ? host[1]! : hostname;
  if (host && (Number(host[2]) < 1 || Number(host[2]) > 65535)) return `must be ${KNOWN_HOST_FORM}; the port must be 1-65535`;
  // Names, IPv4 and IPv6 (bracketed with a port or bare).
  if (
    name.length === 0 ||
    name.length > 253 ||
    !/^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$|^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/.test(name)
  )
    return `must be ${KNOWN_HOST_FORM}`;
  return undefined;
}

/** The fingerprints Bitbucket shows for a public key body: MD5 as hex pairs, SHA-256 as `SHA256:<base64>`. */
export function fingerprints(body: string): { md5: string; sha256: string } {
  const blob = Buffer.from(body, "base64");
  const md5 = createHash("md5").update(blob).digest("hex").match(/../g)!.join(":");
  return { md5, sha256: `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}` };
}
