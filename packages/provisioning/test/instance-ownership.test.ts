import { DomainError } from '../../core/src';
import { EvolutionRequestError, type InstanceTokenProof } from '../../evolution/src';
import { OPERATOR_ACTOR, TENANT_ACTOR } from '../src/instance-actor';
import { EVOLUTION_INSTANCE_NOT_PROVEN, InstanceOwnership } from '../src/instance-ownership';

/** The ownership rules alone, with Evolution and the name holders stood in for. */

type Holder = { accountId: string; live: boolean } | null;

function ownership(holder: Holder, prove: () => Promise<InstanceTokenProof>) {
  const calls: string[] = [];
  const rules = new InstanceOwnership(
    { findEvolutionNameHolder: () => Promise.resolve(holder) },
    {
      proveInstanceToken: (name, token) => {
        calls.push(`${name}:${token}`);
        return prove();
      },
    },
  );
  return { rules, calls };
}

const proven = () => Promise.resolve<InstanceTokenProof>('proven');
const notProven = () => Promise.resolve<InstanceTokenProof>('not-proven');

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string } | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { code: error.code, message: error.message };
  }
}

describe('InstanceOwnership', () => {
  it('When a tenant sends no token, then the token is a field problem; the operator may go without', () => {
    const { rules } = ownership(null, proven);
    expect(rules.tokenProblem(TENANT_ACTOR, null)?.field).toBe('evolution_token');
    expect(rules.tokenProblem(TENANT_ACTOR, '')?.field).toBe('evolution_token');
    expect(rules.tokenProblem(OPERATOR_ACTOR, null)).toBeUndefined();
  });

  it('When Evolution does not prove the token, then the tenant gets the one not-found; the operator is never checked', async () => {
    const { rules, calls } = ownership(null, notProven);
    expect(await refusal(rules.requireProof(TENANT_ACTOR, 'billing01', 't'))).toEqual({
      code: 'not_found',
      message: EVOLUTION_INSTANCE_NOT_PROVEN,
    });
    expect(await refusal(rules.requireProof(OPERATOR_ACTOR, 'billing01', 't'))).toBeUndefined();
    expect(calls).toEqual(['billing01:t']);
  });

  it.each([
    [
      'unreachable',
      new EvolutionRequestError('down', { operation: 'x', code: 'ECONNREFUSED' }),
      'could not be reached',
    ],
    [
      'timed out',
      new EvolutionRequestError('slow', { operation: 'x', code: 'ETIMEDOUT' }),
      'did not answer in time',
    ],
    ['failing', new EvolutionRequestError('500', { operation: 'x', httpStatus: 502 }), 'answered HTTP 502'],
  ])(
    'When Evolution is %s, then the answer is evolution_unavailable, not a refusal',
    async (_n, error, why) => {
      const { rules } = ownership(null, () => Promise.reject(error));
      expect(await refusal(rules.requireProof(TENANT_ACTOR, 'billing01', 't'))).toEqual({
        code: 'evolution_unavailable',
        message: `Evolution API ${why}; try again shortly`,
      });
    },
  );

  it.each<[string, Holder, string | undefined, string | undefined]>([
    ['free', null, undefined, undefined],
    ['live in the same account', { accountId: 'me', live: true }, 'conflict', 'conflict'],
    ['live in another account', { accountId: 'other', live: true }, 'not_found', 'conflict'],
    ['deleted by the same account', { accountId: 'me', live: false }, undefined, undefined],
    ['deleted by another account', { accountId: 'other', live: false }, 'not_found', undefined],
  ])(
    'When the name is %s, then a tenant is answered %s and the operator %s',
    async (_n, holder, tenant, operator) => {
      const { rules } = ownership(holder, proven);
      expect((await refusal(rules.requireAvailable(TENANT_ACTOR, 'me', 'billing01')))?.code).toBe(tenant);
      expect((await refusal(rules.requireAvailable(OPERATOR_ACTOR, 'me', 'billing01')))?.code).toBe(operator);
    },
  );
});
