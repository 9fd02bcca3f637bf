/**
 * Tokens under more than one secret (a rotation, two deployments' test runs in one process): each secret's HMAC
 * key is imported once and kept, and a token is accepted only under the secret it was signed with.
 */
import { describe, expect, it } from 'vitest';
import { issueBeneficiaryTokens, readToken } from '../../api/auth/tokens.js';

const FIRST = 'first-secret-of-at-least-thirty-two-characters';
const SECOND = 'second-secret-of-at-least-thirty-two-characters';
const account = { accountId: '6f1c1c1e-3b0e-4a43-9b2a-0a5b4f3f2c11', mobile: '9876543210' };

describe('tokens', () => {
  it('are read under the secret they were signed with, and refused under another one', async () => {
    const first = await issueBeneficiaryTokens(FIRST, account);
    const second = await issueBeneficiaryTokens(SECOND, account);
    expect(await readToken(FIRST, first.token)).toMatchObject({ kind: 'beneficiary', accountId: account.accountId });
    expect(await readToken(SECOND, second.token)).toMatchObject({ kind: 'beneficiary', mobile: account.mobile });
    // Both keys are in use now; neither opens the other's tokens, read the first time or again.
    expect(await readToken(SECOND, first.token)).toBeUndefined();
    expect(await readToken(FIRST, second.token)).toBeUndefined();
    expect(await readToken(FIRST, first.token)).toMatchObject({ kind: 'beneficiary' });
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const { token } = await issueBeneficiaryTokens(FIRST, account);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, mobile: '9000000000' })).toString('base64url');
    expect(await readToken(FIRST, `${header}.${forged}.${signature}`)).toBeUndefined();
  });
});
