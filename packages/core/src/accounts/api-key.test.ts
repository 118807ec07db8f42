import { apiKeyLookupPrefix, apiKeyMatches, hashApiKey, looksLikeApiKey, mintApiKey } from './api-key';

describe('API keys', () => {
  it('When a key is minted, then it is tnx_ and 32 random bytes and only its hash is kept', () => {
    const minted = mintApiKey();
    expect(minted.secret).toMatch(/^tnx_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(minted.secret.slice(4), 'base64url')).toHaveLength(32);
    expect(minted.hash.equals(hashApiKey(minted.secret))).toBe(true);
    expect(minted.lookupPrefix).toBe(minted.secret.slice(0, 12));
    expect(minted.last4).toBe(minted.secret.slice(-4));
  });

  it('When two keys are minted, then they differ', () => {
    expect(mintApiKey().secret).not.toBe(mintApiKey().secret);
  });

  it('When a presented key is compared with the stored hash, then only the same key matches', () => {
    const minted = mintApiKey();
    const other = mintApiKey();
    expect(apiKeyMatches(minted.secret, minted.hash)).toBe(true);
    expect(apiKeyMatches(other.secret, minted.hash)).toBe(false);
    expect(apiKeyMatches(`${minted.secret.slice(0, -1)}x`, minted.hash)).toBe(false);
  });

  it("When text does not have a key's shape, then it is recognised as not a key", () => {
    expect(looksLikeApiKey('tnx_short')).toBe(false);
    expect(looksLikeApiKey('YOUR_API_KEY')).toBe(false);
    expect(looksLikeApiKey(mintApiKey().secret)).toBe(true);
    expect(apiKeyLookupPrefix('tnx_ABCDEFGHrest')).toBe('tnx_ABCDEFGH');
  });
});
