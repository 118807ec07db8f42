import { COMPOSE_DATABASE_URL, COMPOSE_REDIS_URL } from '../../packages/cli/src/dependency-check';
import {
  commandOf,
  interpolate,
  durationMs,
  publishedContainerPorts,
  rawEnvironment,
  readComposeFile,
  serviceEnvironment,
  type ComposeService,
} from './support/compose-file';
import {
  loadDispatcherConfig,
  loadIngressConfig,
  loadSandboxConfig,
  roleOfCommand,
  variablesOf,
  type Role,
} from './support/service-variables';

/** A service's one published port, as `host:hostPort:containerPort` with the shell's defaults. */
function hostBinding(service: ComposeService): { host: string; hostPort: number; containerPort: number } {
  const ports = (service.ports ?? []).map((port) => (typeof port === 'string' ? interpolate(port) : ''));
  expect(ports).toHaveLength(1);
  const [host, hostPort, containerPort] = ports[0]!.split(':');
  return { host: host!, hostPort: Number(hostPort), containerPort: Number(containerPort) };
}

/** The image compose builds from the Dockerfile, shared by every Telenexus service. */
const TELENEXUS_IMAGE = 'telenexus:local';
/** Room between a process's own shutdown bound and Docker's SIGKILL. */
const GRACE_MARGIN_MS = 5000;

/** What the operator must set before `docker compose up`: the key of the stored secrets, nothing else. */
const OPERATOR_SHELL = { SECRETS_KEY: `k1:${Buffer.alloc(32, 3).toString('base64')}` };

const compose = readComposeFile();
const telenexus = Object.entries(compose.services)
  .filter(([, service]) => service.image === TELENEXUS_IMAGE)
  .map(([name, service]) => ({ name, service, role: roleOfCommand(commandOf(service)) }));
const byRole = (role: Role): { name: string; service: ComposeService } => {
  const entry = telenexus.find((candidate) => candidate.role === role);
  if (!entry) throw new Error(`no ${role} service in docker-compose.yml`);
  return entry;
};
const cases = telenexus.map((entry) => [`${entry.name} (${entry.role})`, entry] as const);

