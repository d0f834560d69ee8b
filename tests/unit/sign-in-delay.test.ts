// The wait between password checks of an account past its failure ceiling (lib/rate-limit.ts), and the settings
// read from SIGN_IN_RATE_LIMIT.
import { describe, expect, it } from 'vitest';
import { signInLimitSettings, slowedDelaySeconds } from '@/lib/rate-limit';

describe('sign-in slowing', () => {
  it('starts at one second and doubles every ten failures, up to the cap', () => {
    expect([1, 10, 11, 20, 21, 31, 41, 51, 61, 1000].map((n) => slowedDelaySeconds(n, 60))).toEqual([1, 1, 2, 2, 4, 8, 16, 32, 60, 60]);
  });

  it('derives the client and account limits from SIGN_IN_RATE_LIMIT, and ignores a value that is not a positive integer', () => {
    expect(signInLimitSettings({})).toMatchObject({ perPair: 5, perClient: 20, perAccount: 100 });
    expect(signInLimitSettings({ SIGN_IN_RATE_LIMIT: '3' })).toMatchObject({ perPair: 3, perClient: 12, perAccount: 60 });
    for (const bad of ['0', '-1', 'abc', '2.5', '']) expect(signInLimitSettings({ SIGN_IN_RATE_LIMIT: bad }).perPair).toBe(5);
  });
});
