import type { ApiServer } from '../apiserver/harness.js';

/** What the scenarios read about a pod: where it runs, whether it is Ready, why it is not scheduled. */
export interface PodState {
  name: string;
  node: string | undefined;
  ready: boolean;
  terminating: boolean;
  /** The scheduler's reason when it could not place the pod (PodScheduled=False), e.g. `0/3 nodes are available: …`. */
  unschedulable: string | undefined;
  labels: Record<string, string>;
}

interface PodList {
  items: {
    metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
    spec: { nodeName?: string };
    status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
  }[];
}

/** The pods matching a label selector (`app.kubernetes.io/instance=web,…`) in a namespace. */
export async function podsOf(server: ApiServer, namespace: string, selector: string): Promise<PodState[]> {
  const listed = await server.kubectl(['get', 'pods', '-l', selector, '-o', 'json'], { namespace });
  if (listed.code !== 0) throw new Error(`kubectl get pods -n ${namespace} -l ${selector} failed:\n${listed.stderr}`);
  return (JSON.parse(listed.stdout) as PodList).items.map((pod) => {
    const conditions = pod.status?.conditions ?? [];
    const scheduled = conditions.find((condition) => condition.type === 'PodScheduled');
    return {
      name: pod.metadata.name,
      node: pod.spec.nodeName,
      ready: conditions.some((condition) => condition.type === 'Ready' && condition.status === 'True'),
      terminating: pod.metadata.deletionTimestamp !== undefined,
      unschedulable: scheduled?.status === 'False' && scheduled.reason === 'Unschedulable' ? scheduled.message : undefined,
      labels: pod.metadata.labels ?? {},
    };
  });
}

/** Pods that count as Ready replicas (Ready and not on their way out). */
export function readyCount(pods: readonly PodState[]): number {
  return pods.filter((pod) => pod.ready && !pod.terminating).length;
}

/** Pending because the scheduler found no node, with its reasons (one entry per distinct message). */
export function pendingReasons(pods: readonly PodState[]): string[] {
  return [...new Set(pods.filter((pod) => !pod.terminating && pod.unschedulable !== undefined).map((pod) => pod.unschedulable as string))];
}
