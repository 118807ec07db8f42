import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { newSecretsKeyEntry, SecretsKeyRing } from '@telenexus/config';
import { mintWebhookSecret, type Instance } from '@telenexus/core';
import {
  InstanceRepository,
  SECRET_COLUMNS,
  SecretBox,
  SecretDecryptionError,
  SecretResealer,
  WebhookEndpointRepository,
} from '@telenexus/db';
import type { EvolutionGateway } from '@telenexus/evolution';
import { EvolutionWebhookConfigurator } from '@telenexus/provisioning';
import { EvolutionWebhookAuthenticator } from '../../services/ingress/src/evolution-events/evolution-webhook-authenticator';
import { runCaptured } from '../../packages/cli/test/captured-cli';
import { createTenant, type Tenant } from '../support/test-context';
import { TEST_SECRETS_KEY } from '../support/test-secrets';
import { useTestDatabase } from '../support/use-test-database';

/**
 * Secrets at rest: Evolution tokens, webhook JWT keys and endpoint signing secrets are stored
 * encrypted (AES-256-GCM under SECRETS_KEY), the Evolution webhook path token only as its SHA-256.
 * Each describe has a database of its own: `secrets rotate` re-encrypts every row it finds, which
 * must not reach other files' rows (or theirs this file's).
 */

const run = promisify(execFile);
const WEBHOOK_BASE = 'https://hooks.example.test';

