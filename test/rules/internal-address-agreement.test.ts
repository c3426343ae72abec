// The provider's check of webhook URLs (rules/internal-address.ts) and the emulator's own copy
// (isInternalWebhookHost) are kept apart on purpose; here both judge the same URLs, and each verdict
// must be the expected one: Bitbucket refuses "an internal, non-routed address" (NOTES), the names and
// ranges listed in emulator/README.md.
import { isInternalWebhookHost } from "../../emulator";
import { isInternalHost } from "../../rules/internal-address";

const INTERNAL = true;
const PUBLIC = false;

const TABLE: [url: string, internal: boolean][] = [
  // Names
  ["http://localhost/", INTERNAL],
  ["http://localhost./", INTERNAL],
  ["http://localhost../", INTERNAL],
  ["https://LOCALHOST:8443/hook", INTERNAL],
  ["http://LocalHost./", INTERNAL],
  ["http://api.localhost/", INTERNAL],
  ["http://api.localhost./", INTERNAL],
  ["http://printer.local/", INTERNAL],
  ["http://printer.LOCAL./", INTERNAL],
  ["http://db.internal/", INTERNAL],
  ["http://metadata.google.internal/computeMetadata/v1/", INTERNAL],
  ["http://Svc.Internal./", INTERNAL],
  ["http://router.lan/", INTERNAL],
  ["http://nas.home.arpa/", INTERNAL],
  ["http://build.localdomain/", INTERNAL],
  ["http://wiki.intranet/", INTERNAL],
  ["http://ip6-localhost/", INTERNAL],
  // 0.0.0.0/8 and its upper edge
  ["http://0.0.0.0/", INTERNAL],
  ["http://0/", INTERNAL],
  ["http://0.255.255.255/", INTERNAL],
  ["http://1.0.0.0/", PUBLIC],
  // 10/8
  ["http://9.255.255.255/", PUBLIC],
  ["http://10.0.0.0/", INTERNAL],
  ["http://10.255.255.255/", INTERNAL],
  ["http://11.0.0.0/", PUBLIC],
  ["http://10.0.0.1./", INTERNAL],
  ["http://012.0.0.1/", INTERNAL],
  ["http://0x0a000001/", INTERNAL],
  // 100.64/10
  ["http://100.63.255.255/", PUBLIC],
  ["http://100.64.0.0/", INTERNAL],
  ["http://100.127.255.255/", INTERNAL],
  ["http://100.128.0.0/", PUBLIC],
  // 127/8, also written in decimal, octal, hex and short forms
  ["http://126.255.255.255/", PUBLIC],
  ["http://127.0.0.1/", INTERNAL],
  ["http://127.255.255.255/", INTERNAL],
  ["http://128.0.0.0/", PUBLIC],
  ["http://2130706433/", INTERNAL],
  ["http://0177.0.0.1/", INTERNAL],
  ["http://0x7f.1/", INTERNAL],
  ["http://127.1/", INTERNAL],
  // 169.254/16 (link-local, cloud metadata)
  ["http://169.253.255.255/", PUBLIC],
  ["http://169.254.0.0/", INTERNAL],
  ["http://169.254.169.254/latest/meta-data/", INTERNAL],
  ["http://169.254.255.255/", INTERNAL],
  ["http://169.255.0.0/", PUBLIC],
  // 172.16/12
  ["http://172.15.255.255/", PUBLIC],
  ["http://172.16.0.0/", INTERNAL],
  ["http://172.31.255.255/", INTERNAL],
  ["http://172.32.0.0/", PUBLIC],
  // 192.168/16
  ["http://192.167.255.255/", PUBLIC],
  ["http://192.168.0.0/", INTERNAL],
  ["http://192.168.255.255/", INTERNAL],
  ["http://192.169.0.0/", PUBLIC],
  ["http://3232235777/", INTERNAL],
  // 192.0.0/24 (IETF protocol assignments) and 198.18/15 (benchmarking)
  ["http://192.0.0.8/", INTERNAL],
  ["http://192.0.1.0/", PUBLIC],
  ["http://198.17.255.255/", PUBLIC],
  ["http://198.18.0.1/", INTERNAL],
  ["http://198.19.255.255/", INTERNAL],
  ["http://198.20.0.0/", PUBLIC],
  // 224/4 multicast, 240/4 reserved and broadcast
  ["http://223.255.255.255/", PUBLIC],
  ["http://224.0.0.1/", INTERNAL],
  ["http://239.255.255.250/", INTERNAL],
  ["http://255.255.255.255/", INTERNAL],
  // IPv6: ::/96 (unspecified, loopback, IPv4-compatible), IPv4-mapped, fc00::/7, fe80::/10
  ["http://[::]/", INTERNAL],
  ["http://[::1]/", INTERNAL],
  ["http://[0:0:0:0:0:0:0:1]/", INTERNAL],
  ["http://[::127.0.0.1]/", INTERNAL],
  ["http://[::ffff:127.0.0.1]/", INTERNAL],
  ["http://[::ffff:10.1.2.3]/", INTERNAL],
  ["http://[::ffff:192.168.1.1]/", INTERNAL],
  ["http://[::ffff:169.254.169.254]/", INTERNAL],
  ["http://[::ffff:8.8.8.8]/", PUBLIC],
  ["http://[fbff:ffff::1]/", PUBLIC],
  ["http://[fc00::]/", INTERNAL],
  ["http://[fd12:3456::1]/", INTERNAL],
  ["http://[fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]/", INTERNAL],
  ["http://[fe7f:ffff::1]/", PUBLIC],
  ["http://[fe80::1]/", INTERNAL],
  ["http://[FEBF:FFFF::1]/", INTERNAL],
  ["http://[fec0::1]/", INTERNAL],
  ["http://[ff02::1]/", INTERNAL],
  ["http://[64:ff9b::7f00:1]/", INTERNAL],
  ["http://[100::1]/", INTERNAL],
  ["http://[::ffff:224.0.0.1]/", INTERNAL],
  ["http://[2606:4700:4700::1111]/", PUBLIC],
  // Public names: an internal word that is not the last label is not internal
  ["https://example.com/hook", PUBLIC],
  ["https://HOOKS.Example.COM./hook", PUBLIC],
  ["https://localhost.example.com/", PUBLIC],
  ["https://notlocalhost.com/", PUBLIC],
  ["https://internal.example.org/", PUBLIC],
  ["https://local.example.net/", PUBLIC],
  ["https://lan.example.com/", PUBLIC],
  ["https://hooks.slack.com/services/T0/B0/x", PUBLIC],
  // Public addresses, also in decimal and hex
  ["http://8.8.8.8/", PUBLIC],
  ["http://134744072/", PUBLIC],
  ["http://0x08080808/", PUBLIC],
  ["http://93.184.216.34:8080/", PUBLIC],
];

describe("the provider's and the emulator's internal-address checks", () => {
  test.each(TABLE)("%s: both say internal = %s", (url, internal) => {
    const emulator = isInternalWebhookHost(url);
    const provider = isInternalHost(new URL(url).hostname);
    expect({ url, emulator, provider }).toEqual({ url, emulator: internal, provider: internal });
  });
});
