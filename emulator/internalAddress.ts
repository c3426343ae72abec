// Webhook addresses Bitbucket refuses: "the url … cannot be an internal, non-routed address". This copy is
// the emulator's own, kept apart from the provider's on purpose so that the tests catch a provider that
// lets one through; a test compares the two.
import { BlockList, isIP } from "net";

const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  // Multicast, reserved and broadcast: never a unicast host on the internet.
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  INTERNAL.addSubnet(net, prefix, "ipv4");
// `::/96` holds `::`, `::1` and the deprecated IPv4-compatible addresses (`[::127.0.0.1]` is `[::7f00:1]`).
// IPv4-mapped addresses (`[::ffff:127.0.0.1]`, normalised by the URL parser to `[::ffff:7f00:1]`) are
// checked by BlockList against the IPv4 ranges above.
// NAT64 (`64:ff9b::/96`) reaches any IPv4 address, internal ones included; the rest are never routed.
for (const [net, prefix] of [
  ["::", 96],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const)
  INTERNAL.addSubnet(net, prefix, "ipv6");

// Names that only resolve inside a network: RFC 6761 (localhost), 6762 (local), 8375 (home.arpa), private zones,
// and the loopback aliases of /etc/hosts.
const INTERNAL_NAME = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$|^ip6-(localhost|loopback)$/;

/**
 * Whether a hostname (as `URL.hostname` gives it) is internal. The WHATWG URL parser has already turned
 * decimal, octal, hex and short IPv4 forms (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`) into dotted
 * quads; a trailing dot (`localhost.`, the fully-qualified form) names the same host.
 */
export function isInternalHostname(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.+$/, "");
  if (host === "" || INTERNAL_NAME.test(host)) return true;
  const family = isIP(host);
  return family !== 0 && INTERNAL.check(host, family === 4 ? "ipv4" : "ipv6");
}

/** Whether a webhook URL points at an internal address. An unparsable URL is not judged here (false). */
export function isInternalWebhookHost(url: string | URL): boolean {
  let parsed: URL;
  try {
    parsed = typeof url === "string" ? new URL(url) : url;
  } catch {
    return false;
  }
  return isInternalHostname(parsed.hostname);
}
