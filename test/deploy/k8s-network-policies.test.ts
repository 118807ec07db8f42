import { BlockList, isIPv6 } from 'node:net';
import type Joi from 'joi';
import type {
  INetworkPolicy,
  INetworkPolicyPeer,
  INetworkPolicyPort,
} from 'kubernetes-models/networking.k8s.io/v1';
import { restrictedAddressKind } from '@telenexus/core';
import { dispatcherVariablesSchema } from '../../services/dispatcher/src/config';
import { ingressVariablesSchema } from '../../services/ingress/src/config';
import {
  KUSTOMIZATIONS,
  containersOf,
  dataOf,
  environmentOf,
  exampleSecret,
  render,
  resolveEnvironment,
  workloadsOf,
  type Workload,
} from './support/k8s-workloads';
import { loadDispatcherConfig, loadIngressConfig } from './support/service-variables';

type ILabelSelector = NonNullable<INetworkPolicy['spec']>['podSelector'];

/** The namespaces the policies admit, by the label Kubernetes sets on every namespace. */
const namespaceNamed = (name: string): INetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});
const MONITORING = namespaceNamed('monitoring');
const INGRESS_CONTROLLER = namespaceNamed('ingress-nginx');
const KEDA = namespaceNamed('keda');

/** Addresses in and out of every range the status-webhook SSRF policy refuses, both families. */
const SAMPLE_ADDRESSES = [
  ...['0.1.2.3', '10.1.2.3', '100.64.0.1', '100.127.255.254', '127.0.0.1', '169.254.169.254'],
  ...['172.16.5.4', '172.31.255.255', '192.0.0.8', '192.0.2.1', '192.88.99.1', '192.168.1.1'],
  ...['198.18.0.1', '198.51.100.7', '203.0.113.9', '224.0.0.1', '240.0.0.1', '255.255.255.255'],
  ...['8.8.8.8', '1.1.1.1', '11.0.0.1', '100.128.0.1', '172.32.0.1', '192.169.0.1', '41.90.64.1'],
  ...['::1', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '64:ff9b:1::1', '2001::1', '2001:db8::1'],
  ...['3fff::1', '2606:4700:4700::1111', '2a00:1450:4001::1', '2c0f:fe40::1'],
];

/** Does a label selector select these labels? matchLabels and matchExpressions; `{}` selects all. */
function selects(selector: ILabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return labels[key] !== undefined && values.includes(labels[key]);
      case 'NotIn':
        return labels[key] === undefined || !values.includes(labels[key]);
      case 'Exists':
        return labels[key] !== undefined;
      case 'DoesNotExist':
        return labels[key] === undefined;
      default:
        throw new Error(`selector operator ${operator} not understood`);
    }
  });
  return byLabels && byExpressions;
}

/** A policy port (a number or a container port's name) as a number, for one workload's pods. */
function portNumber(workload: Workload, port: INetworkPolicyPort['port']): number | undefined {
  if (typeof port === 'number') return port;
  return workload.podSpec.containers
    .flatMap((container) => container.ports ?? [])
    .find((candidate) => candidate.name === port)?.containerPort;
}

function cidrList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network, prefix] = cidr.split('/') as [string, string];
    list.addSubnet(network, Number(prefix), isIPv6(network) ? 'ipv6' : 'ipv4');
  }
  return list;
}

function peerAdmitsAddress(peer: INetworkPolicyPeer, address: string): boolean {
  if (!peer.ipBlock) return false;
  const family = isIPv6(address) ? 'ipv6' : 'ipv4';
  return (
    cidrList([peer.ipBlock.cidr]).check(address, family) &&
    !cidrList(peer.ipBlock.except ?? []).check(address, family)
  );
}

