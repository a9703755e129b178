// Seller sessions in Postgres (table seller_sessions), by the HMAC of the cookie's token. Every check is one
// primary-key look-up. The database's clock decides, so web processes on other machines agree on expiry.
import { limits } from '../limits';
import { databaseCall } from './errors';
import { getPool } from './pool';

const ttlSeconds = limits.sessionTtlMs / 1000;

// Stores a new session expiring one TTL from now, and deletes the expired ones: sign-ins are rare, so the
// table stays small without a timer of its own.
export async function createSession(tokenDigest: Buffer): Promise<void> {
  await databaseCall(async () => {
    await getPool().query(
      `INSERT INTO seller_sessions (token_digest, created_at, expires_at)
       VALUES ($1, now(), now() + make_interval(secs => $2))`,
      [tokenDigest, ttlSeconds],
    );
    await getPool().query('DELETE FROM seller_sessions WHERE expires_at < now()');
  });
}

// Active: not revoked, not expired, and younger than the TTL whatever its stored expiry says, so that a row
// written with a far expiry (by a bug, or by hand) still ends on time.
export async function isActiveSession(tokenDigest: Buffer): Promise<boolean> {
  return databaseCall(async () => {
    const { rowCount } = await getPool().query(
      `SELECT 1 FROM seller_sessions
       WHERE token_digest = $1 AND revoked_at IS NULL AND expires_at > now() AND created_at > now() - make_interval(secs => $2)`,
      [tokenDigest, ttlSeconds],
    );
    return rowCount === 1;
  });
}

export async function revokeSession(tokenDigest: Buffer): Promise<void> {
  await databaseCall(() => getPool().query('UPDATE seller_sessions SET revoked_at = now() WHERE token_digest = $1 AND revoked_at IS NULL', [tokenDigest]));
}