/** An Evolution that records the webhooks it is given, or refuses them. */
function recordingEvolution() {
  const calls: { url: string; jwtKey: string | undefined }[] = [];
  let refuse = false;
  const evolution: Pick<EvolutionGateway, 'setWebhook'> = {
    setWebhook: (_target, webhook) => {
      if (refuse) return Promise.reject(new Error(`url ${webhook.url} is not reachable`));
      calls.push({ url: webhook.url, jwtKey: webhook.jwtKey });
      return Promise.resolve();
    },
  };
  return {
    evolution,
    calls,
    refuseFromNowOn: () => (refuse = true),
    /** The path token of the last URL Evolution was given. */
    lastToken: () => calls.at(-1)!.url.split('/').at(-1)!,
  };
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Every form a secret could have been written down in. */
function formsOf(secret: string): string[] {
  return [
    secret,
    secret.replace(/^whsec_/, ''),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    Buffer.from(secret).toString('hex'),
  ];
}

function cli(argv: string[], url: string, secretsKey: string) {
  return runCaptured(argv, { DATABASE_URL: url, SECRETS_KEY: secretsKey });
}

describe('Secrets in a database dump', () => {
  const context = useTestDatabase({ isolated: true });

  it('When an instance has its Evolution token, its webhook is configured and an endpoint has a secret and a rotated-out one still signing, then pg_dump holds none of them in plain text — only their ciphertexts and the token hash', async () => {
    const tenant = await createTenant(context.db);
    const evolutionToken = `evo-${randomBytes(16).toString('hex')}`;
    await context.db.instances.update(tenant.accountId, tenant.instance.id, { evolutionToken });
    const fake = recordingEvolution();
    await new EvolutionWebhookConfigurator(context.db.instances, {
      evolution: fake.evolution,
      webhookBaseUrl: WEBHOOK_BASE,
    }).apply((await context.db.instances.findById(tenant.instance.id))!);
    const pathToken = fake.lastToken();
    const jwtKey = fake.calls[0]!.jwtKey!;
    const endpointSecret = mintWebhookSecret();
    const endpoints = new WebhookEndpointRepository(context.db.dataSource, context.db.secrets);
    const endpoint = await endpoints.create({
      accountId: tenant.accountId,
      url: 'https://billing.example.com/hooks',
      description: null,
      secret: endpointSecret,
      events: ['message.sent'],
    });

    // Rotated with overlap: the replaced secret is kept (as previous_secret) until it expires.
    const rotatedSecret = mintWebhookSecret();
    await endpoints.rotateSecret(
      tenant.accountId,
      endpoint.id,
      rotatedSecret,
      new Date(Date.now() + 3_600_000),
    );

    // Callers still see the plain values.
    const instance = (await context.db.instances.findById(tenant.instance.id))!;
    expect(instance).toMatchObject({ evolutionToken, webhookJwtKey: jwtKey });
    expect((await endpoints.findForAccount(tenant.accountId, endpoint.id))?.secret).toBe(rotatedSecret);

    const { stdout: dump } = await run('pg_dump', ['--data-only', '--no-owner', context.url], {
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const secret of [evolutionToken, jwtKey, pathToken, endpointSecret, rotatedSecret]) {
      for (const form of formsOf(secret)) expect(dump).not.toContain(form);
    }
    // What is there instead: the ciphertexts under the test key, and the path token's hash.
    const [stored] = await context.db.dataSource.query(
      `SELECT evolution_token, webhook_jwt_key, encode(webhook_token_hash, 'hex') AS hash FROM instances WHERE id = $1`,
      [instance.id],
    );
    const [storedEndpoint] = await context.db.dataSource.query(
      'SELECT secret, previous_secret FROM webhook_endpoints WHERE id = $1',
      [endpoint.id],
    );
    expect(context.db.secrets.open('webhook_endpoints.previous_secret', storedEndpoint.previous_secret)).toBe(
      endpointSecret,
    );
    for (const ciphertext of [
      stored.evolution_token,
      stored.webhook_jwt_key,
      storedEndpoint.secret,
      storedEndpoint.previous_secret,
    ]) {
      expect(ciphertext).toMatch(/^enc:v1:test1:[A-Za-z0-9_-]+$/);
      expect(dump).toContain(ciphertext);
    }
    expect(stored.hash).toBe(sha256Hex(pathToken));
    expect(dump).toContain(`\\\\x${sha256Hex(pathToken)}`);
  });
});

describe('Legacy plain-text secrets and key rotation', () => {
  const context = useTestDatabase({ isolated: true });

  /** A tenant whose secrets were written before encryption: plain text in every secret column. */
  async function legacyTenant(): Promise<{
    tenant: Tenant;
    endpointId: string;
    plain: Record<string, string>;
  }> {
    const tenant = await createTenant(context.db);
    const endpoint = await new WebhookEndpointRepository(context.db.dataSource, context.db.secrets).create({
      accountId: tenant.accountId,
      url: 'https://billing.example.com/hooks',
      description: null,
      secret: mintWebhookSecret(),
      events: ['message.sent'],
    });
    const plain = {
      evolutionToken: `legacy-evo-${randomBytes(8).toString('hex')}`,
      jwtKey: `legacy-jwt-${randomBytes(8).toString('hex')}`,
      secret: mintWebhookSecret(),
      previousSecret: mintWebhookSecret(),
    };
    await context.db.dataSource.query(
      'UPDATE instances SET evolution_token = $2, webhook_jwt_key = $3 WHERE id = $1',
      [tenant.instance.id, plain.evolutionToken, plain.jwtKey],
    );
    await context.db.dataSource.query(
      `UPDATE webhook_endpoints SET secret = $2, previous_secret = $3,
              previous_secret_expires_at = now() + interval '1 hour' WHERE id = $1`,
      [endpoint.id, plain.secret, plain.previousSecret],
    );
    return { tenant, endpointId: endpoint.id, plain };
  }

  async function storedValues(instanceId: string, endpointId: string): Promise<string[]> {
    const [instance] = await context.db.dataSource.query(
      'SELECT evolution_token, webhook_jwt_key FROM instances WHERE id = $1',
      [instanceId],
    );
    const [endpoint] = await context.db.dataSource.query(
      'SELECT secret, previous_secret FROM webhook_endpoints WHERE id = $1',
      [endpointId],
    );
    return [instance.evolution_token, instance.webhook_jwt_key, endpoint.secret, endpoint.previous_secret];
  }

  function readersWith(secretsKey: string) {
    const secrets = new SecretBox(SecretsKeyRing.parse(secretsKey));
    return {
      instances: new InstanceRepository(context.db.dataSource, secrets),
      endpoints: new WebhookEndpointRepository(context.db.dataSource, secrets),
      resealer: new SecretResealer(context.db.dataSource, secrets, 2),
    };
  }

  it('When rows still hold plain-text secrets, then they read as before, and `secrets rotate` encrypts them (a second run finds nothing)', async () => {
    const { tenant, endpointId, plain } = await legacyTenant();
    const read = async () => ({
      instance: await context.db.instances.findById(tenant.instance.id),
      endpoint: await new WebhookEndpointRepository(context.db.dataSource, context.db.secrets).findForAccount(
        tenant.accountId,
        endpointId,
      ),
    });
    const before = await read();
    expect(before.instance).toMatchObject({
      evolutionToken: plain.evolutionToken,
      webhookJwtKey: plain.jwtKey,
    });
    expect(before.endpoint?.secret).toBe(plain.secret);

    const rotated = await cli(['secrets', 'rotate', '--json'], context.url, TEST_SECRETS_KEY);
    expect(rotated).toMatchObject({ code: 0, stderr: '' });
    const { key_id: keyId, reencrypted } = JSON.parse(rotated.stdout) as {
      key_id: string;
      reencrypted: Record<string, number>;
    };
    expect(keyId).toBe('test1');
    for (const column of SECRET_COLUMNS) expect(reencrypted[column]).toBeGreaterThanOrEqual(1);

    for (const value of await storedValues(tenant.instance.id, endpointId)) {
      expect(value).toMatch(/^enc:v1:test1:/);
      for (const secret of Object.values(plain)) expect(value).not.toContain(secret);
    }
    const after = await read();
    expect(after.instance).toMatchObject({
      evolutionToken: plain.evolutionToken,
      webhookJwtKey: plain.jwtKey,
    });
    expect(after.endpoint?.secret).toBe(plain.secret);

    const again = await cli(['secrets', 'rotate', '--json'], context.url, TEST_SECRETS_KEY);
    expect(JSON.parse(again.stdout).reencrypted).toEqual(
      Object.fromEntries(SECRET_COLUMNS.map((column) => [column, 0])),
    );
  });

  it('When ingress starts over plain-text rows, then its "encrypt what is still plain" step seals them and leaves sealed ones alone', async () => {
    const { tenant, endpointId } = await legacyTenant();
    const sealedBefore = await context.db.dataSource.query(
      `SELECT id, evolution_token FROM instances WHERE starts_with(evolution_token, 'enc:v1:')`,
    );
    const { resealer } = readersWith(TEST_SECRETS_KEY);
    const counts = await resealer.reseal('plain');
    expect(counts).toEqual({
      'instances.evolution_token': 1,
      'instances.webhook_jwt_key': 1,
      'webhook_endpoints.secret': 1,
      'webhook_endpoints.previous_secret': 1,
    });
    for (const value of await storedValues(tenant.instance.id, endpointId))
      expect(value).toMatch(/^enc:v1:test1:/);
    for (const row of sealedBefore) {
      const [now] = await context.db.dataSource.query('SELECT evolution_token FROM instances WHERE id = $1', [
        row.id,
      ]);
      expect(now.evolution_token).toBe(row.evolution_token);
    }
  });

  // Last in this database: afterwards its rows are under a key the other tests here do not hold.
  it('When a new key is put first and `secrets rotate` runs, then every secret moves to it and the old key can be dropped — and a start with only the old key is refused', async () => {
    const { tenant, endpointId, plain } = await legacyTenant();
    const newKey = newSecretsKeyEntry();
    const newId = newKey.split(':')[0]!;
    const rotated = await cli(['secrets', 'rotate'], context.url, `${newKey},${TEST_SECRETS_KEY}`);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/^instances\.evolution_token: \d+ re-encrypted$/m);
    expect(rotated.stderr).toContain(`now encrypted with key ${newId}; other keys can be removed`);

    for (const column of SECRET_COLUMNS) {
      const [table, name] = column.split('.') as [string, string];
      const [left] = await context.db.dataSource.query(
        `SELECT count(*)::int AS n FROM ${table} WHERE ${name} IS NOT NULL AND NOT starts_with(${name}, $1)`,
        [`enc:v1:${newId}:`],
      );
      expect({ column, left: left.n }).toEqual({ column, left: 0 });
    }

    // SECRETS_KEY without the old key: everything still opens.
    const onlyNew = readersWith(newKey);
    await expect(onlyNew.resealer.verify()).resolves.toBeUndefined();
    expect(await onlyNew.instances.findById(tenant.instance.id)).toMatchObject({
      evolutionToken: plain.evolutionToken,
      webhookJwtKey: plain.jwtKey,
    });
    expect((await onlyNew.endpoints.findForAccount(tenant.accountId, endpointId))?.secret).toBe(plain.secret);

    // Only the old key: the start check refuses, naming the key id, never a secret.
    const onlyOld = readersWith(TEST_SECRETS_KEY);
    const refusal = await onlyOld.resealer.verify().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SecretDecryptionError);
    expect((refusal as Error).message).toMatch(new RegExp(`key id ${newId}\\).*holds no key with this id`));
    for (const secret of Object.values(plain)) expect((refusal as Error).message).not.toContain(secret);
  });
});

