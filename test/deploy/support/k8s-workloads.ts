import { join } from 'node:path';
import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import { asKubeObject, podSpecOf, renderKustomization, type KubeObject } from './kustomize';
import { roleOfCommand, type Role } from './service-variables';
import { isRecord, readYamlFile, REPO_ROOT } from './yaml-files';

export const K8S_DIRECTORY = join(REPO_ROOT, 'k8s');

/** The kustomizations a cluster is deployed from: the base and every overlay. */
export const KUSTOMIZATIONS = ['base', 'overlays/production'] as const;

export function render(kustomization: (typeof KUSTOMIZATIONS)[number]): KubeObject[] {
  return renderKustomization(join(K8S_DIRECTORY, kustomization));
}

/** The Secret operators create themselves, as the example shows it (never applied by kustomize). */
export function exampleSecret(): KubeObject {
  const path = join(K8S_DIRECTORY, 'base', 'secret.example.yaml');
  return asKubeObject(readYamlFile(path), path);
}

/** A Secret's or ConfigMap's keys and values (stringData, data — base64 for Secrets). */
export function dataOf(object: KubeObject): Record<string, string> {
  const data = isRecord(object.data) ? (object.data as Record<string, string>) : {};
  const decoded =
    object.kind === 'Secret'
      ? Object.fromEntries(
          Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
        )
      : data;
  return {
    ...decoded,
    ...(isRecord(object.stringData) ? (object.stringData as Record<string, string>) : {}),
  };
}

export interface Workload {
  readonly object: KubeObject;
  readonly podSpec: IPodSpec;
  readonly podLabels: Readonly<Record<string, string>>;
}

export function workloadsOf(objects: readonly KubeObject[]): Workload[] {
  return objects.flatMap((object) => {
    const podSpec = podSpecOf(object) as IPodSpec | undefined;
    if (!podSpec) return [];
    const spec = object.spec as { template?: { metadata?: { labels?: Record<string, string> } } };
    return [{ object, podSpec, podLabels: spec.template?.metadata?.labels ?? {} }];
  });
}

export interface TelenexusContainer {
  readonly workload: Workload;
  readonly container: IContainer;
  readonly role: Role;
  /** `Deployment/ingress → ingress`, for test names. */
  readonly label: string;
}

export function containersOf(objects: readonly KubeObject[]): TelenexusContainer[] {
  return workloadsOf(objects).flatMap((workload) =>
    [...(workload.podSpec.initContainers ?? []), ...workload.podSpec.containers].map((container) => ({
      workload,
      container,
      role: roleOfCommand(container.args),
      label: `${workload.object.kind}/${workload.object.metadata.name} → ${container.name}`,
    })),
  );
}

/** One variable a container receives, and where from. */
export interface ResolvedVariable {
  readonly name: string;
  readonly value: string;
  readonly source: 'configMap' | 'secret' | 'literal';
  /** The ConfigMap or Secret name, or `env` for a literal. */
  readonly from: string;
  /** An optional secret key: the container also starts without it. */
  readonly optional: boolean;
}

/**
 * What a container actually receives: its envFrom ConfigMaps and Secrets (from the rendered
 * objects; the Secret from its example) and its env entries. A name given twice fails, since which
 * one wins is then a question of order nobody reads.
 */
export function resolveEnvironment(
  container: IContainer,
  objects: readonly KubeObject[],
  secret: KubeObject,
): ResolvedVariable[] {
  const find = (kind: 'ConfigMap' | 'Secret', name: string): KubeObject | undefined =>
    kind === 'Secret' && name === secret.metadata.name
      ? secret
      : objects.find((object) => object.kind === kind && object.metadata.name === name);
  const variables: ResolvedVariable[] = [];
  const add = (variable: ResolvedVariable): void => {
    const earlier = variables.find((existing) => existing.name === variable.name);
    if (earlier) {
      throw new Error(
        `${container.name}: ${variable.name} comes from both ${earlier.from} and ${variable.from}`,
      );
    }
    variables.push(variable);
  };

  for (const source of container.envFrom ?? []) {
    if (source.prefix) throw new Error(`${container.name}: envFrom prefixes are not resolved here`);
    const reference = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const object = reference?.name ? find(kind, reference.name) : undefined;
    if (!object)
      throw new Error(`${container.name}: envFrom ${kind} ${reference?.name ?? '?'} does not exist`);
    for (const [name, value] of Object.entries(dataOf(object))) {
      add({
        name,
        value,
        source: kind === 'ConfigMap' ? 'configMap' : 'secret',
        from: object.metadata.name,
        optional: false,
      });
    }
  }

  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) {
      add({ name: entry.name, value: entry.value, source: 'literal', from: 'env', optional: false });
      continue;
    }
    const reference = entry.valueFrom?.secretKeyRef ?? entry.valueFrom?.configMapKeyRef;
    const kind = entry.valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap';
    if (!reference?.name)
      throw new Error(`${container.name}: ${entry.name} has no value this test can resolve`);
    const object = find(kind, reference.name);
    const value = object ? dataOf(object)[reference.key] : undefined;
    if (value === undefined) {
      throw new Error(
        `${container.name}: ${entry.name} reads ${kind} ${reference.name} key ${reference.key}, which does not exist`,
      );
    }
    add({
      name: entry.name,
      value,
      source: kind === 'Secret' ? 'secret' : 'configMap',
      from: reference.name,
      optional: reference.optional === true,
    });
  }
  return variables;
}

/** The environment as the process sees it, with or without the optional secret keys. */
export function environmentOf(
  variables: readonly ResolvedVariable[],
  options: { withOptional: boolean },
): Record<string, string> {
  return Object.fromEntries(
    variables
      .filter((variable) => options.withOptional || !variable.optional)
      .map((variable) => [variable.name, variable.value]),
  );
}

/** Does a label selector (matchLabels only) select these labels? */
export function selects(
  selector: Readonly<Record<string, string>> | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}
