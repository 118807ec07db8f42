import {
  KUSTOMIZATIONS,
  containersOf,
  dataOf,
  environmentOf,
  exampleSecret,
  render,
  resolveEnvironment,
  type ResolvedVariable,
} from './support/k8s-workloads';
import { variablesOf } from './support/service-variables';

/** Variables that hold credentials: only ever from the Secret, never a ConfigMap or a literal. */
const SECRET_VARIABLES = [
  'DATABASE_URL',
  'REDIS_URL',
  'EVOLUTION_API_KEY',
  'DASHBOARD_USERNAME',
  'DASHBOARD_PASSWORD',
];
const looksSecret = (name: string): boolean =>
  SECRET_VARIABLES.includes(name) || /(PASSWORD|SECRET|TOKEN|_KEY)$/.test(name);

describe.each(KUSTOMIZATIONS.map((name) => [name]))('Environment of every container in k8s/%s', (name) => {
  const objects = render(name);
  const secret = exampleSecret();
  const containers = containersOf(objects).map((entry) => ({
    ...entry,
    variables: resolveEnvironment(entry.container, objects, secret),
  }));
  const cases = containers.map((entry) => [entry.label, entry] as const);

  it('When the workloads are listed, then ingress, dispatcher and the migration each run', () => {
    expect(containers.map((entry) => entry.role).sort()).toEqual(['dispatcher', 'ingress', 'migrate']);
  });

  it.each(cases)(
    'When %s starts, then every variable it receives is one its process reads',
    (_label, entry) => {
      const { known } = variablesOf(entry.role);
      const unknown = entry.variables
        .map((variable) => variable.name)
        .filter((variable) => !known.has(variable));
      expect(unknown).toEqual([]);
    },
  );

  it.each(cases)('When %s starts, then every variable it requires is provided', (_label, entry) => {
    const names = new Set(
      entry.variables.filter((variable) => !variable.optional).map((variable) => variable.name),
    );
    const missing = [...variablesOf(entry.role).required].filter((variable) => !names.has(variable));
    expect(missing).toEqual([]);
  });

  it.each(cases)(
    'When %s loads its config, with and without the optional secret keys, then every value is valid',
    (_label, entry) => {
      const { load } = variablesOf(entry.role);
      expect(() => load(environmentOf(entry.variables, { withOptional: true }))).not.toThrow();
      expect(() => load(environmentOf(entry.variables, { withOptional: false }))).not.toThrow();
    },
  );

  it.each(cases)('When %s starts, then its credentials come from the Secret only', (_label, entry) => {
    const misplaced = entry.variables
      .filter((variable) => looksSecret(variable.name) && variable.source !== 'secret')
      .map((variable) => `${variable.name} from ${variable.from}`);
    expect(misplaced).toEqual([]);
  });

  it.each(cases)('When %s starts, then NODE_ENV is production', (_label, entry) => {
    expect(entry.variables.find((variable) => variable.name === 'NODE_ENV')?.value).toBe('production');
  });

  it('When the ConfigMaps are read, then none holds a credential and every key reaches a container', () => {
    const consumed = new Set(
      containers.flatMap((entry) =>
        entry.variables
          .filter((variable) => variable.source === 'configMap')
          .map((variable) => `${variable.from}/${variable.name}`),
      ),
    );
    for (const configMap of objects.filter((object) => object.kind === 'ConfigMap')) {
      for (const key of Object.keys(dataOf(configMap))) {
        expect(looksSecret(key) ? `${configMap.metadata.name}/${key} is a credential` : key).toBe(key);
        expect(
          consumed.has(`${configMap.metadata.name}/${key}`)
            ? key
            : `${configMap.metadata.name}/${key} is read by nobody`,
        ).toBe(key);
      }
    }
  });

  it('When the Secret example is read, then every key it shows is used by a container, and every key used is shown', () => {
    const shown = Object.keys(dataOf(secret)).sort();
    const used = [
      ...new Set(
        containers.flatMap((entry) =>
          entry.variables
            .filter((variable) => variable.from === secret.metadata.name)
            .map((variable) => variable.name),
        ),
      ),
    ].sort();
    expect(used).toEqual(shown);
  });

  it('When ingress and dispatcher both read a variable, then they get the same value (one Evolution, one Postgres, one Redis, one queue namespace)', () => {
    const valuesOf = (role: string): ResolvedVariable[] =>
      containers.filter((entry) => entry.role === role).flatMap((entry) => entry.variables);
    const ingress = valuesOf('ingress');
    const dispatcher = valuesOf('dispatcher');
    // Where each process listens for Prometheus is its own (ingress 9464, dispatcher 9465, their defaults).
    const ownPorts = new Set(['METRICS_PORT']);
    const shared = ingress.filter(
      (variable) => !ownPorts.has(variable.name) && dispatcher.some((other) => other.name === variable.name),
    );
    expect(shared.map((variable) => variable.name)).toEqual(
      expect.arrayContaining(['EVOLUTION_API_URL', 'QUEUE_PREFIX']),
    );
    for (const variable of shared) {
      const other = dispatcher.find((candidate) => candidate.name === variable.name);
      expect(`${variable.name}=${other?.value}`).toBe(`${variable.name}=${variable.value}`);
    }
  });

  it('When the migration Job is read, then it uses no ConfigMap, so it can be applied on its own before a rollout', () => {
    for (const entry of containers.filter((candidate) => candidate.role === 'migrate')) {
      expect(entry.variables.filter((variable) => variable.source === 'configMap')).toEqual([]);
    }
  });
});
