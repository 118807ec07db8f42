import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { fromRoot, isRecord, readYamlDocuments, readYamlFile } from './yaml-files';

/** A Kubernetes object as read from YAML: what every manifest has, the rest left open. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface Kustomization {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  resources?: string[];
  configMapGenerator?: {
    name: string;
    behavior?: 'create' | 'merge' | 'replace';
    envs?: string[];
    literals?: string[];
  }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  patches?: { target: { kind: string; name: string }; patch?: string; path?: string }[];
}

/**
 * The kustomization fields this renderer understands. A kustomization using anything else fails
 * the tests instead of being rendered wrongly: teach this file first.
 */
const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'labels',
  'resources',
  'configMapGenerator',
  'images',
  'patches',
]);

/** Kinds without a namespace among those we use (kustomize's `namespace` leaves them alone). */
const CLUSTER_SCOPED_KINDS = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

export function asKubeObject(value: unknown, source: string): KubeObject {
  if (
    !isRecord(value) ||
    typeof value.apiVersion !== 'string' ||
    typeof value.kind !== 'string' ||
    !isRecord(value.metadata) ||
    typeof value.metadata.name !== 'string'
  ) {
    throw new Error(`${source}: not a Kubernetes object (apiVersion, kind, metadata.name)`);
  }
  return value as KubeObject;
}

export function readKustomization(directory: string): Kustomization {
  const path = join(directory, 'kustomization.yaml');
  const value = readYamlFile(path);
  if (!isRecord(value)) throw new Error(`${fromRoot(path)}: not a mapping`);
  const unsupported = Object.keys(value).filter((field) => !SUPPORTED_FIELDS.has(field));
  if (unsupported.length > 0) {
    throw new Error(
      `${fromRoot(path)}: ${unsupported.join(', ')} not understood by test/deploy/support/kustomize.ts`,
    );
  }
  return value as unknown as Kustomization;
}

/**
 * Every file a kustomization reads — resources, generator sources, patch files — as absolute
 * paths (a resource folder stands for itself).
 */
export function referencedPaths(directory: string): string[] {
  const kustomization = readKustomization(directory);
  return [
    ...(kustomization.resources ?? []),
    ...(kustomization.configMapGenerator ?? []).flatMap((generator) => generator.envs ?? []),
    ...(kustomization.patches ?? []).flatMap((patch) => (patch.path ? [patch.path] : [])),
  ].map((path) => resolve(directory, path));
}

/**
 * A small `kustomize build` for the features our manifests use (see SUPPORTED_FIELDS): resources
 * (files and folders), ConfigMap generators (create / merge / replace, from env files or literals),
 * JSON 6902 patches, images, labels and namespace. Generated ConfigMaps keep their plain names here;
 * kustomize adds a content hash and rewrites every reference to it, which changes nothing the tests
 * compare.
 */
