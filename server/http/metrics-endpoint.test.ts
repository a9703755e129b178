// Goal: /metrics answers loopback clients when no METRICS_TOKEN is set, only bearers of the token when one is,
// and refuses everyone else with the API's error shape.
import { describe, expect, it } from 'vitest';
import { errorBodySchema } from '../contract';
import { checkMetricsAccess, isLoopbackAddress } from './metrics-endpoint';

const token = 'a-metrics-token-of-some-length';

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1'])('takes %s for loopback', (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });

  it.each([undefined, '', '10.0.0.1', '192.168.1.127', '::ffff:10.0.0.1', '128.0.0.1', 'fe80::1', '::', '127.0.0.1.evil', '1127.0.0.1'])('refuses %j', (address) => {
    expect(isLoopbackAddress(address)).toBe(false);
  });
});

describe('checkMetricsAccess', () => {
  it('without a token answers loopback and refuses any other address, whatever it sends', () => {
    expect(checkMetricsAccess('127.0.0.1', undefined, undefined).ok).toBe(true);
    const refused = checkMetricsAccess('10.1.2.3', `Bearer ${token}`, undefined);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.answer.status).toBe(403);
      expect(errorBodySchema.parse(refused.answer.body).fields).toHaveProperty('authorization');
    }
  });

  it('with a token answers its bearers from anywhere', () => {
    expect(checkMetricsAccess('10.1.2.3', `Bearer ${token}`, token).ok).toBe(true);
    expect(checkMetricsAccess('::1', `bearer ${token}`, token).ok).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another token', 'Bearer another-token-of-some-length'],
    ['the token with a suffix', `Bearer ${token}x`],
    ['a prefix of the token', `Bearer ${token.slice(0, -1)}`],
    ['the token without the scheme', token],
    ['basic credentials', `Basic ${token}`],
  ])('with a token refuses %s, loopback included', (_case, authorization) => {
    for (const address of ['127.0.0.1', '10.1.2.3']) {
      const access = checkMetricsAccess(address, authorization, token);
      expect(access.ok).toBe(false);
      if (!access.ok) expect(access.answer.status).toBe(403);
    }
  });
});
