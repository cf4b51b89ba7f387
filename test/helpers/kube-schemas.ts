import * as admissionregistrationV1 from 'kubernetes-models/admissionregistration.k8s.io/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV1 from 'kubernetes-models/autoscaling/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';

/**
 * Validation against the Kubernetes OpenAPI schemas, through the `kubernetes-models`
 * classes (`new Deployment(object).validate()`). Kinds without a model there — Argo
 * Rollout, CRD instances such as cert-manager's — cannot be checked and are reported as
 * `unchecked` rather than passed silently.
 */

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: Record<string, unknown>) => Validatable;

const MODULES: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'batch/v1': batchV1,
  'autoscaling/v1': autoscalingV1,
  'autoscaling/v2': autoscalingV2,
  'networking.k8s.io/v1': networkingV1,
  'policy/v1': policyV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
  'admissionregistration.k8s.io/v1': admissionregistrationV1,
};

export type SchemaVerdict = { status: 'valid' } | { status: 'invalid'; problems: string } | { status: 'unchecked' };

export function modelFor(apiVersion: unknown, kind: unknown): ModelClass | undefined {
  const module = MODULES[String(apiVersion)];
  const model = module?.[String(kind)];
  return typeof model === 'function' ? (model as ModelClass) : undefined;
}

export function validateObject(object: Record<string, unknown>): SchemaVerdict {
  const Model = modelFor(object.apiVersion, object.kind);
  if (!Model) return { status: 'unchecked' };
  try {
    new Model(structuredClone(object)).validate();
    return { status: 'valid' };
  } catch (error) {
    return { status: 'invalid', problems: (error as Error).message };
  }
}
