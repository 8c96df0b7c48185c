import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { ApiError } from '../http/api-error.ts';

/**
 * IPv4 ranges a URL may never reach: loopback, private, link-local (cloud metadata lives at
 * 169.254.169.254), carrier-grade NAT, multicast, reserved. ipaddr.js's range names cover
 * these too; the explicit list keeps the policy readable and independent of its naming.
 */
const BLOCKED_V4 = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED_V4.addSubnet(net, bits, 'ipv4');

function blockedV4(address: ipaddr.IPv4): boolean {
  return address.range() !== 'unicast' || BLOCKED_V4.check(address.toString(), 'ipv4');
}

/**
 * The IPv4 address an IPv6 one carries and reaches: mapped (::ffff:a.b.c.d), translated
 * (::ffff:0:a.b.c.d), compatible (::a.b.c.d, also written ::7f00:1), NAT64 (64:ff9b::/96)
 * and 6to4 (2002:AABB:CCDD::/16 routes to AA.BB.CC.DD).
 */
function embeddedV4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = address.parts;
  const v4 = (hi: number, lo: number): ipaddr.IPv4 => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const range = address.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145') return v4(p[6], p[7]);
  if (p.slice(0, 6).every((x) => x === 0) && (p[6] !== 0 || p[7] > 1)) return v4(p[6], p[7]); // compatible
  if (p[0] === 0x64 && p[1] === 0xff9b && p.slice(2, 6).every((x) => x === 0)) return v4(p[6], p[7]);
  if (range === '6to4') return v4(p[1], p[2]);
  return undefined;
}

/**
 * True when the literal address is one a URL input or webhook must not reach. IPv6 is judged
 * by the IPv4 address it embeds when it embeds one, else it must be global unicast: loopback,
 * unspecified, link-local, site-local (fec0::/10), unique-local, multicast, discard (100::/64),
 * Teredo (2001::/32, whose tunnelled target cannot be judged), local NAT64 and reserved
 * ranges are all refused. Anything that does not parse is refused too.
 */
export function isBlockedAddress(address: string): boolean {
  const literal = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIP(literal)) return true;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(literal);
  } catch {
    return true;
  }
  if (parsed.kind() === 'ipv4') return blockedV4(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const inner = embeddedV4(v6);
  if (inner) return blockedV4(inner);
  return v6.range() !== 'unicast';
}

export const urlNotAllowed = (why: string): ApiError => new ApiError('URL_NOT_ALLOWED', why);

/**
 * Check a document URL before anything connects: http(s) only, and every address its host
 * resolves to must be public (unless private URLs are allowed). Throws URL_NOT_ALLOWED.
 */
export async function assertPublicUrl(raw: string, allowPrivate: boolean, isBlocked: (address: string) => boolean = isBlockedAddress): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw urlNotAllowed(`Not a valid URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw urlNotAllowed(`Only http(s) URLs are accepted, not ${url.protocol}`);
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await resolveAll(host);
  const bad = addresses.find(isBlocked);
  if (bad) throw urlNotAllowed(`URL ${url.host} resolves to ${bad}, a private, loopback or link-local address`);
  return url;
}

async function resolveAll(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw new ApiError('URL_NOT_ALLOWED', `Cannot resolve host ${host}`);
  }
}

/**
 * A `lookup` for http(s).request that resolves like dns.lookup but refuses private answers.
 * The socket connects to exactly the addresses checked here, so a host that answers a public
 * address to an earlier check and a private one at connect time (DNS rebinding) cannot pass.
 */
export const publicLookup = (isBlocked: (address: string) => boolean = isBlockedAddress): LookupFunction => (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const list = addresses as unknown as LookupAddress[];
    const bad = list.find((a) => isBlocked(a.address));
    if (bad) return callback(urlNotAllowed(`URL host ${hostname} resolves to ${bad.address}, a private, loopback or link-local address`) as unknown as NodeJS.ErrnoException, '', 0);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    callback(null, list[0].address, list[0].family);
  });
};