describe.each(KUSTOMIZATIONS.map((name) => [name]))('NetworkPolicies in k8s/%s', (name) => {
  const objects = render(name);
  const policies = objects.filter(
    (object) => object.kind === 'NetworkPolicy',
  ) as unknown as (INetworkPolicy & {
    metadata: { name: string };
  })[];
  const workloads = workloadsOf(objects);
  const workload = (component: string): Workload => {
    const found = workloads.find(
      (candidate) => candidate.podLabels['app.kubernetes.io/component'] === component,
    );
    if (!found) throw new Error(`no ${component} workload`);
    return found;
  };
  const componentsSelectedBy = (selector: ILabelSelector | undefined): string[] =>
    workloads
      .filter((candidate) => selects(selector, candidate.podLabels))
      .map((candidate) => candidate.podLabels['app.kubernetes.io/component'] ?? '?')
      .sort();
  const environment = (component: string): Record<string, string> => {
    const entry = containersOf(objects).find((candidate) => candidate.role === component);
    if (!entry) throw new Error(`no ${component} container`);
    return environmentOf(resolveEnvironment(entry.container, objects, exampleSecret()), {
      withOptional: true,
    });
  };
  const ingressConfig = loadIngressConfig(environment('ingress'));
  const dispatcherConfig = loadDispatcherConfig(environment('dispatcher'));
  const namespace = workload('ingress').object.metadata.namespace ?? '';
  const applying = (target: Workload, type: 'Ingress' | 'Egress') =>
    policies.filter(
      (policy) =>
        selects(policy.spec?.podSelector, target.podLabels) &&
        (policy.spec?.policyTypes ?? ['Ingress']).includes(type),
    );

  /** Who may open a connection to this port of the workload's pods: the peers of every rule admitting it. */
  const admittedPeers = (target: Workload, port: number): (INetworkPolicyPeer | 'anyone')[] =>
    applying(target, 'Ingress').flatMap((policy) =>
      (policy.spec?.ingress ?? [])
        .filter(
          (rule) =>
            (rule.ports ?? []).length === 0 ||
            (rule.ports ?? []).some((candidate) => portNumber(target, candidate.port) === port),
        )
        .flatMap<INetworkPolicyPeer | 'anyone'>((rule) =>
          (rule.from ?? []).length === 0 ? ['anyone'] : (rule.from ?? []),
        ),
    );

  /** Whether the workload's pods may connect to an address outside the cluster on a TCP port. */
  const egressAllows = (target: Workload, address: string, port: number): boolean =>
    applying(target, 'Egress').some((policy) =>
      (policy.spec?.egress ?? []).some(
        (rule) =>
          ((rule.ports ?? []).length === 0 ||
            (rule.ports ?? []).some(
              (candidate) =>
                (candidate.protocol ?? 'TCP') === 'TCP' && portNumber(target, candidate.port) === port,
            )) &&
          ((rule.to ?? []).length === 0 || (rule.to ?? []).some((peer) => peerAdmitsAddress(peer, address))),
      ),
    );

  it('When the policies are listed, then a default one denies every inbound connection to every pod of the namespace', () => {
    const denyAll = policies.filter(
      (policy) =>
        Object.keys(policy.spec?.podSelector ?? { none: true }).length === 0 &&
        policy.spec?.policyTypes?.includes('Ingress') &&
        (policy.spec?.ingress ?? []).length === 0,
    );
    expect(denyAll.map((policy) => policy.metadata.name)).toEqual(['default-deny-ingress']);
    for (const policy of policies) expect(policy.metadata.namespace).toBe(namespace);
  });

  it("When each policy's selectors are resolved, then they select the pods of real workloads (Postgres and Redis by their charts' labels, admitting only Telenexus pods)", () => {
    const selected = Object.fromEntries(
      policies.map((policy) => [policy.metadata.name, componentsSelectedBy(policy.spec?.podSelector)]),
    );
    expect(selected).toEqual({
      'default-deny-ingress': ['dispatcher', 'ingress', 'migrate'],
      ingress: ['ingress'],
      dispatcher: ['dispatcher'],
      'telenexus-egress': ['dispatcher', 'ingress'],
      'migrate-egress': ['migrate'],
      postgres: [],
      redis: [],
    });
    const admittedTo = (policyName: string) => {
      const policy = policies.find((candidate) => candidate.metadata.name === policyName);
      return (policy?.spec?.ingress ?? []).flatMap((rule) =>
        (rule.from ?? []).map((peer) => {
          expect(peer.namespaceSelector).toBeUndefined(); // this namespace's pods only
          return componentsSelectedBy(peer.podSelector);
        }),
      );
    };
    expect(admittedTo('postgres')).toEqual([['dispatcher', 'ingress', 'migrate']]);
    expect(admittedTo('redis')).toEqual([['dispatcher', 'ingress']]);
  });

  it('When Postgres and Redis are admitted, then on the ports of the URLs Telenexus is given', () => {
    const secret = dataOf(exampleSecret());
    const portOf = (url: string | undefined) => Number(new URL(url ?? '').port);
    const ports = (policyName: string) =>
      policies
        .find((policy) => policy.metadata.name === policyName)
        ?.spec?.ingress?.flatMap((rule) => (rule.ports ?? []).map((port) => port.port));
    expect(ports('postgres')).toEqual([portOf(secret.DATABASE_URL)]);
    expect(ports('redis')).toEqual([portOf(secret.REDIS_URL)]);
  });

  it('When a policy names a port, then it is a container port of every pod it selects', () => {
    for (const policy of policies) {
      for (const target of workloads.filter((candidate) =>
        selects(policy.spec?.podSelector, candidate.podLabels),
      )) {
        const named = (policy.spec?.ingress ?? []).flatMap((rule) => rule.ports ?? []);
        for (const port of named.filter((candidate) => typeof candidate.port === 'string')) {
          expect({
            policy: policy.metadata.name,
            port: port.port,
            resolved: portNumber(target, port.port),
          }).toEqual({
            policy: policy.metadata.name,
            port: port.port,
            resolved: expect.any(Number),
          });
        }
      }
    }
  });

  it('When the metrics ports are configured, then they are the schemas’ defaults and the container ports `metrics`', () => {
    const defaultOf = (schema: Joi.ObjectSchema) =>
      (schema.extract('METRICS_PORT').describe() as { flags?: { default?: number } }).flags?.default;
    expect(ingressConfig.metrics.port).toBe(defaultOf(ingressVariablesSchema as Joi.ObjectSchema));
    expect(dispatcherConfig.metrics.port).toBe(defaultOf(dispatcherVariablesSchema as Joi.ObjectSchema));
    expect(portNumber(workload('ingress'), 'metrics')).toBe(ingressConfig.metrics.port);
    expect(portNumber(workload('dispatcher'), 'metrics')).toBe(dispatcherConfig.metrics.port);
  });

  it('When anything connects to a metrics port, then only the monitoring namespace is admitted', () => {
    expect(admittedPeers(workload('ingress'), ingressConfig.metrics.port)).toEqual([MONITORING]);
    expect(admittedPeers(workload('dispatcher'), dispatcherConfig.metrics.port)).toEqual([MONITORING]);
  });

  it("When anything connects to ingress's API port, then only the ingress controller's namespace is admitted", () => {
    expect(admittedPeers(workload('ingress'), ingressConfig.http.port)).toEqual([INGRESS_CONTROLLER]);
  });

  it('When anything connects to the dispatcher, then only KEDA reaches the ops port (/backlog) and nothing reaches any other port', () => {
    const dispatcher = workload('dispatcher');
    expect(admittedPeers(dispatcher, dispatcherConfig.health.port)).toEqual([KEDA]);
    const ports = dispatcher.podSpec.containers.flatMap((container) => container.ports ?? []);
    expect(ports.map((port) => port.containerPort).sort()).toEqual(
      [dispatcherConfig.health.port, dispatcherConfig.metrics.port].sort(),
    );
    expect(admittedPeers(dispatcher, 5432)).toEqual([]);
  });

  it('When ingress and dispatcher resolve names, then DNS (UDP and TCP 53) to the cluster DNS pods is allowed', () => {
    for (const component of ['ingress', 'dispatcher', 'migrate']) {
      const rules = applying(workload(component), 'Egress').flatMap((policy) => policy.spec?.egress ?? []);
      const dns = rules.find((rule) =>
        (rule.to ?? []).some((peer) => peer.podSelector?.matchLabels?.['k8s-app'] === 'kube-dns'),
      );
      expect((dns?.ports ?? []).map((port) => `${port.protocol}/${port.port}`).sort()).toEqual([
        'TCP/53',
        'UDP/53',
      ]);
    }
  });

  it('When ingress and dispatcher call out, then Postgres and Redis are reachable wherever they run, and other ports only on the addresses the status-webhook SSRF policy allows', () => {
    const secret = dataOf(exampleSecret());
    const postgresPort = Number(new URL(secret.DATABASE_URL ?? '').port);
    const redisPort = Number(new URL(secret.REDIS_URL ?? '').port);
    for (const component of ['ingress', 'dispatcher']) {
      const target = workload(component);
      // A managed Postgres or Redis sits at a private address of the VPC.
      expect(egressAllows(target, '10.20.30.40', postgresPort)).toBe(true);
      expect(egressAllows(target, '10.20.30.40', redisPort)).toBe(true);
      for (const port of [443, 8443, 80]) {
        const verdicts = SAMPLE_ADDRESSES.map((address) => [address, egressAllows(target, address, port)]);
        expect(verdicts).toEqual(
          SAMPLE_ADDRESSES.map((address) => [address, restrictedAddressKind(address) === undefined]),
        );
      }
    }
  });

  it('When the migration Job calls out, then it reaches Postgres and nothing else', () => {
    const migrate = workload('migrate');
    const postgresPort = Number(new URL(dataOf(exampleSecret()).DATABASE_URL ?? '').port);
    expect(egressAllows(migrate, '10.20.30.40', postgresPort)).toBe(true);
    expect(egressAllows(migrate, '10.20.30.40', 6379)).toBe(false);
    expect(egressAllows(migrate, '8.8.8.8', 443)).toBe(false);
  });
});
