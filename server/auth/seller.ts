// Seller authorisation for the restock API: `Authorization: Bearer <SELLER_TOKEN>`.
import { createHash, timingSafeEqual } from 'node:crypto';
import { config } from '../config';

const digest = (value: string) => createHash('sha256').update(value).digest();
const expected = digest(config.SELLER_TOKEN);

export function hasSellerToken(authorization: string | null): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  // Digests have equal length, so the comparison takes the same time whatever was sent.
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
}
