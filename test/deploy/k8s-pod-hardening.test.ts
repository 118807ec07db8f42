import type { IContainer, IPodSecurityContext, ISecurityContext } from 'kubernetes-models/v1';
import { KUSTOMIZATIONS, containersOf, render, workloadsOf } from './support/k8s-workloads';

/** The uid/gid of the `node` user in the official Node.js images (USER 1000:1000 in the Dockerfile). */
const NODE_USER = 1000;

/** Volume types the restricted Pod Security Standard allows. */
const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** A Kubernetes quantity in base units (cores, bytes). */
function quantity(value: string | number | undefined): number {
  if (value === undefined) return Number.NaN;
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(value));
  if (!match) return Number.NaN;
  const factors: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  return Number(match[1]) * (match[2] ? (factors[match[2]] ?? Number.NaN) : 1);
}

/** The container's security settings as they apply: its own, else the pod's. */
function effectiveSecurity(pod: IPodSecurityContext | undefined, container: ISecurityContext | undefined) {
  return {
    runAsNonRoot: container?.runAsNonRoot ?? pod?.runAsNonRoot,
    runAsUser: container?.runAsUser ?? pod?.runAsUser,
    runAsGroup: container?.runAsGroup ?? pod?.runAsGroup,
    seccompProfile: container?.seccompProfile?.type ?? pod?.seccompProfile?.type,
    allowPrivilegeEscalation: container?.allowPrivilegeEscalation,
    readOnlyRootFilesystem: container?.readOnlyRootFilesystem,
    capabilitiesDropped: container?.capabilities?.drop ?? [],
    capabilitiesAdded: container?.capabilities?.add ?? [],
    privileged: container?.privileged ?? false,
  };
}

describe.each(KUSTOMIZATIONS.map((name) => [name]))('Pod hardening in k8s/%s', (name) => {
  const objects = render(name);
  const workloads = workloadsOf(objects).map(
    (workload) => [`${workload.object.kind}/${workload.object.metadata.name}`, workload] as const,
  );
  const containers = containersOf(objects).map((entry) => [entry.label, entry] as const);

  it.each(containers)(
    'When %s runs, then it is non-root (uid 1000), cannot escalate, has no capabilities, a read-only root filesystem and the runtime seccomp profile',
    (_label, { workload, container }) => {
      expect(effectiveSecurity(workload.podSpec.securityContext, container.securityContext)).toEqual({
        runAsNonRoot: true,
        runAsUser: NODE_USER,
        runAsGroup: NODE_USER,
        seccompProfile: 'RuntimeDefault',
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilitiesDropped: ['ALL'],
        capabilitiesAdded: [],
        privileged: false,
      });
    },
  );

  it.each(containers)(
    'When %s is scheduled, then it requests CPU and memory and is limited in both, requests within limits',
    (_label, { container }: { container: IContainer }) => {
      const { requests = {}, limits = {} } = container.resources ?? {};
      for (const resource of ['cpu', 'memory']) {
        const requested = quantity(requests[resource]);
        const limit = quantity(limits[resource]);
        expect(`${resource} request ${requested > 0 ? 'set' : 'missing'}`).toBe(`${resource} request set`);
        expect(`${resource} limit ${limit > 0 ? 'set' : 'missing'}`).toBe(`${resource} limit set`);
        expect(requested).toBeLessThanOrEqual(limit);
      }
    },
  );

  it.each(containers)(
    'When %s starts, then it runs the image entrypoint (the CLI) with a Telenexus command, not a command of its own',
    (_label, { container }) => {
      expect(container.command).toBeUndefined();
      expect(container.args?.length).toBeGreaterThan(0);
    },
  );

  it.each(workloads)(
    'When %s is read, then its pods mount no service-account token, get no service-link variables and use restricted volume types only',
    (_label, workload) => {
      expect(workload.podSpec.automountServiceAccountToken).toBe(false);
      expect(workload.podSpec.enableServiceLinks).toBe(false);
      expect(workload.podSpec.hostNetwork ?? false).toBe(false);
      expect(workload.podSpec.hostPID ?? false).toBe(false);
      expect(workload.podSpec.hostIPC ?? false).toBe(false);
      for (const volume of workload.podSpec.volumes ?? []) {
        const types = Object.keys(volume).filter((key) => key !== 'name');
        expect(types.filter((type) => !RESTRICTED_VOLUME_TYPES.has(type))).toEqual([]);
      }
    },
  );

  it.each(containers)(
    'When %s writes a temporary file despite the read-only root, then /tmp is a size-limited emptyDir',
    (_label, { workload, container }) => {
      const mount = container.volumeMounts?.find((candidate) => candidate.mountPath === '/tmp');
      const volume = workload.podSpec.volumes?.find((candidate) => candidate.name === mount?.name);
      expect(volume?.emptyDir?.sizeLimit).toBeDefined();
    },
  );
});
