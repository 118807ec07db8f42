import { auditChanges, redactSecrets } from './audit-changes';

describe('redactSecrets', () => {
  it('When a view has fields named like secrets at any depth, then none of them is kept', () => {
    const redacted = redactSecrets({
      name: 'Billing',
      key: 'tnx_live',
      secret: 'whsec_x',
      evolution_token: 't',
      jwt_secret: 'j',
      password: 'p',
      hash: 'h',
      nested: { apiKey: 'k', webhookSecret: 's', kept: 1 },
      list: [{ token: 't', label: 'a' }],
    });
    expect(redacted).toEqual({ name: 'Billing', nested: { kept: 1 }, list: [{ label: 'a' }] });
  });
});

describe('auditChanges', () => {
  it('When a target is created, then the whole redacted view is the after and there is no before', () => {
    expect(auditChanges(null, { name: 'A', secret: 'whsec_x' })).toEqual({
      before: null,
      after: { name: 'A' },
    });
  });

  it('When a target is deleted, then the whole redacted view is the before and there is no after', () => {
    expect(auditChanges({ name: 'A', token: 't' }, null)).toEqual({ before: { name: 'A' }, after: null });
  });

  it('When settings change, then only the changed fields are kept, without the bookkeeping time', () => {
    const changes = auditChanges(
      { name: 'A', pacing: { min_gap_ms: 0 }, country: 'KE', updated_at: '1' },
      { name: 'A', pacing: { min_gap_ms: 500 }, country: null, updated_at: '2' },
    );
    expect(changes).toEqual({
      before: { pacing: { min_gap_ms: 0 }, country: 'KE' },
      after: { pacing: { min_gap_ms: 500 }, country: null },
    });
  });

  it('When only a secret changed, then no change is visible', () => {
    expect(auditChanges({ name: 'A', secret: 'old' }, { name: 'A', secret: 'new' })).toBeNull();
  });
});
