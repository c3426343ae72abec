// OpenPGP public keys (RFC 4880 / 9580) as Bitbucket takes them: one ASCII-armored public key block.
// Shared by the provider (checked at preview) and the emulator. It reads what Bitbucket reports for a
// key: the primary key's v4 fingerprint and key id, its creation time, and the expiry its first
// self-signature gives. A refusal never quotes the text (it may be a private key).
import { createHash } from "crypto";

export interface GpgPublicKey {
  /** 40 upper-case hex digits (SHA-1 of the v4 key packet). */
  fingerprint: string;
  /** The fingerprint's last 16 hex digits. */
  keyId: string;
  createdOn: string;
  /** Absent: the key never expires. */
  expiresOn?: string;
  /** The subkeys' fingerprints. */
  subkeys: string[];
}

const BEGIN = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
const END = "-----END PGP PUBLIC KEY BLOCK-----";

export const GPG_PRIVATE_KEY_REFUSED =
  "is a private key block: give the public key (`gpg --armor --export <key id>` prints it). A private key must never be shared, not with Bitbucket nor in a Pulumi program; if it was committed anywhere, revoke it and make a new one";

interface Packet {
  tag: number;
  body: Buffer;
}

/** The packets of a binary key, or undefined when they do not parse. */
function packets(data: Buffer): Packet[] | undefined {
  const out: Packet[] = [];
  let at = 0;
  while (at < data.length) {
    const header = data[at++];
    if ((header & 0x80) === 0) return undefined;
    let tag: number;
    let length: number;
    if (header & 0x40) {
      tag = header & 0x3f;
      const first = data[at++];
      if (first < 192) length = first;
      else if (first < 224) length = ((first - 192) << 8) + data[at++] + 192;
      else if (first === 255) {
        length = data.readUInt32BE(at);
        at += 4;
      } else return undefined; // partial lengths are not used in keys
    } else {
      tag = (header >> 2) & 0x0f;
      const type = header & 3;
      if (type === 3) return undefined;
      const size = [1, 2, 4][type];
      if (at + size > data.length) return undefined;
      length = size === 1 ? data[at] : size === 2 ? data.readUInt16BE(at) : data.readUInt32BE(at);
      at += size;
    }
    if (!Number.isFinite(length) || at + length > data.length) return undefined;
    out.push({ tag, body: data.subarray(at, at + length) });
    at += length;
  }
  return out;
}

const v4Fingerprint = (body: Buffer) => {
  const prefix = Buffer.from([0x99, body.length >> 8, body.length & 0xff]);
  return createHash("sha1").update(prefix).update(body).digest("hex").toUpperCase();
};

/** The key expiration time (subpacket 9, seconds after creation) of a v4 signature's hashed subpackets. */
function keyExpirationSeconds(signature: Buffer): number | undefined {
  if (signature[0] !== 4 || signature.length < 6) return undefined;
  const hashedLength = signature.readUInt16BE(4);
  const area = signature.subarray(6, 6 + hashedLength);
  for (let at = 0; at < area.length;) {
    let length = area[at++];
    if (length >= 192 && length < 255) length = ((length - 192) << 8) + area[at++] + 192;
    else if (length === 255) {
      length = area.readUInt32BE(at);
      at += 4;
    }
    const type = area[at] & 0x7f;
    if (type === 9 && length >= 5) return area.readUInt32BE(at + 1);
    at += length;
  }
  return undefined;
}

/** The armored block's binary content, or why it is not one. */
function dearmor(text: string): Buffer | { refused: string } {
  const lines = text.trim().split(/\r?\n/);
  if (lines[0]?.trim() !== BEGIN || lines[lines.length - 1]?.trim() !== END)
    return { refused: `must be one ASCII-armored public key block, from "${BEGIN}" to "${END}" (\`gpg --armor --export <key id>\`)` };
  const inner = lines.slice(1, -1);
  // Armor headers ("Comment: …") end at the first blank line.
  const blank = inner.findIndex((l) => l.trim() === "");
  const body = (blank >= 0 ? inner.slice(blank + 1) : inner).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("="));
  const base64 = body.join("");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return { refused: "is not valid: its body is not base64" };
  return Buffer.from(base64, "base64");
}

/** The key's identity, or why it is not an OpenPGP public key (never quoting it). */
export function parseGpgPublicKey(text: string): GpgPublicKey | { refused: string } {
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(text)) return { refused: GPG_PRIVATE_KEY_REFUSED };
  const data = dearmor(text);
  if (!Buffer.isBuffer(data)) return data;
  const list = packets(data);
  if (!list || list[0]?.tag !== 6) return { refused: "is not valid: the block does not start with a public key packet" };
  if (list.some((p) => p.tag === 5 || p.tag === 7)) return { refused: GPG_PRIVATE_KEY_REFUSED };
  const primary = list[0].body;
  if (primary[0] !== 4) return { refused: `is a version ${primary[0]} key: only version 4 keys (what gpg makes) are supported` };
  const created = primary.readUInt32BE(1);
  const firstSubkey = list.findIndex((p) => p.tag === 14);
  const own = list.slice(1, firstSubkey < 0 ? undefined : firstSubkey);
  const expiry = own
    .filter((p) => p.tag === 2)
    .map((p) => keyExpirationSeconds(p.body))
    .find((s) => s !== undefined);
  const fingerprint = v4Fingerprint(primary);
  return {
    fingerprint,
    keyId: fingerprint.slice(-16),
    createdOn: new Date(created * 1000).toISOString(),
    ...(expiry ? { expiresOn: new Date((created + expiry) * 1000).toISOString() } : {}),
    subkeys: list.filter((p) => p.tag === 14 && p.body[0] === 4).map((p) => v4Fingerprint(p.body)),
  };
}