/** The container port a healthcheck's URL asks, and its path. */
function healthcheckTarget(service: ComposeService): { port: number; path: string } | undefined {
  const test = service.healthcheck?.test;
  const text = Array.isArray(test) ? test.join(' ') : (test ?? '');
  const match = /http:\/\/(?:127\.0\.0\.1|localhost):(\d+)(\/[^'"\s)]*)/.exec(text);
  return match ? { port: Number(match[1]), path: match[2] ?? '' } : undefined;
}

describe('docker-compose.yml: the Telenexus services', () => {
  it('When the file is read, then migrate, init, ingress, dispatcher and the sandbox run from the one image built here, outside any profile', () => {
    expect(telenexus.map((entry) => entry.role).sort()).toEqual([
      'dispatcher',
      'ingress',
      'init',
      'migrate',
      'sandbox',
    ]);
    for (const { service } of telenexus) {
      expect(service.build).toBe('.');
      expect(service.profiles).toBeUndefined();
    }
  });

  it.each(cases)(
    'When %s starts, then every variable it is given is one its process reads',
    (_label, { service, role }) => {
      const { known } = variablesOf(role);
      expect(service.env_file).toBeUndefined();
      expect(Object.keys(rawEnvironment(service)).filter((name) => !known.has(name))).toEqual([]);
    },
  );

  it.each([['ingress' as const], ['dispatcher' as const], ['init' as const]])(
    'When SECRETS_KEY is not set, then compose refuses to start %s (no service makes up a key of its own)',
    (role) => {
      expect(() => serviceEnvironment(byRole(role).service)).toThrow(
        /SECRETS_KEY is required: set SECRETS_KEY in \.env/,
      );
    },
  );

  it.each(cases)(
    'When %s starts with only SECRETS_KEY set in the shell, then every required variable has a value',
    (_label, { service, role }) => {
      const environment = serviceEnvironment(service, OPERATOR_SHELL);
      expect([...variablesOf(role).required].filter((name) => !(name in environment))).toEqual([]);
    },
  );

  it.each(cases)(
    'When %s loads its config with only SECRETS_KEY set in the shell, then every value is valid',
    (_label, { service, role }) => {
      expect(() => variablesOf(role).load(serviceEnvironment(service, OPERATOR_SHELL))).not.toThrow();
    },
  );

  it.each(cases)(
    'When %s runs, then its root filesystem is read-only, /tmp a tmpfs, and it has no capabilities and no privilege escalation',
    (_label, { service }) => {
      expect(service.read_only).toBe(true);
      expect([service.tmpfs].flat().some((mount) => mount?.split(':')[0] === '/tmp')).toBe(true);
      expect(service.cap_drop).toEqual(['ALL']);
      expect(service.security_opt).toContain('no-new-privileges:true');
    },
  );

  it.each([['ingress' as const], ['dispatcher' as const]])(
    'When %s is stopped, then Docker waits longer than its SHUTDOWN_TIMEOUT_MS before killing it',
    (role) => {
      const { service } = byRole(role);
      const environment = serviceEnvironment(service, OPERATOR_SHELL);
      const shutdownTimeoutMs =
        role === 'ingress'
          ? loadIngressConfig(environment).shutdownTimeoutMs
          : loadDispatcherConfig(environment).shutdownTimeoutMs;
      expect(durationMs(service.stop_grace_period)).toBeGreaterThanOrEqual(
        shutdownTimeoutMs + GRACE_MARGIN_MS,
      );
    },
  );

  it('When ports are published and health checked, then they are the ports the processes listen on', () => {
    const ingress = byRole('ingress').service;
    const dispatcher = byRole('dispatcher').service;
    const sandbox = byRole('sandbox').service;
    const ingressPort = loadIngressConfig(serviceEnvironment(ingress, OPERATOR_SHELL)).http.port;
    const healthPort = loadDispatcherConfig(serviceEnvironment(dispatcher, OPERATOR_SHELL)).health.port;
    const sandboxConfig = loadSandboxConfig(serviceEnvironment(sandbox, OPERATOR_SHELL));

    expect(publishedContainerPorts(ingress)).toEqual([ingressPort]);
    expect(healthcheckTarget(ingress)).toEqual({ port: ingressPort, path: '/readyz' });
    expect(publishedContainerPorts(dispatcher)).toEqual([healthPort]);
    expect(healthcheckTarget(dispatcher)).toEqual({ port: healthPort, path: '/readyz' });
    expect(publishedContainerPorts(sandbox)).toEqual([sandboxConfig.port]);
    expect(healthcheckTarget(sandbox)?.port).toBe(sandboxConfig.port);
    // Reachable from the other containers, not only from itself.
    expect(sandboxConfig.host).toBe('0.0.0.0');
  });

  it('When ports are published, then neither METRICS_PORT is: metrics stay on the compose network', () => {
    const ingress = byRole('ingress').service;
    const dispatcher = byRole('dispatcher').service;
    const ingressConfig = loadIngressConfig(serviceEnvironment(ingress, OPERATOR_SHELL));
    const dispatcherConfig = loadDispatcherConfig(serviceEnvironment(dispatcher, OPERATOR_SHELL));
    // Set explicitly (0 would be a free port nobody could scrape), apart from every served port.
    expect(ingressConfig.metrics.port).toBeGreaterThan(0);
    expect(dispatcherConfig.metrics.port).toBeGreaterThan(0);
    expect(ingressConfig.metrics.port).not.toBe(ingressConfig.http.port);
    expect(dispatcherConfig.metrics.port).not.toBe(dispatcherConfig.health.port);
    for (const [service, metricsPort] of [
      [ingress, ingressConfig.metrics.port],
      [dispatcher, dispatcherConfig.metrics.port],
    ] as const) {
      expect(publishedContainerPorts(service)).not.toContain(metricsPort);
    }
    for (const service of Object.values(compose.services)) {
      for (const port of [ingressConfig.metrics.port, dispatcherConfig.metrics.port]) {
        expect(publishedContainerPorts(service)).not.toContain(port);
      }
    }
  });

  it('When nothing is set in the shell, then the dispatcher sends to the sandbox with the key the sandbox expects, and Evolution calls ingress back on this network', () => {
    const ingress = serviceEnvironment(byRole('ingress').service, OPERATOR_SHELL);
    const dispatcher = serviceEnvironment(byRole('dispatcher').service, OPERATOR_SHELL);
    const sandbox = byRole('sandbox');
    const sandboxConfig = loadSandboxConfig(serviceEnvironment(sandbox.service, OPERATOR_SHELL));
    const ingressConfig = loadIngressConfig(ingress);

    expect(dispatcher.EVOLUTION_API_URL).toBe(`http://${sandbox.name}:${sandboxConfig.port}`);
    expect(ingress.EVOLUTION_API_URL).toBe(dispatcher.EVOLUTION_API_URL);
    expect(dispatcher.EVOLUTION_API_KEY).toBe(sandboxConfig.globalApiKey);
    expect(ingress.EVOLUTION_API_KEY).toBe(sandboxConfig.globalApiKey);
    expect(ingressConfig.evolution.webhookBaseUrl).toBe(
      `http://${byRole('ingress').name}:${ingressConfig.http.port}`,
    );
  });

  it('When EVOLUTION_API_URL and EVOLUTION_API_KEY are set in the shell, then ingress and dispatcher both follow them', () => {
    const shell = { EVOLUTION_API_URL: 'http://evolution:8080', EVOLUTION_API_KEY: 'a-long-random-key' };
    for (const role of ['ingress', 'dispatcher'] as const) {
      expect(serviceEnvironment(byRole(role).service, { ...OPERATOR_SHELL, ...shell })).toMatchObject(shell);
    }
  });

  it('When ingress, dispatcher and migrate connect, then they use the compose Postgres and Redis and one queue namespace', () => {
    const ingress = serviceEnvironment(byRole('ingress').service, OPERATOR_SHELL);
    const dispatcher = serviceEnvironment(byRole('dispatcher').service, OPERATOR_SHELL);
    const migrate = serviceEnvironment(byRole('migrate').service, OPERATOR_SHELL);
    for (const environment of [ingress, dispatcher, migrate]) {
      expect(new URL(environment.DATABASE_URL ?? '').hostname).toBe('postgres');
    }
    expect(migrate.DATABASE_URL).toBe(ingress.DATABASE_URL);
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'QUEUE_PREFIX'])
      expect(dispatcher[name]).toBe(ingress[name]);
    expect(new URL(ingress.REDIS_URL ?? '').hostname).toBe('redis');
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis']));
  });

  it('When migrate runs, then it is a one-shot after Postgres is healthy, and ingress and dispatcher start only once it succeeded', () => {
    const migrate = byRole('migrate');
    expect(commandOf(migrate.service)).toEqual(['migrate']);
    expect(migrate.service.restart).toBe('no');
    expect(migrate.service.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
    for (const role of ['ingress', 'dispatcher'] as const) {
      expect(byRole(role).service.depends_on).toMatchObject({
        [migrate.name]: { condition: 'service_completed_successfully' },
        redis: { condition: 'service_healthy' },
      });
    }
  });
});

describe('docker-compose.yml: the first account, and Postgres and Redis for npm start', () => {
  it('When init runs, then it is a one-shot after the migrations, on the same database and Evolution as ingress', () => {
    const init = byRole('init');
    const ingress = serviceEnvironment(byRole('ingress').service, OPERATOR_SHELL);
    const environment = serviceEnvironment(init.service, OPERATOR_SHELL);
    expect(init.service.restart).toBe('no');
    expect(init.service.depends_on).toMatchObject({
      [byRole('migrate').name]: { condition: 'service_completed_successfully' },
      [byRole('sandbox').name]: { condition: 'service_healthy' },
    });
    for (const name of [
      'DATABASE_URL',
      'EVOLUTION_API_URL',
      'EVOLUTION_API_KEY',
      'EVOLUTION_WEBHOOK_BASE_URL',
      'PUBLIC_BASE_URL',
    ])
      expect([name, environment[name]]).toEqual([name, ingress[name]]);
  });

  it('When npm start cannot reach Postgres or Redis, then the URLs it suggests reach the ones docker compose publishes', () => {
    const postgres = compose.services.postgres!;
    const redis = compose.services.redis!;
    const database = new URL(COMPOSE_DATABASE_URL);
    const postgresEnvironment = serviceEnvironment(postgres, OPERATOR_SHELL);
    expect(hostBinding(postgres)).toEqual({
      host: '127.0.0.1',
      hostPort: Number(database.port),
      containerPort: 5432,
    });
    expect([database.username, database.password, database.pathname]).toEqual([
      postgresEnvironment.POSTGRES_USER,
      postgresEnvironment.POSTGRES_PASSWORD,
      `/${postgresEnvironment.POSTGRES_DB}`,
    ]);
    expect(hostBinding(redis)).toEqual({
      host: '127.0.0.1',
      hostPort: Number(new URL(COMPOSE_REDIS_URL).port),
      containerPort: 6379,
    });
  });
});

describe('docker-compose.yml: Redis, Postgres and the real Evolution API', () => {
  const redis = compose.services.redis;
  const postgres = compose.services.postgres;

  it('When Redis starts, then it keeps every key (maxmemory-policy noeviction), stores job hashes compactly and writes an append-only file to a volume', () => {
    const command = commandOf(redis ?? {}).join(' ');
    expect(command).toMatch(/--appendonly yes\b/);
    expect(command).toMatch(/--maxmemory-policy noeviction\b/);
    // Keeps each job hash in the compact encoding (half the memory per queued message).
    expect(command).toMatch(/--hash-max-listpack-value 256\b/);
    expect(namedVolumeAt(redis, '/data')).toBeDefined();
    expect(redis?.healthcheck).toBeDefined();
  });

  it('When Postgres starts, then its data lives in a named volume and it is health checked', () => {
    expect(namedVolumeAt(postgres, '/var/lib/postgresql/data')).toBeDefined();
    expect(postgres?.healthcheck).toBeDefined();
  });

  it('When the evolution profile is chosen, then a real Evolution API runs with the global key Telenexus sends, on a database of its own', () => {
    const inProfile = Object.entries(compose.services).filter(([, service]) =>
      service.profiles?.includes('evolution'),
    );
    const evolution = inProfile.find(([, service]) => /evolution-api/.test(service.image ?? ''));
    expect(evolution).toBeDefined();
    const [name, service] = evolution!;
    const environment = rawEnvironment(service);
    // The same shell variable and default as ingress and dispatcher use.
    expect(environment.AUTHENTICATION_API_KEY).toBe(
      rawEnvironment(byRole('dispatcher').service).EVOLUTION_API_KEY,
    );
    const database = new URL(serviceEnvironment(service, OPERATOR_SHELL).DATABASE_CONNECTION_URI ?? '');
    expect(database.hostname).not.toBe('postgres');
    expect(Object.keys(compose.services)).toContain(database.hostname);
    // Reachable by the name the README tells operators to use: EVOLUTION_API_URL=http://evolution:8080.
    expect(name).toBe('evolution');
    for (const [, member] of inProfile) expect(member.profiles).toEqual(['evolution']);
  });
});

function namedVolumeAt(service: ComposeService | undefined, target: string): string | undefined {
  for (const volume of service?.volumes ?? []) {
    const [source, mountPoint] =
      typeof volume === 'string' ? volume.split(':') : [volume.source, volume.target];
    if (mountPoint === target && source && source in (compose.volumes ?? {})) return source;
  }
  return undefined;
}
