import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FUNCTION_CATALOG, loadFunctions } from '../../functions/index.js';
import { KrmInputError } from '../../krm/base/errors.js';
import type { Path } from '../../krm/base/path.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { thrownBy } from '../helpers/errors.js';
import { transform } from '../helpers/transform.js';

/**
 * One behaviour for a label value that is not a string (Kubernetes requires strings; the API
 * server rejects `tier: 1`), in every function and in the prod overlay: a located input error
 * naming the field (exit 2, nothing on stdout) — wherever the value is, and whether or not the
 * function reads labels at all (krm/kube/README.md).
 */

const FUNCTIONS = await loadFunctions();

/** Each function with the config its `--help` shows, and the prod overlay. */
const RUNS: readonly { name: string; config: unknown }[] = [
  ...FUNCTIONS.map((fn) => ({ name: fn.name, config: load(fn.example) })),
  { name: 'the prod overlay', config: load(readFileSync(join(REPO_ROOT, 'overlays', 'prod', 'pipeline.yaml'), 'utf8')) },
];

type Place = 'metadata.labels' | 'spec.selector.matchLabels' | 'pod template labels' | 'matchExpressions values' | 'Service selector';

/** Where a label value sits: the document (0: the Deployment, 1: the Service) and the field. */
const PLACES: Record<Place, { document: number; field: Path }> = {
  'metadata.labels': { document: 0, field: ['metadata', 'labels', 'tier'] },
  'spec.selector.matchLabels': { document: 0, field: ['spec', 'selector', 'matchLabels', 'tier'] },
  'pod template labels': { document: 0, field: ['spec', 'template', 'metadata', 'labels', 'tier'] },
  'matchExpressions values': { document: 0, field: ['spec', 'selector', 'matchExpressions', 0, 'values', 0] },
  'Service selector': { document: 1, field: ['spec', 'selector', 'tier'] },
};

/** A replicated workload every function has something to do with, its Service, and `value` at `place`. */
function stream(place: Place | undefined, value: unknown): string {
  const labels = (at: Place): Record<string, unknown> => ({ app: 'web', tier: place === at ? value : '1' });
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: labels('metadata.labels') },
    spec: {
      replicas: 3,
      selector: { matchLabels: labels('spec.selector.matchLabels'), matchExpressions: [{ key: 'track', operator: 'In', values: [place === 'matchExpressions values' ? value : 'stable'] }] },
      template: {
        metadata: { labels: { ...labels('pod template labels'), track: 'stable' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] },
      },
    },
  };
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: labels('Service selector'), ports: [{ port: 80, targetPort: 8080 }] } };
  return [deployment, service].map((object) => stringify(object)).join('---\n');
}

/** Everything YAML can hold that is not a string. */
const nonString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom('a', 'b'), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);

describe('a non-string label value, in every function and the prod overlay', () => {
  it('covers every function of the catalog', () => {
    expect(RUNS.map((run) => run.name)).toEqual([...FUNCTION_CATALOG.map((entry) => entry.name), 'the prod overlay']);
  });

  it.each(RUNS)('$name runs on the same stream with every value a string', ({ config }) => {
    expect(thrownBy(() => transform(stream(undefined, '1'), config))).toBeUndefined();
  });

  it('is an input error naming the document and field, wherever it is and whatever the function', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RUNS), fc.constantFrom(...(Object.keys(PLACES) as Place[])), nonString, (run, place, value) => {
        const error = thrownBy(() => transform(stream(place, value), run.config));
        expect(error).toBeInstanceOf(KrmInputError);
        expect((error as KrmInputError).location).toMatchObject({ documentIndex: PLACES[place].document, field: PLACES[place].field });
        expect((error as Error).message).toMatch(/expected a label value \(a string\), got /);
      }),
      { numRuns: 300 },
    );
  });

  it('says how to quote a number or a boolean', () => {
    const error = thrownBy(() => transform(stream('spec.selector.matchLabels', 1), RUNS[0]?.config));
    expect((error as Error).message).toBe('document 0, apps/v1 Deployment shop/web, line 1: spec.selector.matchLabels.tier: expected a label value (a string), got a number (1) — quote it: tier: "1"');
  });

  it.each(RUNS)('$name, as the CLI: exit 2, nothing on stdout, the field on stderr', ({ name, config }) => {
    const args = name === 'the prod overlay' ? ['run', 'overlays/prod'] : [name, `--config=${configFile(name, config)}`];
    const result = runCli(args, stream('pod template labels', true));
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('spec.template.metadata.labels.tier: expected a label value (a string), got a boolean (true)');
    expect(result.status).toBe(2);
  });

  it('krmkit connectivity, which reads a stream without running a function, refuses it the same way', () => {
    const result = runCli(['connectivity'], stream('metadata.labels', 1.5));
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('metadata.labels.tier: expected a label value (a string), got a number (1.5)');
    expect(result.status).toBe(2);
  });
});

const CONFIG_DIRECTORY = mkdtempSync(join(tmpdir(), 'krmkit-labels-'));

function configFile(name: string, config: unknown): string {
  const path = join(CONFIG_DIRECTORY, `${name}.yaml`);
  writeFileSync(path, stringify(config));
  return path;
}
