import { run } from './process.js';
import { toolPath } from './tools.js';

/**
 * kube-score (the static checker teams run in CI) as a judge: the findings of the kinds issue
 * 11 is about, counted the way kube-score reports them — a check graded CRITICAL on an object,
 * or for container resources one comment per container and missing value.
 */
export const CRITICAL_KINDS = {
  'missing PodDisruptionBudget': { checks: ['deployment-has-poddisruptionbudget', 'statefulset-has-poddisruptionbudget'] },
  'static replicas under an HPA': { checks: ['deployment-targeted-by-hpa-does-not-have-replicas-configured'] },
  'missing CPU request': { checks: ['container-resources'], comment: 'CPU request is not set' },
  'missing memory request': { checks: ['container-resources'], comment: 'Memory request is not set' },
  'missing memory limit': { checks: ['container-resources'], comment: 'Memory limit is not set' },
} as const;

export type CriticalKind = keyof typeof CRITICAL_KINDS;
export type CriticalCounts = Record<CriticalKind, number>;

/** kube-score's grade for CRITICAL (WARNING is 5, OK is 10). */
const CRITICAL = 1;

interface ScoredObject {
  object_name: string;
  checks: { check: { id: string }; grade: number; skipped: boolean; comments: { summary: string; path?: string }[] | null }[];
}

export interface Score {
  counts: CriticalCounts;
  /** `Kind/…/name check: summary` per counted finding, for failure messages. */
  findings: string[];
}

/** Runs `kube-score score -o json -` on a stream and counts the CRITICAL findings of each kind. */
export async function kubeScore(manifests: string): Promise<Score> {
  const result = await run(toolPath('kube-score'), ['score', '--output-format', 'json', '-'], { input: manifests });
  // kube-score exits 1 when it found anything CRITICAL; anything else with no JSON is a failure to run.
  if (result.status !== 0 && result.status !== 1) throw new Error(`kube-score exited ${result.status}: ${result.stderr}`);
  let scored: ScoredObject[];
  try {
    scored = JSON.parse(result.stdout) as ScoredObject[];
  } catch {
    throw new Error(`kube-score printed no JSON (exit ${result.status}): ${result.stderr}${result.stdout.slice(0, 500)}`);
  }
  const counts = Object.fromEntries(Object.keys(CRITICAL_KINDS).map((kind) => [kind, 0])) as CriticalCounts;
  const findings: string[] = [];
  for (const object of scored ?? []) {
    for (const check of object.checks) {
      if (check.grade !== CRITICAL || check.skipped) continue;
      for (const [kind, rule] of Object.entries(CRITICAL_KINDS) as [CriticalKind, (typeof CRITICAL_KINDS)[CriticalKind]][]) {
        if (!(rule.checks as readonly string[]).includes(check.check.id)) continue;
        const matching = 'comment' in rule ? (check.comments ?? []).filter((comment) => comment.summary === rule.comment) : [{ summary: check.check.id, path: '' }];
        counts[kind] += matching.length;
        for (const comment of matching) findings.push(`${object.object_name} ${check.check.id}${comment.path ? ` (${comment.path})` : ''}: ${comment.summary}`);
      }
    }
  }
  return { counts, findings };
}
