import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { validateAgainstSchema } from './support/k8s-models';
import { K8S_DIRECTORY, KUSTOMIZATIONS, exampleSecret, render, workloadsOf } from './support/k8s-workloads';
import { asKubeObject, parseImage, readKustomization, referencedPaths } from './support/kustomize';
import { fromRoot, listFiles, readYamlDocuments } from './support/yaml-files';

const yamlFiles = listFiles(K8S_DIRECTORY).filter((path) => /\.ya?ml$/.test(path));
const manifestFiles = yamlFiles.filter((path) => basename(path) !== 'kustomization.yaml');
const kustomizationDirectories = yamlFiles
  .filter((path) => basename(path) === 'kustomization.yaml')
  .map((path) => dirname(path));

/** Files a kustomization folder may hold without listing them. */
const UNLISTED = (path: string): boolean => path.endsWith('.example.yaml') || basename(path) === 'README.md';

describe('Kubernetes manifests against the API schemas', () => {
  it.each(manifestFiles.map((path) => [fromRoot(path), path]))(
    'When %s is parsed, then every document is a valid object of its kind',
    (_name, path) => {
      const documents = readYamlDocuments(path);
      expect(documents.length).toBeGreaterThan(0);
      for (const document of documents) validateAgainstSchema(asKubeObject(document, fromRoot(path)));
    },
  );

  it.each(KUSTOMIZATIONS.map((name) => [name]))(
    'When k8s/%s is rendered (generators, patches, images applied), then every object is still valid',
    (name) => {
      const objects = render(name);
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) validateAgainstSchema(object);
    },
  );

  it.each(KUSTOMIZATIONS.map((name) => [name]))(
    'When k8s/%s is rendered, then no two objects share a kind and name',
    (name) => {
      const keys = render(name).map((object) => `${object.kind}/${object.metadata.name}`);
      expect(keys).toEqual([...new Set(keys)]);
    },
  );
});

describe('kustomize layout', () => {
  it('When the k8s folder is listed, then it holds a base and a production overlay', () => {
    expect(kustomizationDirectories.map(fromRoot).sort()).toEqual(
      KUSTOMIZATIONS.map((name) => join('k8s', name)).sort(),
    );
  });

  it.each(kustomizationDirectories.map((directory) => [fromRoot(directory), directory]))(
    'When %s/kustomization.yaml is read, then it lists every file beside it and nothing that is missing',
    (_name, directory) => {
      const kustomization = readKustomization(directory);
      expect(kustomization.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
      expect(kustomization.kind).toBe('Kustomization');
      const referenced = referencedPaths(directory);
      expect(referenced.filter((path) => !existsSync(path)).map(fromRoot)).toEqual([]);
      const ownFiles = listFiles(directory).filter(
        (path) =>
          basename(path) !== 'kustomization.yaml' &&
          !UNLISTED(path) &&
          !isInsideAnotherKustomization(path, directory),
      );
      const unlisted = ownFiles.filter((path) => !referenced.includes(path));
      expect(unlisted.map(fromRoot)).toEqual([]);
    },
  );

  it('When the base is rendered, then every namespaced object lands in the telenexus namespace, which enforces the restricted Pod Security Standard', () => {
    const objects = render('base');
    const namespace = objects.find((object) => object.kind === 'Namespace');
    expect(namespace?.metadata.name).toBe('telenexus');
    expect(namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const object of objects.filter((candidate) => candidate.kind !== 'Namespace')) {
      expect(`${object.kind}/${object.metadata.name} in ${object.metadata.namespace}`).toBe(
        `${object.kind}/${object.metadata.name} in telenexus`,
      );
    }
  });

  it('When the base is read, then every container runs the one image `telenexus`, so one images entry retargets them all', () => {
    const images = new Set(containerImages(render('base')));
    expect([...images]).toEqual(['telenexus']);
  });

  it('When the production overlay is rendered, then every container runs a pinned release image (a tag other than latest, or a digest)', () => {
    for (const image of containerImages(render('overlays/production'))) {
      const reference = parseImage(image);
      expect(reference.name).not.toBe('telenexus');
      expect(
        reference.digest !== undefined || (reference.tag !== undefined && reference.tag !== 'latest'),
      ).toBe(true);
    }
  });

  it('When the example Secret is read, then it is not part of any kustomization and holds placeholders only', () => {
    const path = join(K8S_DIRECTORY, 'base', 'secret.example.yaml');
    for (const directory of kustomizationDirectories) expect(referencedPaths(directory)).not.toContain(path);
    const secret = exampleSecret();
    const values = Object.entries((secret.stringData ?? {}) as Record<string, string>);
    expect(values.length).toBeGreaterThan(0);
    expect(secret.data).toBeUndefined();
    // Anything that is a credential says so; the operator user name is the only plain value.
    for (const [key, value] of values.filter(([key]) => key !== 'DASHBOARD_USERNAME')) {
      expect(`${key}: ${value}`).toContain('CHANGE-ME');
    }
  });
});

function isInsideAnotherKustomization(path: string, directory: string): boolean {
  return kustomizationDirectories.some(
    (other) => other !== directory && other.startsWith(`${directory}/`) && path.startsWith(`${other}/`),
  );
}

function containerImages(objects: ReturnType<typeof render>): string[] {
  return workloadsOf(objects).flatMap((workload) =>
    [...(workload.podSpec.initContainers ?? []), ...workload.podSpec.containers].map(
      (container) => container.image ?? '',
    ),
  );
}