export function renderKustomization(directory: string): KubeObject[] {
  const kustomization = readKustomization(directory);
  const where = fromRoot(join(directory, 'kustomization.yaml'));
  const objects: KubeObject[] = [];

  for (const resource of kustomization.resources ?? []) {
    const path = resolve(directory, resource);
    if (!existsSync(path)) throw new Error(`${where}: resource ${resource} does not exist`);
    if (statSync(path).isDirectory()) {
      objects.push(...renderKustomization(path));
    } else {
      objects.push(...readYamlDocuments(path).map((value) => asKubeObject(value, fromRoot(path))));
    }
  }

  for (const generator of kustomization.configMapGenerator ?? []) {
    const data = generatorData(directory, generator);
    const existing = objects.find(
      (object) => object.kind === 'ConfigMap' && object.metadata.name === generator.name,
    );
    const behavior = generator.behavior ?? 'create';
    if (behavior === 'create') {
      if (existing)
        throw new Error(`${where}: ConfigMap ${generator.name} already exists (use behavior: merge)`);
      objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data });
    } else {
      if (!existing) throw new Error(`${where}: no ConfigMap ${generator.name} to ${behavior}`);
      existing.data = behavior === 'merge' ? { ...(existing.data as Record<string, string>), ...data } : data;
    }
  }

  for (const entry of kustomization.patches ?? []) {
    const targets = objects.filter(
      (object) => object.kind === entry.target.kind && object.metadata.name === entry.target.name,
    );
    if (targets.length === 0) {
      throw new Error(`${where}: patch target ${entry.target.kind}/${entry.target.name} not found`);
    }
    const text = entry.patch ?? readFileSync(resolve(directory, entry.path ?? ''), 'utf8');
    const operations = parsePatch(text, where);
    for (const target of targets) applyJsonPatch(target, operations, where);
  }

  for (const image of kustomization.images ?? []) {
    let matched = false;
    for (const container of podContainers(objects)) {
      const reference = parseImage(container.image);
      if (reference.name !== image.name) continue;
      matched = true;
      const name = image.newName ?? reference.name;
      const digest = image.digest ?? (image.newTag ? undefined : reference.digest);
      const tag = image.newTag ?? (image.digest ? undefined : reference.tag);
      container.image = `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
    }
    if (!matched) throw new Error(`${where}: image ${image.name} is used by no container`);
  }

  for (const entry of kustomization.labels ?? []) {
    if (entry.includeSelectors || entry.includeTemplates) {
      throw new Error(`${where}: labels with includeSelectors/includeTemplates are not rendered here`);
    }
    for (const object of objects) object.metadata.labels = { ...object.metadata.labels, ...entry.pairs };
  }

  if (kustomization.namespace) {
    for (const object of objects) {
      if (!CLUSTER_SCOPED_KINDS.has(object.kind)) object.metadata.namespace = kustomization.namespace;
    }
  }
  return objects;
}

/** kustomize's env-file syntax: KEY=VALUE lines; blank lines and `#` comments skipped. */
export function parseEnvFile(path: string): Record<string, string> {
  const data: Record<string, string> = {};
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const where = `${fromRoot(path)}:${index + 1}`;
      if (line.trim() === '' || line.trimStart().startsWith('#')) return;
      const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
      if (!match) throw new Error(`${where}: expected KEY=VALUE`);
      const [, key = '', value = ''] = match;
      // kustomize keeps these characters as part of the value, which is never what was meant.
      if (/^["']/.test(value) || / #/.test(value) || value !== value.trim()) {
        throw new Error(`${where}: ${key} has quotes, an inline comment or surrounding spaces`);
      }
      if (key in data) throw new Error(`${where}: ${key} is set twice`);
      data[key] = value;
    });
  return data;
}

function generatorData(
  directory: string,
  generator: NonNullable<Kustomization['configMapGenerator']>[number],
): Record<string, string> {
  const data: Record<string, string> = {};
  for (const file of generator.envs ?? []) Object.assign(data, parseEnvFile(resolve(directory, file)));
  for (const literal of generator.literals ?? []) {
    const separator = literal.indexOf('=');
    data[literal.slice(0, separator)] = literal.slice(separator + 1).replace(/^(["'])(.*)\1$/, '$2');
  }
  return data;
}

interface PatchOperation {
  op: string;
  path: string;
  value?: unknown;
}

function parsePatch(text: string, where: string): PatchOperation[] {
  const documents = readYamlDocumentsFromText(text);
  const operations = documents[0];
  if (
    documents.length !== 1 ||
    !Array.isArray(operations) ||
    !operations.every((operation) => isRecord(operation) && typeof operation.op === 'string')
  ) {
    throw new Error(`${where}: only JSON 6902 patches (a list of operations) are rendered here`);
  }
  return operations as PatchOperation[];
}

function readYamlDocumentsFromText(text: string): unknown[] {
  const documents = parseAllDocuments(text);
  return (Array.isArray(documents) ? documents : []).map((document) => {
    if (document.errors.length > 0) throw new Error(document.errors[0]?.message);
    return document.toJS() as unknown;
  });
}

/** RFC 6902 add / replace / remove (what overlays need). */
function applyJsonPatch(target: KubeObject, operations: readonly PatchOperation[], where: string): void {
  for (const operation of operations) {
    const segments = operation.path
      .split('/')
      .slice(1)
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = segments.pop();
    let parent: unknown = target;
    for (const segment of segments) {
      parent = Array.isArray(parent)
        ? parent[Number(segment)]
        : isRecord(parent)
          ? parent[segment]
          : undefined;
    }
    if (last === undefined || (!Array.isArray(parent) && !isRecord(parent))) {
      throw new Error(
        `${where}: patch path ${operation.path} does not exist in ${target.kind}/${target.metadata.name}`,
      );
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length) {
        throw new Error(`${where}: bad array index in ${operation.path}`);
      }
      if (operation.op === 'add') parent.splice(index, 0, operation.value);
      else if (operation.op === 'replace' && index < parent.length) parent[index] = operation.value;
      else if (operation.op === 'remove' && index < parent.length) parent.splice(index, 1);
      else throw new Error(`${where}: cannot ${operation.op} ${operation.path}`);
    } else {
      if (operation.op === 'add') parent[last] = operation.value;
      else if (operation.op === 'replace' && last in parent) parent[last] = operation.value;
      else if (operation.op === 'remove' && last in parent) delete parent[last];
      else throw new Error(`${where}: cannot ${operation.op} ${operation.path}`);
    }
  }
}

/** Splits `registry:5000/org/name:tag@sha256:…` into name, tag and digest. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest = '', digest] = image.split('@');
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    ...(hasTag ? { tag: withoutDigest.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** A container of any pod template, with just what the renderer touches. */
interface ImageHolder {
  name: string;
  image: string;
}

function podContainers(objects: readonly KubeObject[]): ImageHolder[] {
  return objects.flatMap((object) => {
    const spec = podSpecOf(object);
    if (!spec) return [];
    return [
      ...((spec.initContainers as ImageHolder[] | undefined) ?? []),
      ...((spec.containers as ImageHolder[] | undefined) ?? []),
    ];
  });
}

/** The pod spec of a workload (Deployment, StatefulSet, DaemonSet, Job; CronJob one level deeper). */
export function podSpecOf(object: KubeObject): Record<string, unknown> | undefined {
  const spec = object.spec;
  if (!isRecord(spec)) return undefined;
  const template = object.kind === 'CronJob' && isRecord(spec.jobTemplate) ? spec.jobTemplate.spec : spec;
  if (!isRecord(template) || !isRecord(template.template) || !isRecord(template.template.spec))
    return undefined;
  return template.template.spec;
}
