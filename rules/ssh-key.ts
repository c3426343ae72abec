// OpenSSH public keys as Bitbucket takes them for deploy keys (`<type> <base64> [comment]`), the one rule
// the provider's check and the emulator both follow. A message about a refused key never quotes it:
// what was given may be a private key.

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
