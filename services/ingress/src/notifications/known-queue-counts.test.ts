import { KnownQueueCounts } from './known-queue-counts';

const LIMIT = 1000;
const ACCOUNT = 'account-a';

function counts(): KnownQueueCounts {
  return new KnownQueueCounts({ trustedForMs: 1000, trustedBelowShare: 0.9 });
}

describe('What ingress knows of an account queue between counts', () => {
  it('When the account was never counted, then nothing is trusted', () => {
    expect(counts().trusted(ACCOUNT, LIMIT, 1, 0)).toBeUndefined();
  });

  it('When it was counted within the window, then the count stands, with what this process queued since', () => {
    const known = counts();
    known.counted(ACCOUNT, 100, 0);
    known.added(ACCOUNT, 5);

    expect(known.trusted(ACCOUNT, LIMIT, 1, 1000)).toBe(105);
    expect(known.trusted('account-b', LIMIT, 1, 1000)).toBeUndefined();
  });

  it('When the window has passed, then it must be counted again', () => {
    const known = counts();
    known.counted(ACCOUNT, 100, 0);

    expect(known.trusted(ACCOUNT, LIMIT, 1, 1001)).toBeUndefined();
  });

  it('When the request could take it past the trusted share of the limit, then it must be counted again', () => {
    const known = counts();
    known.counted(ACCOUNT, 850, 0);

    expect(known.trusted(ACCOUNT, LIMIT, 50, 10)).toBe(850);
    expect(known.trusted(ACCOUNT, LIMIT, 51, 10)).toBeUndefined();
  });

  it('When messages are queued for an account never counted, then they start no count of their own', () => {
    const known = counts();
    known.added(ACCOUNT, 5);

    expect(known.trusted(ACCOUNT, LIMIT, 1, 0)).toBeUndefined();
  });
});
