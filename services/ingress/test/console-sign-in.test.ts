import express from 'express';
import request from 'supertest';
import type { Permission, Principal } from '@telenexus/core';
import { DomainError } from '@telenexus/core';
import { createCapturedLogger } from '../../../test/support/captured-logger';
import { INVALID_KEY_DETAIL } from '../src/auth/api-key-authenticator';
import {
  consoleSignInRoutes,
  NO_CONSOLE_PERMISSION_DETAIL,
  type SignInOutcome,
} from '../src/console/console-sign-in.routes';
import { errorResponder } from '../src/http/error-response';
import { problem } from '../../../test/support/expected-problem';
import { TEST_PUBLIC_BASE_URL } from '../../../test/support/ingress-harness';
import { useIngress } from '../../../test/support/use-ingress';

const context = useIngress({ tenant: { permissions: ['admin'] } });

async function keyWith(permissions: Permission[], name = permissions.join('+')) {
  return context.db.provisioning.apiKeys.create({ accountId: context.tenant.accountId, name, permissions });
}

function signIn(authorization?: string) {
  const started = request(context.ingress.app).post('/api/v1/console/sign-in');
  return authorization === undefined ? started : started.set('Authorization', authorization);
}

describe('POST /api/v1/console/sign-in', () => {
  it.each([
    [['admin'], 'admin'],
    [['support'], 'support'],
    [['support', 'send_message'], 'support'],
    // Admin wins: a key with both manages the account.
    [['admin', 'support'], 'admin'],
  ] as const)('When a key with %j signs in, then it gets the %s console', async (permissions, role) => {
    const key = await keyWith([...permissions], 'Front desk');

    const response = await signIn(`Bearer ${key.secret}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      account_id: context.tenant.accountId,
      api_key: { id: key.record.id, name: 'Front desk' },
      permissions: [...permissions],
      role,
    });
  });

  it('When a key has neither admin nor support, then it is refused with 403 in words', async () => {
    const key = await keyWith(['send_message', 'receive_message']);
    const response = await signIn(`Bearer ${key.secret}`);
    expect(response.status).toBe(403);
    expect(response.body).toEqual(problem('forbidden', NO_CONSOLE_PERMISSION_DETAIL));
  });

  it('When the key is unknown or revoked, then it answers 401 with the Bearer challenge', async () => {
    const revoked = await keyWith(['support']);
    await context.db.provisioning.apiKeys.revoke(context.tenant.accountId, revoked.record.id);

    for (const key of [revoked.secret, `tnx_${'x'.repeat(43)}`]) {
      const response = await signIn(`Bearer ${key}`);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="telenexus", error="invalid_token"');
      expect(response.body).toEqual(problem('unauthenticated', INVALID_KEY_DETAIL));
    }
  });

  it('When no key is sent, then it answers 401 with the plain challenge', async () => {
    const response = await signIn();
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="telenexus"');
  });

  it('When a body is sent, then it is not read: the key alone decides', async () => {
    const key = await keyWith(['support']);
    const response = await signIn(`Bearer ${key.secret}`)
      .set('Content-Type', 'application/json')
      .send('{"not json');
    expect(response.status).toBe(200);
  });
});

describe('The sign-in listener', () => {
  const principal: Principal = {
    accountId: '00000000-0000-4000-8000-000000000001',
    apiKeyId: '00000000-0000-4000-8000-000000000002',
    apiKeyName: 'Desk',
    permissions: ['receive_message'],
  };

  function appTelling(outcomes: SignInOutcome[], authenticate: () => Promise<Principal>) {
    const app = express();
    app.use(
      '/api/v1',
      consoleSignInRoutes({
        authenticator: { authenticate },
        onSignIn: (outcome) => void outcomes.push(outcome),
      }),
    );
    app.use(
      errorResponder({ logger: createCapturedLogger('test').logger, publicBaseUrl: TEST_PUBLIC_BASE_URL }),
    );
    return app;
  }

  it('When attempts succeed or are refused, then the listener is told each outcome once', async () => {
    const outcomes: SignInOutcome[] = [];
    const refusedKey = appTelling(outcomes, () =>
      Promise.reject(new DomainError('unauthenticated', INVALID_KEY_DETAIL)),
    );
    const noPermission = appTelling(outcomes, () => Promise.resolve(principal));
    const support = appTelling(outcomes, () => Promise.resolve({ ...principal, permissions: ['support'] }));

    expect((await request(refusedKey).post('/api/v1/console/sign-in')).status).toBe(401);
    expect((await request(noPermission).post('/api/v1/console/sign-in')).status).toBe(403);
    expect((await request(support).post('/api/v1/console/sign-in')).status).toBe(200);

    expect(outcomes).toEqual([
      { result: 'refused', reason: 'unknown_key', principal: null },
      { result: 'refused', reason: 'no_console_permission', principal },
      { result: 'succeeded', role: 'support', principal: { ...principal, permissions: ['support'] } },
    ]);
  });
});
