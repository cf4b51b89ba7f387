import type { Step } from '../../krm/function/pipeline.js';

export const HOOK_ANNOTATION = 'helm.sh/hook';

/**
 * Which steps edit Helm hooks (Jobs that migrate a database, test Pods). Helm 3 never sends
 * hooks to a post-renderer; Helm 4 does. By default a step edits them when its function
 * hardens pods (`editsHooks`: security-context, inject-env), because the hook's pods are
 * admitted like any other and a restricted namespace refuses a hook left alone; functions
 * that generate objects or relate workloads leave them out. `all` (--include-hooks) and
 * `none` (--exclude-hooks) override that for every step. A hook no step edits passes byte
 * for byte.
 */
export type HookHandling = 'by-function' | 'all' | 'none';

/** `--include-hooks` / `--exclude-hooks` (never both: each parser refuses that). */
export function hookHandling(includeHooks: boolean, excludeHooks: boolean): HookHandling {
  if (includeHooks) return 'all';
  return excludeHooks ? 'none' : 'by-function';
}

export function hookSteps(steps: readonly Step[], handling: HookHandling): Step[] {
  if (handling === 'all') return [...steps];
  return steps.map((step) =>
    handling === 'by-function' && step.fn.editsHooks === true
      ? step
      : { ...step, common: { ...step.common, exclude: [...step.common.exclude, { annotationSelector: HOOK_ANNOTATION }] } },
  );
}
