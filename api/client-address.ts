/**
 * The key of a client address, for every per-address limit (api/plugins/rate-limits.ts and the OTP caps counted in
 * Postgres): IPv4 as is, IPv6 by its /64. A subscriber is given at least a /64 and may use any address in it, so
 * keying the full IPv6 address would let one client rotate past every limit.
 */
import { normalizeIP } from '@fastify/rate-limit';

export const IPV6_PREFIX_BITS = 64;

export function clientAddressKey(ip: string): string {
  return normalizeIP(ip, IPV6_PREFIX_BITS);
}
