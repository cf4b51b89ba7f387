import { stringify } from 'yaml';
import type { KubeObject } from '../../krm/model/resource.js';
import type { CompiledPipeline, PatchTarget, ResourcePatch } from './compile.js';

/** The file names `krmkit patches` owns in its output folder, per form. */
export const COMPONENT_FILE = 'kustomization.yaml';
export const HELMRELEASE_FILE = 'helmrelease.yaml';
export const GENERATED_FILE = 'generated.yaml';

export type PatchForm = 'component' | 'flux';
export const PATCH_FORMS: readonly PatchForm[] = ['component', 'flux'];

export interface FormOptions {
  /** Flux: the HelmRelease whose `spec.postRenderers` this is. */
  release?: string;
  releaseNamespace?: string;
}

/** File name → content. A file absent from the map must not exist in the output folder. */
export type OutputFiles = Map<string, string>;

export function ownedFiles(form: PatchForm): string[] {
  return [form === 'component' ? COMPONENT_FILE : HELMRELEASE_FILE, GENERATED_FILE];
}

export function renderForm(form: PatchForm, compiled: CompiledPipeline, options: FormOptions): OutputFiles {
  const files: OutputFiles = new Map();
  const header = `# Written by \`krmkit patches --form ${form}\` from a render and a pipeline; do not edit.\n# CI gate: the same command with --check fails when these no longer match the render.\n`;
  if (form === 'component') {
    const component: Record<string, unknown> = { apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component' };
    if (compiled.generated.length > 0) component.resources = [GENERATED_FILE];
    component.patches = compiled.patches.map(kustomizePatch);
    files.set(COMPONENT_FILE, header + printYaml(component));
  } else {
    const metadata: Record<string, string> = { name: options.release ?? '' };
    if (options.releaseNamespace) metadata.namespace = options.releaseNamespace;
    const release = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata,
      spec: { postRenderers: [{ kustomize: { patches: compiled.patches.map(kustomizePatch) } }] },
    };
    const note =
      `# Merge spec.postRenderers into your HelmRelease. Flux post-renderers cannot add objects:\n` +
      (compiled.generated.length > 0 ? `# apply ${GENERATED_FILE} beside it (a Flux Kustomization with the release's targetNamespace).\n` : `# this pipeline generates none.\n`);
    files.set(HELMRELEASE_FILE, header + note + printYaml(release));
  }
  if (compiled.generated.length > 0) files.set(GENERATED_FILE, header + printDocuments(compiled.generated));
  return files;
}

/** kustomize's `patches` entry (Flux's `kustomize.Patch` has the same two fields). */
function kustomizePatch(patch: ResourcePatch): { target: Record<string, string>; patch: string } {
  return { target: selector(patch.target), patch: printYaml(patch.operations) };
}

/**
 * kustomize reads every selector field as a regular expression anchored at both ends, so
 * each value is escaped: `v1beta1.metrics.k8s.io` must not also match `v1beta1xmetrics…`.
 */
function selector(target: PatchTarget): Record<string, string> {
  const out: Record<string, string> = {};
  if (target.group) out.group = escapeRegExp(target.group);
  out.version = escapeRegExp(target.version);
  out.kind = escapeRegExp(target.kind);
  out.name = escapeRegExp(target.name);
  if (target.namespace) out.namespace = escapeRegExp(target.namespace);
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

function printYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, indentSeq: true, aliasDuplicateObjects: false });
}

function printDocuments(objects: readonly KubeObject[]): string {
  return objects.map((object) => `---\n${printYaml(object)}`).join('');
}
