import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import type { KubeObject } from './kustomize';

/** Builds the typed model of a manifest, whose validate() checks it against the API's schema. */
type ModelFactory = (object: KubeObject) => { validate(): void };

/**
 * The kinds our manifests use, by apiVersion and kind. A manifest of any other kind fails the
 * schema test until it is added here (KEDA's ScaledObject comes from @kubernetes-models/keda,
 * generated from KEDA's CRDs).
 */
const MODELS: Readonly<Record<string, ModelFactory>> = {
  'v1/Namespace': (object) => new Namespace(object),
  'v1/ConfigMap': (object) => new ConfigMap(object),
  'v1/Secret': (object) => new Secret(object),
  'v1/Service': (object) => new Service(object),
  'apps/v1/Deployment': (object) => new Deployment(object),
  'batch/v1/Job': (object) => new Job(object),
  'networking.k8s.io/v1/Ingress': (object) => new Ingress(object),
  'networking.k8s.io/v1/NetworkPolicy': (object) => new NetworkPolicy(object),
  'autoscaling/v2/HorizontalPodAutoscaler': (object) => new HorizontalPodAutoscaler(object),
  'policy/v1/PodDisruptionBudget': (object) => new PodDisruptionBudget(object),
  'keda.sh/v1alpha1/ScaledObject': (object) => new ScaledObject(object as never),
};

/** Throws with the schema's messages when the object is not a valid instance of its kind. */
export function validateAgainstSchema(object: KubeObject): void {
  const factory = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!factory) throw new Error(`no schema model registered for ${object.apiVersion} ${object.kind}`);
  factory(object).validate();
}
