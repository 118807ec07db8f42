import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IService } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import { QUEUE_NAMES } from '@telenexus/queue';
import { createDispatcherMetrics } from '../../services/dispatcher/src/dispatcher-metrics';
import { parseSamples, samplesOf, TARGET_LABELS } from '../support/prometheus-samples';
import { validateAgainstSchema } from './support/k8s-models';
import type { KubeObject } from './support/kustomize';
import {
  K8S_DIRECTORY,
  KUSTOMIZATIONS,
  containersOf,
  environmentOf,
  exampleSecret,
  render,
  resolveEnvironment,
  selects,
  workloadsOf,
  type Workload,
} from './support/k8s-workloads';
import { telenexusSelectors } from './support/promql';
import { loadDispatcherConfig, loadIngressConfig } from './support/service-variables';

/**
 * The only paths the public Ingress may route: the API (the Evolution webhooks are under it) and the
 * web console (static files; everything it does goes through the authenticated API).
 */
const PUBLIC_PATHS = ['/api', '/console'];

/**
 * The `prometheus` trigger the dispatcher's ScaledObject offers in a comment, as the alternative to
 * its metrics-api trigger: the commented YAML block, uncommented and parsed.
 */
function commentedPrometheusTrigger(): { type: string; metadata: Record<string, string> } {
  const lines = readFileSync(join(K8S_DIRECTORY, 'base', 'dispatcher-scaledobject.yaml'), 'utf8').split('\n');
  const start = lines.findIndex((line) => /^#\s+- type: prometheus\s*$/.test(line));
  if (start < 0) throw new Error('dispatcher-scaledobject.yaml: no commented `- type: prometheus` trigger');
  const indent = lines[start]!.indexOf('-');
  const block = [lines[start]!];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(`#${' '.repeat(indent + 1)}`)) break;
    block.push(line);
  }
  const [trigger] = parse(block.map((line) => line.slice(indent)).join('\n')) as [
    { type: string; metadata: Record<string, string> },
  ];
  return trigger;
}

/** What the dispatcher exports at /metrics, as main.ts wires it (a stand-in queue and readers). */
async function dispatcherSamples() {
  const { registry } = createDispatcherMetrics({
    version: 'test',
    queues: [{ name: QUEUE_NAMES.notifications, getJobCounts: () => Promise.resolve({}) }],
    backlogByInstance: () => Promise.resolve({}),
    connectionStates: () => Promise.resolve({}),
  });
  return parseSamples(await registry.metrics());
}

