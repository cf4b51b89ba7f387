/**
 * pod-security-labels: Namespaces get enforce/audit/warn (and -version) at the configured
 * profile or the security-context step's, never a weaker level than they have; system
 * namespaces and other kinds are left alone — and, as properties, it is idempotent, never
 * lowers a level, and leaves other documents byte-identical.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parsePodSecurityLabelsConfig, podSecurityLabelsOptions } from '../../functions/pod-security-labels/config.js';
import { KrmConfigError, KrmInputError } from '../../krm/base/errors.js';
import { readOwnOptions } from '../../krm/function/options.js';
import { runCli } from '../helpers/cli.js';
import { corpora } from '../helpers/corpora.js';
import { needsShared } from '../helpers/shared.js';
import { expectUnchangedDocumentsKeepTheirBytes } from '../helpers/invariants.js';
import { objectsOf } from '../helpers/objects.js';
import { transform } from '../helpers/transform.js';
import { idempotentRuns } from '../helpers/run-properties.js';
import { thrownBy } from '../helpers/errors.js';

type Obj = Record<string, unknown>;

const KIND = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'PodSecurityLabels' };
const LEVELS = ['privileged', 'baseline', 'restricted'];
const PREFIX = 'pod-security.kubernetes.io/';

function namespace(name: string, labels: Record<string, string> = {}): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(Object.keys(labels).length > 0 ? { labels } : {}) } };
}

const streamOf = (...objects: Obj[]): string => objects.map((object) => stringify(object)).join('---\n');

function labelsAfter(config: Obj, ...objects: Obj[]): Record<string, string>[] {
  return objectsOf(transform(streamOf(...objects), config).output)
    .filter((object) => object.kind === 'Namespace')
    .map((object) => ((object.metadata as Obj).labels as Record<string, string> | undefined) ?? {});
}

function pss(level: string, version = 'latest', modes = ['enforce', 'audit', 'warn']): Record<string, string> {
  return Object.fromEntries(modes.flatMap((mode) => [[`${PREFIX}${mode}`, level], [`${PREFIX}${mode}-version`, version]]));
}

describe('config', () => {
  it('defaults to every mode at version latest, with the profile left to the pipeline', () => {
    expect(parsePodSecurityLabelsConfig(readOwnOptions('pod-security-labels', 'PodSecurityLabels', KIND, podSecurityLabelsOptions))).toEqual({ modes: ['enforce', 'audit', 'warn'], version: 'latest' });
  });

  it.each([
    [{ profile: 'restricte' }, 'profile', 'did you mean "restricted"'],
    [{ modes: ['enforce', 'warm'] }, 'modes[1]', 'did you mean "warn"'],
    [{ modes: [] }, 'modes', 'at least one'],
    [{ version: '1.31' }, 'version', 'latest or a version such as v1.31'],
  ])('rejects %j at %s', (options, field, problem) => {
    const error = thrownBy(() => parsePodSecurityLabelsConfig(readOwnOptions('pod-security-labels', 'PodSecurityLabels', { ...KIND, ...options }, podSecurityLabelsOptions)));
    expect(error).toBeInstanceOf(KrmConfigError);
    expect((error as Error).message).toContain(field);
    expect((error as Error).message).toContain(problem);
  });
});

describe('labelling', () => {
  it('labels every mode and its -version at the configured profile, keeping other labels', () => {
    expect(labelsAfter({ ...KIND, profile: 'restricted' }, namespace('shop', { team: 'a' }))).toEqual([{ team: 'a', ...pss('restricted') }]);
    expect(labelsAfter({ ...KIND, profile: 'baseline', modes: ['warn'], version: 'v1.31' }, namespace('shop'))).toEqual([pss('baseline', 'v1.31', ['warn'])]);
  });

  it('never weakens: a stricter or equal level stays with its own version; a weaker one is raised', () => {
    const strict = namespace('strict', { [`${PREFIX}enforce`]: 'restricted', [`${PREFIX}enforce-version`]: 'v1.29' });
    const weak = namespace('weak', { [`${PREFIX}enforce`]: 'privileged', [`${PREFIX}enforce-version`]: 'v1.29' });
    const [strictAfter, weakAfter] = labelsAfter({ ...KIND, profile: 'baseline' }, strict, weak);
    expect(strictAfter).toEqual({ [`${PREFIX}enforce`]: 'restricted', [`${PREFIX}enforce-version`]: 'v1.29', ...pss('baseline', 'latest', ['audit', 'warn']) });
    expect(weakAfter).toEqual(pss('baseline'));
  });

  it("takes the level of the pipeline's security-context step when no profile is set; the profile option wins over it", () => {
    const pipeline = (psl: Obj): Obj => ({ apiVersion: 'krmkit.dev/v1alpha1', kind: 'Pipeline', steps: [{ kind: 'SecurityContext', profile: 'baseline' }, psl] });
    expect(labelsAfter(pipeline({ kind: 'PodSecurityLabels' }), namespace('shop'))).toEqual([pss('baseline')]);
    expect(labelsAfter(pipeline({ kind: 'PodSecurityLabels', profile: 'restricted' }), namespace('shop'))).toEqual([pss('restricted')]);
    // security-context's own default profile is restricted.
    expect(labelsAfter({ apiVersion: 'krmkit.dev/v1alpha1', kind: 'Pipeline', steps: [{ kind: 'PodSecurityLabels' }, { kind: 'SecurityContext' }] }, namespace('shop'))).toEqual([pss('restricted')]);
  });

  it('warns, naming the option, and labels nothing without a profile or a security-context step', () => {
    const outcome = transform(streamOf(namespace('shop')), KIND);
    expect(outcome.output).toBe(streamOf(namespace('shop')));
    expect(outcome.results).toMatchObject([{ severity: 'warning' }]);
    expect(outcome.results[0]?.message).toContain('set profile');
    // Nothing to label: nothing to say.
    expect(transform(streamOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }), KIND).results).toEqual([]);
  });

  it('leaves kube-system, kube-public and kube-node-lease, other kinds, excluded and opted-out Namespaces alone', () => {
    const optedOut = namespace('opted-out');
    (optedOut.metadata as Obj).annotations = { 'krmkit.dev/skip': 'pod-security-labels' };
    const objects = [namespace('kube-system'), namespace('kube-public'), namespace('kube-node-lease'), optedOut, namespace('excluded'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop' } }];
    const outcome = transform(streamOf(...objects), { ...KIND, profile: 'restricted', exclude: [{ name: 'excluded' }] });
    expect(outcome.output).toBe(streamOf(...objects));
    expect(outcome.results.map((result) => result.resourceRef?.name)).toEqual(['kube-system', 'kube-public', 'kube-node-lease']);
  });

  it('fails with the field named on a level label Pod Security admission would refuse', () => {
    const error = thrownBy(() => transform(streamOf(namespace('shop', { [`${PREFIX}enforce`]: 'strict' })), { ...KIND, profile: 'baseline' }));
    expect(error).toBeInstanceOf(KrmInputError);
    expect((error as Error).message).toContain(`metadata.labels["${PREFIX}enforce"]: expected privileged, baseline, restricted`);
  });
});

const namespaceArb = fc
  .record({
    name: fc.constantFrom('shop', 'tools', 'kube-system'),
    existing: fc.dictionary(fc.constantFrom('enforce', 'audit', 'warn'), fc.constantFrom(...LEVELS), { maxKeys: 3 }),
    team: fc.boolean(),
  })
  .map(({ name, existing, team }) => namespace(name, { ...(team ? { team: 'a' } : {}), ...Object.fromEntries(Object.entries(existing).map(([mode, level]) => [`${PREFIX}${mode}`, level])) }));
const otherArb = fc.constantFrom<Obj>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop' }, data: { a: 'b' } });
const generatedStream = fc
  .uniqueArray(fc.oneof(namespaceArb, otherArb), { minLength: 1, maxLength: 4, selector: (object) => `${String(object.kind)}/${String((object.metadata as Obj).name)}` })
  .map((objects) => objects.map((object) => `# Source: x.yaml\n${stringify(object)}`).join('---\n'));
const configArb = fc.constantFrom(...LEVELS).map((profile) => ({ ...KIND, profile }));

describe('properties', () => {
  it('is idempotent, never lowers a level, sets every mode to at least the profile, changes nothing but Pod Security labels', () => {
    fc.assert(
      fc.property(generatedStream, configArb, (text, options) => {
        const once = idempotentRuns(text, options).once.output;
        expectUnchangedDocumentsKeepTheirBytes(text, once);
        const before = objectsOf(text);
        const after = objectsOf(once);
        before.forEach((object, index) => {
          const out = after[index] as Obj;
          const labelsOf = (entry: Obj) => ((entry.metadata as Obj).labels as Record<string, string> | undefined) ?? {};
          const strip = (entry: Obj) => ({ ...entry, metadata: { ...(entry.metadata as Obj), labels: Object.fromEntries(Object.entries(labelsOf(entry)).filter(([key]) => !key.startsWith(PREFIX))) } });
          expect(strip(out)).toEqual(strip(object));
          if (object.kind !== 'Namespace' || (object.metadata as Obj).name === 'kube-system') {
            expect(out).toEqual(object);
            return;
          }
          for (const mode of ['enforce', 'audit', 'warn']) {
            const was = labelsOf(object)[`${PREFIX}${mode}`];
            const now = labelsOf(out)[`${PREFIX}${mode}`] as string;
            expect(LEVELS.indexOf(now)).toBeGreaterThanOrEqual(Math.max(LEVELS.indexOf(options.profile), was === undefined ? -1 : LEVELS.indexOf(was)));
          }
        });
      }),
    );
  });
});

describe.runIf(needsShared('corpora'))('real corpora (../shared/corpora)', () => {
  it.each(corpora())('$name: labels only the Namespace objects there (none are system namespaces)', ({ text }) => {
    const config = { ...KIND, profile: 'baseline' };
    const once = transform(text, config).output;
    expect(transform(once, config).output).toBe(once);
    const before = objectsOf(text);
    const after = objectsOf(once);
    expect(after).toHaveLength(before.length);
    before.forEach((object, index) => {
      if (object.kind !== 'Namespace') expect(after[index]).toEqual(object);
      else expect(((after[index]?.metadata as Obj).labels as Obj)[`${PREFIX}enforce`]).toBe('baseline');
    });
  });

  it('the corpora hold Namespace objects, so the check above labels something', () => {
    expect(corpora().some(({ text }) => objectsOf(text).some((object) => object.kind === 'Namespace'))).toBe(true);
  });
});

describe('CLI (dist/krmkit.cjs)', () => {
  it('labels with flags and exits 0', () => {
    const result = runCli(['pod-security-labels', '--profile', 'restricted', '--modes', 'enforce'], streamOf(namespace('shop')));
    expect(result.status, result.stderr).toBe(0);
    expect(objectsOf(result.stdout)[0]?.metadata).toEqual({ name: 'shop', labels: pss('restricted', 'latest', ['enforce']) });
  });

  it('exits 2 with nothing on stdout for a profile that is not a level', () => {
    const result = runCli(['pod-security-labels', '--profile', 'restrictd'], streamOf(namespace('shop')));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('did you mean "restricted"');
  });
});
