import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import { ApiError } from '../http/api-error.ts';

/**
 * Addresses a document URL may never reach: loopback, private, link-local (cloud metadata
 * lives at 169.254.169.254), carrier-grade NAT, multicast, reserved and their IPv6 forms.
 */
const BLOCKED = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32],
] as const) BLOCKED.addSubnet(net, bits, 'ipv6');

/** True when the literal address is one a URL input must not reach. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return BLOCKED.check(mapped[1], 'ipv4');
    return BLOCKED.check(address, 'ipv6');
  }
  return true;
}

export const urlNotAllowed = (why: string): ApiError => new ApiError(400, 'URL_NOT_ALLOWED', why);

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
    throw new ApiError(400, 'URL_NOT_ALLOWED', `Cannot resolve host ${host}`);
  }
}