/** nginx sizes (`2m`, `512k`) in bytes. */
function nginxSize(value: string): number {
  const match = /^(\d+)([kKmMgG]?)$/.exec(value);
  if (!match) return Number.NaN;
  const unit = (match[2] ?? '').toLowerCase();
  return Number(match[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1);
}

describe.each(KUSTOMIZATIONS.map((name) => [name]))(
  'Services, Ingress, autoscaling and disruption budgets in k8s/%s',
  (name) => {
    const objects = render(name);
    const secret = exampleSecret();
    const of = <T>(kind: string): T[] => objects.filter((object) => object.kind === kind) as unknown as T[];
    const deployments = workloadsOf(objects).filter((workload) => workload.object.kind === 'Deployment');
    const deployment = (deploymentName: string | undefined): Workload | undefined =>
      deployments.find((workload) => workload.object.metadata.name === deploymentName);
    const containers = containersOf(objects);
    const environment = (role: string): Record<string, string> => {
      const entry = containers.find((candidate) => candidate.role === role);
      if (!entry) throw new Error(`no ${role} container`);
      return environmentOf(resolveEnvironment(entry.container, objects, secret), { withOptional: true });
    };
    const ingressConfig = loadIngressConfig(environment('ingress'));
    const dispatcherConfig = loadDispatcherConfig(environment('dispatcher'));
    const services = of<IService & { metadata: { name: string; namespace: string } }>('Service');

    /** The Deployment a Service sends to, and the container port behind one of its ports. */
    const serviceTarget = (service: IService, port: string | number) => {
      const targets = deployments.filter((workload) => selects(service.spec?.selector, workload.podLabels));
      expect(targets).toHaveLength(1);
      const servicePort = service.spec?.ports?.find(
        (candidate) => candidate.name === port || candidate.port === port,
      );
      const targetPort = servicePort?.targetPort ?? servicePort?.port;
      const containerPort = targets[0]?.podSpec.containers
        .flatMap((container) => container.ports ?? [])
        .find(
          (candidate) => candidate.name === targetPort || candidate.containerPort === targetPort,
        )?.containerPort;
      return { deployment: targets[0]?.object.metadata.name, containerPort };
    };

    it.each(of<IService>('Service').map((service) => [service.metadata?.name, service]))(
      'When Service %s is resolved, then it selects the pods of exactly one Deployment and every port reaches a container port',
      (_name, service) => {
        expect(service.spec?.type ?? 'ClusterIP').toBe('ClusterIP');
        for (const port of service.spec?.ports ?? []) {
          expect(serviceTarget(service, port.port).containerPort).toBeDefined();
        }
      },
    );

    it('When the ingress Service is resolved, then port 80 reaches ingress on its PORT and dispatcher-ops reaches the dispatcher on its HEALTH_PORT', () => {
      const byName = (serviceName: string) =>
        services.find((service) => service.metadata.name === serviceName);
      expect(serviceTarget(byName('ingress')!, 80)).toEqual({
        deployment: 'ingress',
        containerPort: ingressConfig.http.port,
      });
      expect(serviceTarget(byName('dispatcher-ops')!, dispatcherConfig.health.port)).toEqual({
        deployment: 'dispatcher',
        containerPort: dispatcherConfig.health.port,
      });
    });

    describe('the public Ingress', () => {
      const ingresses = of<IIngress>('Ingress');

      it('When the Ingress rules are read, then only /api and /console are routed, to the ingress Service, so /metrics, /healthz and /admin/queues stay inside the cluster', () => {
        expect(ingresses).toHaveLength(1);
        const rules = ingresses[0]?.spec?.rules ?? [];
        expect(rules.length).toBeGreaterThan(0);
        for (const rule of rules) {
          for (const path of rule.http?.paths ?? []) {
            expect(PUBLIC_PATHS).toContain(path.path);
            expect(path.pathType).toBe('Prefix');
            const backend = path.backend.service;
            const service = services.find((candidate) => candidate.metadata.name === backend?.name);
            expect(service).toBeDefined();
            expect(
              serviceTarget(service!, backend?.port?.name ?? backend?.port?.number ?? '').deployment,
            ).toBe('ingress');
          }
        }
      });

      it('When billing systems are shown PUBLIC_BASE_URL, then it is https on the Ingress host, which TLS covers', () => {
        const spec = ingresses[0]?.spec;
        const hosts = (spec?.rules ?? []).map((rule) => rule.host);
        const publicUrl = new URL(ingressConfig.http.publicBaseUrl);
        expect(publicUrl.protocol).toBe('https:');
        expect(hosts).toContain(publicUrl.hostname);
        const tlsHosts = (spec?.tls ?? []).flatMap((tls) => tls.hosts ?? []);
        for (const host of hosts) expect(tlsHosts).toContain(host);
        expect(spec?.ingressClassName).toBeDefined();
      });

      it('When a full batch arrives, then the controller lets through a body as large as BATCH_BODY_LIMIT_KB, so ingress answers its own 413', () => {
        const limit = ingresses[0]?.metadata?.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size'];
        expect(nginxSize(limit ?? '1m')).toBeGreaterThanOrEqual(ingressConfig.http.batchBodyLimitBytes);
      });
    });

    describe('autoscaling', () => {
      const hpas = of<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler');
      const scaledObjects = of<IScaledObject>('ScaledObject');

      it('When the autoscalers are listed, then ingress has an HPA on CPU, the dispatcher a KEDA ScaledObject, and no Deployment has two', () => {
        expect(hpas.map((hpa) => hpa.spec?.scaleTargetRef.name)).toEqual(['ingress']);
        expect(scaledObjects.map((scaledObject) => scaledObject.spec.scaleTargetRef.name)).toEqual([
          'dispatcher',
        ]);
      });

      it('When an autoscaler owns a Deployment, then the Deployment sets no replicas for an apply to reset', () => {
        for (const target of ['ingress', 'dispatcher']) {
          expect((deployment(target)?.object.spec as { replicas?: number }).replicas).toBeUndefined();
        }
      });

      it('When ingress is scaled on CPU utilisation, then its pods request CPU and at least two always run', () => {
        const [hpa] = hpas;
        expect(hpa?.spec?.scaleTargetRef).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
        const cpu = hpa?.spec?.metrics?.find((metric) => metric.resource?.name === 'cpu');
        expect(cpu?.resource?.target).toMatchObject({ type: 'Utilization' });
        expect(cpu?.resource?.target.averageUtilization).toBeGreaterThan(0);
        for (const container of deployment('ingress')?.podSpec.containers ?? []) {
          expect(container.resources?.requests?.cpu).toBeDefined();
        }
        expect(hpa?.spec?.minReplicas).toBeGreaterThanOrEqual(2);
        expect(hpa?.spec?.maxReplicas).toBeGreaterThanOrEqual(hpa?.spec?.minReplicas ?? Infinity);
      });

      it('When KEDA polls the backlog, then it reads `ready` of /backlog (jobs ready to run, not delayed ones) through dispatcher-ops, which reaches the dispatcher on HEALTH_PORT', () => {
        const [scaledObject] = scaledObjects;
        expect(scaledObject?.spec.scaleTargetRef).toMatchObject({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'dispatcher',
        });
        const triggers = scaledObject?.spec.triggers ?? [];
        expect(triggers.map((trigger) => trigger.type)).toEqual(['metrics-api']);
        const metadata = triggers[0]?.metadata as Record<string, string>;
        const url = new URL(metadata.url ?? '');
        expect(url.pathname).toBe('/backlog');
        expect(metadata.valueLocation).toBe('ready');
        expect(Number(metadata.targetValue)).toBeGreaterThan(0);

        const [serviceName, namespace, ...domain] = url.hostname.split('.');
        expect(domain.join('.')).toBe('svc.cluster.local');
        const service = services.find(
          (candidate) =>
            candidate.metadata.name === serviceName && candidate.metadata.namespace === namespace,
        );
        expect(service).toBeDefined();
        expect(serviceTarget(service!, Number(url.port || 80))).toEqual({
          deployment: 'dispatcher',
          containerPort: dispatcherConfig.health.port,
        });
      });

      it('When Prometheus is used instead, then the commented trigger is valid, scales on the same figure per replica, and its query reads a gauge the dispatcher really exports, by labels its series really have', async () => {
        const [scaledObject] = scaledObjects;
        const trigger = commentedPrometheusTrigger();
        expect(trigger.type).toBe('prometheus');
        validateAgainstSchema({
          ...scaledObject,
          spec: { ...scaledObject?.spec, triggers: [trigger] },
        } as unknown as KubeObject);
        const metricsApi = scaledObject?.spec.triggers.find((candidate) => candidate.type === 'metrics-api');
        expect(trigger.metadata.threshold).toBe((metricsApi?.metadata as Record<string, string>).targetValue);

        const query = trigger.metadata.query ?? '';
        const selectors = telenexusSelectors(query);
        expect(selectors.map((selector) => selector.metric)).toEqual(['telenexus_queue_ready']);
        const samples = await dispatcherSamples();
        const namespace = deployment('dispatcher')?.object.metadata.namespace;
        for (const { metric, matchers } of selectors) {
          const series = samplesOf(samples, metric);
          expect(series.length).toBeGreaterThan(0);
          expect(matchers.length).toBeGreaterThan(0);
          for (const { label, operator, value } of matchers) {
            expect(operator).toBe('=');
            if (TARGET_LABELS.includes(label)) {
              // Set by Prometheus on the pod's series, never by us: only the namespace is predictable.
              expect({ label, value }).toEqual({ label: 'namespace', value: namespace });
            } else {
              expect(series.map((sample) => sample.labels[label])).toContain(value);
            }
          }
        }
        const readme = readFileSync(join(K8S_DIRECTORY, 'README.md'), 'utf8');
        expect(readme).toContain(query);
      });

      it('When the backlog is empty, then one dispatcher still runs (it runs the outbox sweeper and serves /backlog itself), and the bounds and cooldown are set', () => {
        const spec = scaledObjects[0]?.spec;
        expect(spec?.minReplicaCount).toBeGreaterThanOrEqual(1);
        expect(spec?.maxReplicaCount).toBeGreaterThanOrEqual(spec?.minReplicaCount ?? Infinity);
        expect(spec?.cooldownPeriod).toBeGreaterThan(0);
        expect(spec?.fallback?.replicas).toBeGreaterThanOrEqual(1);
      });
    });

    describe('disruption budgets', () => {
      const budgets = of<IPodDisruptionBudget>('PodDisruptionBudget');
      const minimumReplicas = (target: string): number => {
        const hpa = of<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler').find(
          (candidate) => candidate.spec?.scaleTargetRef.name === target,
        );
        const scaled = of<IScaledObject>('ScaledObject').find(
          (candidate) => candidate.spec.scaleTargetRef.name === target,
        );
        return hpa?.spec?.minReplicas ?? scaled?.spec.minReplicaCount ?? 1;
      };

      it('When the budgets are listed, then ingress and dispatcher each have one', () => {
        const covered = budgets.map((budget) => {
          const targets = deployments.filter((workload) =>
            selects(budget.spec?.selector?.matchLabels, workload.podLabels),
          );
          expect(targets).toHaveLength(1);
          return targets[0]?.object.metadata.name;
        });
        expect(covered.sort()).toEqual(['dispatcher', 'ingress']);
      });

      it('When a node is drained at the minimum replica count, then each budget still lets a pod go', () => {
        for (const budget of budgets) {
          const target = deployments.find((workload) =>
            selects(budget.spec?.selector?.matchLabels, workload.podLabels),
          );
          const minimum = minimumReplicas(target?.object.metadata.name ?? '');
          const { minAvailable, maxUnavailable } = budget.spec ?? {};
          if (minAvailable !== undefined) expect(minimum).toBeGreaterThan(Number(minAvailable));
          if (maxUnavailable !== undefined) expect(Number(maxUnavailable)).toBeGreaterThanOrEqual(1);
          expect(minAvailable === undefined && maxUnavailable === undefined).toBe(false);
        }
      });

      it('When ingress is disrupted, then at least one pod stays available', () => {
        const budget = budgets.find((candidate) => candidate.metadata?.name === 'ingress');
        expect(budget?.spec?.minAvailable).toBe(1);
      });
    });
  },
);
