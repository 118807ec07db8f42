import { randomUUID } from 'node:crypto';
import { ConfigError } from '@telenexus/config';
import { TEST_SECRETS_KEY } from '../../../test/support/test-secrets';
import { loadIngressConfig } from '../src/config';

/** OPERATOR_ACCOUNT_ID, and DASHBOARD_OPERATOR_ACCOUNT_ID, its older name, which is still read. */

const BASE = {
  DATABASE_URL: 'postgres://telenexus@127.0.0.1:5432/telenexus',
  REDIS_URL: 'redis://127.0.0.1:6379',
  // Ingress needs one; which does not matter here.
  SECRETS_KEY: TEST_SECRETS_KEY,
};

describe("Ingress's operator account", () => {
  it.each(['OPERATOR_ACCOUNT_ID', 'DASHBOARD_OPERATOR_ACCOUNT_ID'])(
    'When only %s is set, then it names the operator',
    (variable) => {
      const id = randomUUID();
      expect(loadIngressConfig({ ...BASE, [variable]: id }).operatorAccountId).toBe(id);
    },
  );

  it('When neither is set, then there is no operator account', () => {
    expect(loadIngressConfig(BASE).operatorAccountId).toBeUndefined();
  });

  it('When both name the same account, then it is the operator; when they differ, then start-up fails saying so', () => {
    const id = randomUUID();
    expect(
      loadIngressConfig({ ...BASE, OPERATOR_ACCOUNT_ID: id, DASHBOARD_OPERATOR_ACCOUNT_ID: id })
        .operatorAccountId,
    ).toBe(id);
    expect(() =>
      loadIngressConfig({ ...BASE, OPERATOR_ACCOUNT_ID: id, DASHBOARD_OPERATOR_ACCOUNT_ID: randomUUID() }),
    ).toThrow(ConfigError);
    expect(() =>
      loadIngressConfig({ ...BASE, OPERATOR_ACCOUNT_ID: id, DASHBOARD_OPERATOR_ACCOUNT_ID: randomUUID() }),
    ).toThrow(/OPERATOR_ACCOUNT_ID and its older name DASHBOARD_OPERATOR_ACCOUNT_ID name different accounts/);
  });
});