describe('Evolution webhook path token', () => {
  const context = useTestDatabase();
  let tenant: Tenant;
  let authenticator: EvolutionWebhookAuthenticator;

  beforeAll(() => {
    authenticator = new EvolutionWebhookAuthenticator(context.db.instances);
  });

  beforeEach(async () => {
    tenant = await createTenant(context.db);
  });

  const accepts = (instance: Pick<Instance, 'id'>, token: string) =>
    authenticator.authenticate(instance.id, token, undefined).then(
      () => true,
      () => false,
    );

  /** Calls Evolution's webhook answers with a JWT; these checks are about the path token alone. */
  async function withoutJwt(instanceId: string): Promise<void> {
    await context.db.dataSource.query('UPDATE instances SET webhook_jwt_key = NULL WHERE id = $1', [
      instanceId,
    ]);
  }

  it('When Evolution is pointed at us again, then it gets a new token, and the previous one is accepted only until the grace ends', async () => {
    const fake = recordingEvolution();
    const configurator = new EvolutionWebhookConfigurator(context.db.instances, {
      evolution: fake.evolution,
      webhookBaseUrl: WEBHOOK_BASE,
    });
    await configurator.apply(tenant.instance);
    const first = fake.lastToken();
    await configurator.apply(tenant.instance);
    const second = fake.lastToken();
    expect(second).not.toBe(first);
    // The JWT key is kept (it is stored encrypted and can be given again).
    expect(fake.calls[1]!.jwtKey).toBe(fake.calls[0]!.jwtKey);
    await withoutJwt(tenant.instance.id);

    expect(await accepts(tenant.instance, second)).toBe(true);
    expect(await accepts(tenant.instance, first)).toBe(true);
    expect(await accepts(tenant.instance, randomBytes(32).toString('base64url'))).toBe(false);

    // The grace runs out (moved to the past rather than waited for).
    await context.db.dataSource.query(
      `UPDATE instances SET webhook_previous_token_until = now() - interval '1 second' WHERE id = $1`,
      [tenant.instance.id],
    );
    expect(await accepts(tenant.instance, first)).toBe(false);
    expect(await accepts(tenant.instance, second)).toBe(true);
  });

  it('When Evolution refuses the new URL, then the token it still has stays current, and the refusal recorded quotes no secret', async () => {
    const fake = recordingEvolution();
    const configurator = new EvolutionWebhookConfigurator(context.db.instances, {
      evolution: fake.evolution,
      webhookBaseUrl: WEBHOOK_BASE,
    });
    await configurator.apply(tenant.instance);
    const kept = fake.lastToken();
    fake.refuseFromNowOn();
    const refused = await configurator.apply(tenant.instance);
    expect(refused.webhookError).toMatch(
      /^Evolution refused the webhook: url .*\/\[token\] is not reachable$/,
    );
    await withoutJwt(tenant.instance.id);
    // Long after any grace, the token Evolution kept still opens the door.
    await context.db.dataSource.query(
      `UPDATE instances SET webhook_previous_token_until = now() - interval '1 second' WHERE id = $1`,
      [tenant.instance.id],
    );
    expect(await accepts(tenant.instance, kept)).toBe(true);
  });

  it('When no Evolution is configured, then applying issues no token, so the one Evolution has is not cut short', async () => {
    const fake = recordingEvolution();
    await new EvolutionWebhookConfigurator(context.db.instances, {
      evolution: fake.evolution,
      webhookBaseUrl: WEBHOOK_BASE,
    }).apply(tenant.instance);
    const token = fake.lastToken();
    await new EvolutionWebhookConfigurator(context.db.instances, {
      evolution: undefined,
      webhookBaseUrl: WEBHOOK_BASE,
    }).apply(tenant.instance);
    const [row] = await context.db.dataSource.query(
      'SELECT webhook_previous_token_hash FROM instances WHERE id = $1',
      [tenant.instance.id],
    );
    expect(row.webhook_previous_token_hash).toBeNull();
    await withoutJwt(tenant.instance.id);
    expect(await accepts(tenant.instance, token)).toBe(true);
  });
});
