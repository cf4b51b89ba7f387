import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';
import { corpora } from '../../helpers/corpora.js';
import { needsShared } from '../../helpers/shared.js';
import { documentsOf } from '../../helpers/objects.js';
import { filter, METRICS_SERVER, overlayDir, POSTRENDER, type Overlay } from '../paths.js';
import { run, type ProcessRun } from '../process.js';
import { pinnedVersions, toolPath } from '../tools.js';
import { SERVER_TEST_TIMEOUT, useApiServer, type ApiServer } from './harness.js';
import { helmHomesWithPlugin, type HelmHomes } from './helm-homes.js';
import { judgeStream, refusals, type Profile, type StreamVerdict } from './judge.js';
import { withoutSecurityContexts } from './strip-security.js';

/**
 * Every output judged by a real kube-apiserver with PodSecurity admission (issue 10): base/
 * through dev and prod, each corpus through prod, and the metrics-server chart through the
 * Helm 3 post-renderer and the Helm 4 plugin. Each stream's namespaces enforce and warn at
 * the overlay's profile; the stream is server-side applied with --dry-run=server and strict
 * field validation, and each pod template is created as a bare Pod (dry run) so PodSecurity
 * enforce judges it. The input goes through the same checks first.
 */
const PROFILES: Record<Overlay, Profile> = { dev: 'baseline', prod: 'restricted' };

/** As the project ships it, or with every securityContext removed (./strip-security.ts). */
type Variant = 'as shipped' | 'plain';

interface Case {
  name: string;
  overlay: Overlay;
  /** Namespace for objects that name none (what `helm -n` gives them). */
  namespace: string;
  input: (variant: Variant) => Promise<string>;
  output: (input: string, variant: Variant) => Promise<ProcessRun>;
}

let server: ApiServer;
let homes: HelmHomes;
const figures: string[] = [];

beforeAll(async () => {
  [server, homes] = await Promise.all([useApiServer(), helmHomesWithPlugin()]);
});

afterAll(() => {
  console.info(['admission verdicts (objects accepted/total; pods refused/total by PodSecurity enforce):', ...figures].join('\n  '));
});

async function succeeded(result: Promise<ProcessRun>, what: string): Promise<string> {
  const done = await result;
  if (done.status !== 0) throw new Error(`${what} failed (exit ${done.status}):\n${done.stderr}`);
  return done.stdout;
}

/**
 * `helm template` of metrics-server into a namespace, plain or through a post-renderer (Helm 3:
 * the executable's path; Helm 4: the plugin's name). Helm built with `go install` assumes
 * Kubernetes v1.20 when it talks to no cluster, so the server's version is given. The plain
 * variant unsets the chart's (already compliant) securityContext value.
 */
function helmMetricsServer(helm: 'helm3' | 'helm4', namespace: string, variant: Variant, postRenderer?: { overlay: Overlay }): Promise<ProcessRun> {
  const home = homes[helm];
  const post = postRenderer ? ['--post-renderer', helm === 'helm3' ? POSTRENDER : 'krmkit', `--post-renderer-args=--overlay=${postRenderer.overlay}`] : [];
  const kubeVersion = `--kube-version=${pinnedVersions().KUBERNETES_VERSION ?? ''}`;
  const values = variant === 'plain' ? ['--set', 'securityContext=null'] : [];
  return run(toolPath(helm), ['template', 'metrics-server', METRICS_SERVER, '-n', namespace, kubeVersion, ...values, ...post], { env: home.env });
}

const rendered = readFileSync(join(REPO_ROOT, 'base', 'rendered.yaml'), 'utf8');
const fileInput = (text: string) => async (variant: Variant) => (variant === 'plain' ? withoutSecurityContexts(text) : text);
const CASES: Case[] = [
  ...(['dev', 'prod'] as const).map(
    (overlay): Case => ({
      name: `base/ through ${overlay}`,
      overlay,
      namespace: `base-${overlay}`,
      input: fileInput(rendered),
      output: (input) => filter(overlayDir(overlay), input),
    }),
  ),
  ...(needsShared('corpora') ? corpora() : []).map(
    (corpus): Case => ({
      name: `${corpus.name} through prod`,
      overlay: 'prod',
      namespace: `corpus-${corpus.name.replace(/\.yaml$/, '').replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63),
      input: fileInput(corpus.text),
      output: (input) => filter(overlayDir('prod'), input),
    }),
  ),
  ...(needsShared('charts') ? (['helm3', 'helm4'] as const) : []).flatMap((helm) =>
    (['dev', 'prod'] as const).map((overlay): Case => {
      const namespace = `ms-${helm}-${overlay}`;
      return {
        name: `metrics-server chart, ${helm === 'helm3' ? 'Helm 3 post-renderer' : 'Helm 4 plugin'}, ${overlay}`,
        overlay,
        namespace,
        input: (variant) => succeeded(helmMetricsServer(helm, namespace, variant), `helm template metrics-server (${helm})`),
        output: (_input, variant) => helmMetricsServer(helm, namespace, variant, { overlay }),
      };
    }),
  ),
];

function summary(verdict: StreamVerdict): string {
  const refused = verdict.pods.filter((pod) => !pod.admitted).length;
  return `${verdict.accepted}/${verdict.objects} accepted, ${refused}/${verdict.pods.length} pods refused`;
}

/**
 * Through prod, the plain variant of every case is refused pod for pod, and krmkit's output
 * of it is admitted: the check can fail. Through dev (baseline, mode fill) there is nothing
 * to find in any input: baseline forbids privileged settings these manifests do not have,
 * and fill never overwrites one (harness.test.ts shows the server refusing one).
 */
describe.concurrent.each(CASES)('$name', (testCase) => {
  const profile = PROFILES[testCase.overlay];
  const variants: Variant[] = testCase.overlay === 'prod' ? ['as shipped', 'plain'] : ['as shipped'];

  it.each(variants)(`%s: every object accepted (strict, server-side dry run); through krmkit ${testCase.overlay}, no pod refused at ${profile} and no PodSecurity warning`, async (variant) => {
    const input = await testCase.input(variant);
    const before = await judgeStream(server, input, { namespace: testCase.namespace, profile });
    expect(before.rejections).toEqual([]);
    expect(before.accepted).toBe(before.objects);
    expect(before.pods.length).toBeGreaterThan(0);
    if (variant === 'plain') expect(refusals(before), 'the judge must refuse every plain pod').toHaveLength(before.pods.length);
    if (profile === 'baseline') expect(refusals(before)).toEqual([]);

    const output = await succeeded(testCase.output(input, variant), `krmkit ${testCase.overlay}`);
    const after = await judgeStream(server, output, { namespace: testCase.namespace, profile });
    figures.push(`${testCase.name} (${variant}) [${profile}]: input ${summary(before)}; output ${summary(after)}`);
    expect(after.rejections).toEqual([]);
    expect(after.accepted).toBe(after.objects);
    expect(refusals(after)).toEqual([]);
    expect(after.warnings.filter((warning) => warning.includes('PodSecurity'))).toEqual([]);
    // Every pod template of the input is still there to be judged.
    expect(after.pods.map((pod) => pod.workload).sort()).toEqual(before.pods.map((pod) => pod.workload).sort());
    // Generated objects (NetworkPolicies) go through the same checks.
    if (testCase.overlay === 'prod') expect(documentsOf(output).some((object) => object.kind === 'NetworkPolicy')).toBe(true);
  }, SERVER_TEST_TIMEOUT);
});
