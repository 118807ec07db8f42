import type { IContainer, IProbe } from 'kubernetes-models/v1';
import type { IJob } from 'kubernetes-models/batch/v1';
import {
  KUSTOMIZATIONS,
  containersOf,
  environmentOf,
  exampleSecret,
  render,
  resolveEnvironment,
  type TelenexusContainer,
} from './support/k8s-workloads';
import { loadDispatcherConfig, loadIngressConfig } from './support/service-variables';

/** Kubernetes' default when a pod spec does not say. */
const DEFAULT_GRACE_SECONDS = 30;
/** Room between the process's own shutdown bound and the kubelet's SIGKILL. */
const GRACE_MARGIN_MS = 5000;
/** Each readiness check is bounded at 2 s (packages/runtime/src/health.routes.ts). */
const READINESS_CHECK_BOUND_MS = 2000;

/** What a long-running Telenexus process listens on and how long it may take to stop. */
interface ServedConfig {
  readonly port: number;
  /** METRICS_PORT: /metrics, apart from the probes' port. */
  readonly metricsPort: number;
  readonly host: string;
  readonly shutdownTimeoutMs: number;
}

function servedConfig(entry: TelenexusContainer, objects: ReturnType<typeof render>): ServedConfig {
  const environment = environmentOf(resolveEnvironment(entry.container, objects, exampleSecret()), {
    withOptional: true,
  });
  if (entry.role === 'ingress') {
    const config = loadIngressConfig(environment);
    return {
      port: config.http.port,
      metricsPort: config.metrics.port,
      host: config.http.host,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
    };
  }
  const config = loadDispatcherConfig(environment);
  return {
    port: config.health.port,
    metricsPort: config.metrics.port,
    host: config.health.host,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
  };
}

/** A probe's port as a number (named ports resolved through the container's ports). */
function probePort(container: IContainer, probe: IProbe | undefined): number | undefined {
  const port = probe?.httpGet?.port;
  if (typeof port === 'number') return port;
  return container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

/** How long the preStop hook holds the pod before SIGTERM, in ms. */
function preStopMs(container: IContainer): number {
  const preStop = container.lifecycle?.preStop;
  if (!preStop) return 0;
  if (preStop.sleep) return preStop.sleep.seconds * 1000;
  const [program, seconds] = preStop.exec?.command ?? [];
  if (program && /(^|\/)sleep$/.test(program) && /^\d+$/.test(seconds ?? '')) return Number(seconds) * 1000;
  throw new Error(`${container.name}: a preStop hook whose duration this test cannot tell`);
}

describe.each(KUSTOMIZATIONS.map((name) => [name]))('Probes, ports and shutdown in k8s/%s', (name) => {
  const objects = render(name);
  const servers = containersOf(objects)
    .filter((entry) => entry.role === 'ingress' || entry.role === 'dispatcher')
    .map((entry) => [entry.label, { ...entry, config: servedConfig(entry, objects) }] as const);

  it('When the Deployments are listed, then ingress and dispatcher are both there', () => {
    expect(servers.map(([, entry]) => entry.role).sort()).toEqual(['dispatcher', 'ingress']);
  });

  it.each(servers)(
    'When %s is probed, then readiness asks /readyz and liveness (and startup) ask /healthz, on the port it listens on',
    (_label, { container, config }) => {
      expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
      if (container.startupProbe) expect(container.startupProbe.httpGet?.path).toBe('/healthz');
      for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
        if (probe) expect(probePort(container, probe)).toBe(config.port);
      }
      expect(container.ports?.map((port) => port.containerPort)).toContain(config.port);
    },
  );

  it.each(servers)(
    'When %s listens, then it binds every interface so probes and Services reach it',
    (_label, { config }) => {
      expect(['0.0.0.0', '::']).toContain(config.host);
    },
  );

  it.each(servers)(
    'When %s checks Postgres and Redis for readiness, then the probe waits longer than the checks are bounded',
    (_label, { container }) => {
      expect((container.readinessProbe?.timeoutSeconds ?? 1) * 1000).toBeGreaterThan(
        READINESS_CHECK_BOUND_MS,
      );
    },
  );

  it.each(servers)(
    'When %s is told to stop, then its grace period covers the preStop hook, SHUTDOWN_TIMEOUT_MS as configured for it, and a margin',
    (_label, { workload, container, config }) => {
      const graceMs = (workload.podSpec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
      expect(graceMs).toBeGreaterThanOrEqual(
        preStopMs(container) + config.shutdownTimeoutMs + GRACE_MARGIN_MS,
      );
    },
  );

  it.each(servers)(
    'When Prometheus scrapes %s by annotation, then it is pointed at /metrics on METRICS_PORT, the container port `metrics`, apart from the served port',
    (_label, { workload, container, config }) => {
      const template = workload.object.spec as {
        template?: { metadata?: { annotations?: Record<string, string> } };
      };
      const annotations = template.template?.metadata?.annotations ?? {};
      expect(annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(config.metricsPort),
        'prometheus.io/path': '/metrics',
      });
      expect(container.ports?.find((port) => port.name === 'metrics')?.containerPort).toBe(
        config.metricsPort,
      );
      expect(config.metricsPort).not.toBe(config.port);
    },
  );

  it('When the migration Job is read, then it runs `migrate` once per pod, retries a bounded number of times, has a deadline, cleans itself up, and carries the label used to apply it alone', () => {
    const jobs = objects.filter((object) => object.kind === 'Job') as unknown as IJob[];
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect(job?.metadata?.labels?.['app.kubernetes.io/component']).toBe('migrate');
    expect(job?.spec?.template.spec?.restartPolicy).toBe('Never');
    expect(job?.spec?.template.spec?.containers.map((container) => container.args)).toEqual([['migrate']]);
    expect(job?.spec?.backoffLimit).toBeGreaterThanOrEqual(1);
    expect(job?.spec?.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(job?.spec?.ttlSecondsAfterFinished).toBeGreaterThan(0);
  });
});
