// Addresses Bitbucket refuses to deliver webhooks to: loopback, private, link-local, shared,
// multicast and reserved networks, and names that only resolve inside a network. The provider
// refuses them at preview; the emulator keeps its own independent copy (so it can catch provider
// bugs), and test/rules/internal-address-agreement.test.ts proves the two agree.
//
// Takes the hostname as the WHATWG URL parser gives it (`new URL(u).hostname`): it has already
// turned every IPv4 spelling (127.1, 2130706433, 0x7f.0.0.1, 0177.0.0.1, a trailing dot) into the
// dotted form, lower-cased names and compressed IPv6 inside brackets.
import { BlockList, isIP } from "net";

const INTERNAL_NETWORKS = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this" network; 0.0.0.0 reaches the local host
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata services
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const)
  INTERNAL_NETWORKS.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 96], // unspecified (reaches the local host), loopback, and the old IPv4-compatible ::a.b.c.d
  ["64:ff9b::", 96], // NAT64: a way to any IPv4 address, internal ones included
  ["100::", 64], // discard
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const)
  INTERNAL_NETWORKS.addSubnet(network, prefix, "ipv6");

/** Names that resolve only inside a network (RFC 6761, 6762, 8375 and common private zones). */
const INTERNAL_NAME = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/;

export function isInternalHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.+$/, "");
  if (host === "") return true;
  const family = isIP(host);
  if (family === 0) return INTERNAL_NAME.test(host) || /^ip6-(localhost|loopback)$/.test(host);
  if (family === 4) return INTERNAL_NETWORKS.check(host, "ipv4");
  // IPv4-mapped (::ffff:a.b.c.d) addresses are checked against the IPv4 networks by BlockList itself.
  return INTERNAL_NETWORKS.check(host, "ipv6");
}
