/**
 * reloader: which ConfigMaps and Secrets a pod template uses, what each mode writes for them,
 * how names are merged, matched across namespaces, ignored and checksummed — and, as
 * properties, that it is idempotent and loses nothing, on generated streams and on the
 * real corpora.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { checksumAnnotation } from '../../functions/reloader/checksum.js';
import { KrmConfigError, KrmInputError } from '../../krm/base/errors.js';
import { isPlainMap } from '../../krm/base/path.js';
import { runCli } from '../helpers/cli.js';
import { corpora } from '../helpers/corpora.js';
import { needsShared } from '../helpers/shared.js';
import { objectsOf, withoutPaths } from '../helpers/objects.js';
import { transform } from '../helpers/transform.js';

type Obj = Record<string, unknown>;

const KIND = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'Reloader' };
const AUTO = 'reloader.stakater.com/auto';
const CM_RELOAD = 'configmap.reloader.stakater.com/reload';
const SECRET_RELOAD = 'secret.reloader.stakater.com/reload';
const CM_EXCLUDE = 'configmaps.exclude.reloader.stakater.com/reload';
const SECRET_EXCLUDE = 'secrets.exclude.reloader.stakater.com/reload';

function podSpecWith(containers: Obj, extra: Obj = {}): Obj {
  return { containers: [{ name: 'app', image: 'example/app:1', ...containers }], ...extra };
}

function deployment(name: string, podSpec: Obj, metadata: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...metadata },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } },
  };
}

/** A Deployment whose only container reads the given ConfigMaps and Secrets through envFrom. */
function usesAll(name: string, configMaps: string[], secrets: string[], metadata: Obj = {}): Obj {
  const envFrom = [...configMaps.map((cm) => ({ configMapRef: { name: cm } })), ...secrets.map((secret) => ({ secretRef: { name: secret } }))];
  return deployment(name, podSpecWith({ envFrom }), metadata);
}

function configMap(name: string, data: Obj = { key: 'value' }, metadata: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...metadata }, data };
}

function secret(name: string, fields: Obj = { data: { password: 'c2VjcmV0' } }, metadata: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, ...metadata }, type: 'Opaque', ...fields };
}

const streamOf = (...objects: Obj[]): string => objects.map((object) => stringify(object)).join('---\n');

function run(options: Obj, ...objects: Obj[]) {
  const input = streamOf(...objects);
  const outcome = transform(input, { ...KIND, ...options });
  const out = objectsOf(outcome.output);
  const find = (kind: string, name: string, namespace?: string): Obj =>
    out.find((object) => {
      const metadata = object.metadata as Obj;
      return object.kind === kind && metadata.name === name && metadata.namespace === namespace;
    }) as Obj;
  return { ...outcome, input, out, find };
}

function annotationsOf(object: Obj): Obj {
  return ((object.metadata as Obj | undefined)?.annotations as Obj | undefined) ?? {};
}

function templateAnnotationsOf(object: Obj): Obj {
  const spec = object.spec as Obj;
  const template = (object.kind === 'CronJob' ? ((spec.jobTemplate as Obj).spec as Obj).template : spec.template) as Obj;
  return ((template.metadata as Obj | undefined)?.annotations as Obj | undefined) ?? {};
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('reloader: references', () => {
  const everyKindOfReference = deployment(
    'api',
    {
      imagePullSecrets: [{ name: 'registry-credentials' }],
      volumes: [
        { name: 'conf', configMap: { name: 'cm-volume' } },
        { name: 'certs', secret: { secretName: 'secret-volume' } },
        { name: 'bundle', projected: { sources: [{ configMap: { name: 'cm-projected' } }, { secret: { name: 'secret-projected' } }, { serviceAccountToken: { path: 'token' } }] } },
        { name: 'scratch', emptyDir: {} },
      ],
      initContainers: [{ name: 'init', image: 'busybox', envFrom: [{ configMapRef: { name: 'cm-envfrom-init' } }] }],
      containers: [
        {
          name: 'app',
          image: 'example/app:1',
          envFrom: [{ secretRef: { name: 'secret-envfrom' } }],
          env: [
            { name: 'A', valueFrom: { configMapKeyRef: { name: 'cm-keyref', key: 'a' } } },
            { name: 'B', valueFrom: { secretKeyRef: { name: 'secret-keyref', key: 'b' } } },
            { name: 'C', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'D', value: 'plain' },
          ],
        },
      ],
      ephemeralContainers: [{ name: 'debug', image: 'busybox', env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 'secret-ephemeral', key: 'e' } } }] }],
    },
  );

  it('finds volumes, projected sources, env valueFrom and envFrom in every container list', () => {
    const { find } = run({ mode: 'explicit' }, everyKindOfReference);
    const annotations = annotationsOf(find('Deployment', 'api'));
    expect(annotations[CM_RELOAD]).toBe('cm-envfrom-init,cm-keyref,cm-projected,cm-volume');
    expect(annotations[SECRET_RELOAD]).toBe('secret-envfrom,secret-ephemeral,secret-keyref,secret-projected,secret-volume');
  });

  it('does not count imagePullSecrets: the kubelet reads them at pull time, so a change needs no restart', () => {
    const { find } = run({ mode: 'explicit' }, everyKindOfReference);
    expect(String(annotationsOf(find('Deployment', 'api'))[SECRET_RELOAD])).not.toContain('registry-credentials');
  });

  it('leaves a workload that references nothing byte-for-byte untouched', () => {
    const bare = deployment('cache', podSpecWith({ env: [{ name: 'X', value: '1' }] }), { annotations: { team: 'shop' } });
    for (const mode of ['auto', 'explicit', 'checksum']) {
      const { input, output } = { ...run({ mode }, bare) };
      expect(output, mode).toBe(input);
    }
  });

  it('skips references without a name (the API server would reject them; nothing to watch)', () => {
    const { find } = run({ mode: 'explicit' }, deployment('api', podSpecWith({ envFrom: [{ configMapRef: {} }, { configMapRef: { name: 'real' } }] })));
    expect(annotationsOf(find('Deployment', 'api'))[CM_RELOAD]).toBe('real');
  });
});

describe('reloader: mode auto', () => {
  it('marks a workload that uses a ConfigMap or Secret with reloader.stakater.com/auto: "true" on its own metadata', () => {
    const { find } = run({ mode: 'auto' }, usesAll('api', ['api-config'], []), configMap('api-config'));
    const api = find('Deployment', 'api');
    expect(annotationsOf(api)).toEqual({ [AUTO]: 'true' });
    expect(templateAnnotationsOf(api)).toEqual({});
  });

  it('is the default mode', () => {
    const { find } = run({}, usesAll('api', [], ['api-secrets']));
    expect(annotationsOf(find('Deployment', 'api'))[AUTO]).toBe('true');
  });

  it('respects an explicit reloader.stakater.com/auto: "false" and says so as info', () => {
    const { find, results, input, output } = run({ mode: 'auto' }, usesAll('api', ['api-config'], [], { annotations: { [AUTO]: 'false' } }));
    expect(output).toBe(input);
    expect(annotationsOf(find('Deployment', 'api'))[AUTO]).toBe('false');
    expect(results).toEqual([expect.objectContaining({ severity: 'info', message: `${AUTO} is "false": left as is` })]);
  });

  it('names ignored references and (with onlyInStream) references outside the stream in the exclude annotations', () => {
    const { find } = run(
      { mode: 'auto', onlyInStream: true, ignore: ['.*-tls'] },
      usesAll('api', ['api-config', 'external-config'], ['api-tls', 'api-secrets', 'external-secret']),
      configMap('api-config'),
      secret('api-secrets'),
      secret('api-tls'),
    );
    expect(annotationsOf(find('Deployment', 'api'))).toEqual({
      [AUTO]: 'true',
      [CM_EXCLUDE]: 'external-config',
      [SECRET_EXCLUDE]: 'api-tls,external-secret',
    });
  });

  it('leaves objects carrying reloader.stakater.com/ignore to Reloader (which honours it) instead of excluding them', () => {
    const { find } = run({ mode: 'auto' }, usesAll('api', ['api-config', 'frozen'], []), configMap('api-config'), configMap('frozen', {}, { annotations: { 'reloader.stakater.com/ignore': 'true' } }));
    expect(annotationsOf(find('Deployment', 'api'))).toEqual({ [AUTO]: 'true' });
  });

  it('adds nothing when every reference is ignored or, with onlyInStream, outside the stream', () => {
    const workload = usesAll('api', ['external-config'], ['api-tls']);
    const { input, output } = run({ mode: 'auto', onlyInStream: true, ignore: ['Secret/api-tls'] }, workload, secret('api-tls'));
    expect(output).toBe(input);
  });
});

describe('reloader: mode explicit', () => {
  it('lists ConfigMaps and Secrets by name, sorted and comma-separated, and omits an empty list', () => {
    const { find } = run({ mode: 'explicit' }, usesAll('api', ['zeta', 'alpha', 'mid'], []));
    expect(annotationsOf(find('Deployment', 'api'))).toEqual({ [CM_RELOAD]: 'alpha,mid,zeta' });
  });

  it('keeps names already in the annotations: the union, sorted', () => {
    const { find } = run({ mode: 'explicit' }, usesAll('api', ['api-config'], ['api-secrets'], { annotations: { [CM_RELOAD]: 'zz-hand-written, aa-other', [SECRET_RELOAD]: 'api-secrets' } }));
    expect(annotationsOf(find('Deployment', 'api'))).toEqual({ [CM_RELOAD]: 'aa-other,api-config,zz-hand-written', [SECRET_RELOAD]: 'api-secrets' });
  });

  it('leaves an annotation that already names everything exactly as written, even unsorted', () => {
    const workload = usesAll('api', ['b', 'a'], [], { annotations: { [CM_RELOAD]: 'b, a' } });
    const { input, output } = run({ mode: 'explicit' }, workload);
    expect(output).toBe(input);
  });

  it('does not name objects outside the stream when onlyInStream is true, and does by default', () => {
    const objects = [usesAll('api', ['api-config', 'kube-root-ca.crt'], []), configMap('api-config')];
    expect(annotationsOf(run({ mode: 'explicit', onlyInStream: true }, ...objects).find('Deployment', 'api'))[CM_RELOAD]).toBe('api-config');
    expect(annotationsOf(run({ mode: 'explicit' }, ...objects).find('Deployment', 'api'))[CM_RELOAD]).toBe('api-config,kube-root-ca.crt');
  });

  it('honours reloader.stakater.com/ignore: "true" on a ConfigMap or Secret in the stream', () => {
    const { find } = run(
      { mode: 'explicit' },
      usesAll('api', ['api-config', 'frozen'], ['frozen-secret']),
      configMap('frozen', {}, { annotations: { 'reloader.stakater.com/ignore': 'true' } }),
      secret('frozen-secret', {}, { annotations: { 'reloader.stakater.com/ignore': 'true' } }),
    );
    expect(annotationsOf(find('Deployment', 'api'))).toEqual({ [CM_RELOAD]: 'api-config' });
  });
});

describe('reloader: ignore patterns', () => {
  const workload = usesAll('api', ['api-config', 'api-config-extra', 'shared-tls'], ['api-tls', 'api-secrets']);
  const reloadsOf = (ignore: string[]) => annotationsOf(run({ mode: 'explicit', ignore }, workload).find('Deployment', 'api'));

  it('are regular expressions anchored at both ends, as select.name is', () => {
    expect(reloadsOf(['api-config'])[CM_RELOAD]).toBe('api-config-extra,shared-tls');
    expect(reloadsOf(['api-.*'])).toEqual({ [CM_RELOAD]: 'shared-tls' });
  });

  it('may be limited to one kind with a ConfigMap/ or Secret/ prefix', () => {
    expect(reloadsOf(['Secret/.*-tls'])).toEqual({ [CM_RELOAD]: 'api-config,api-config-extra,shared-tls', [SECRET_RELOAD]: 'api-secrets' });
    expect(reloadsOf(['ConfigMap/.*-tls'])).toEqual({ [CM_RELOAD]: 'api-config,api-config-extra', [SECRET_RELOAD]: 'api-secrets,api-tls' });
  });

  it('that are not valid regular expressions fail the config, naming the entry', () => {
    expect(() => run({ ignore: ['ok', 'broken(['] }, workload)).toThrow(KrmConfigError);
    expect(() => run({ ignore: ['ok', 'broken(['] }, workload)).toThrow(/ignore\[1\].*broken\(\[/);
    expect(() => run({ ignore: ['Secret/'] }, workload)).toThrow(/empty name pattern/);
  });
});

describe('reloader: namespaces', () => {
  it('matches a reference only with an object of the same namespace; absent namespaces match each other', () => {
    const objects = [
      usesAll('in-a', ['cfg'], [], { namespace: 'a' }),
      usesAll('in-b', ['cfg'], [], { namespace: 'b' }),
      usesAll('in-release', ['cfg'], []),
      configMap('cfg', { where: 'a' }, { namespace: 'a' }),
      configMap('cfg', { where: 'release' }),
    ];
    const { find } = run({ mode: 'explicit', onlyInStream: true }, ...objects);
    expect(annotationsOf(find('Deployment', 'in-a', 'a'))[CM_RELOAD]).toBe('cfg');
    expect(annotationsOf(find('Deployment', 'in-b', 'b'))).toEqual({});
    expect(annotationsOf(find('Deployment', 'in-release'))[CM_RELOAD]).toBe('cfg');

    const checksums = run({ mode: 'checksum', onlyInStream: true }, ...objects);
    const inA = templateAnnotationsOf(checksums.find('Deployment', 'in-a', 'a'))['checksum.krmkit.dev/configmap-cfg'];
    const inRelease = templateAnnotationsOf(checksums.find('Deployment', 'in-release'))['checksum.krmkit.dev/configmap-cfg'];
    expect(inA).toMatch(/^[0-9a-f]{64}$/);
    expect(inRelease).toMatch(/^[0-9a-f]{64}$/);
    expect(inA, 'each workload hashes its own namespace’s ConfigMap').not.toBe(inRelease);
  });
});

describe('reloader: workload kinds', () => {
  const podSpec = podSpecWith({ envFrom: [{ configMapRef: { name: 'cfg' } }] });
  const template = { metadata: { labels: { app: 'x' } }, spec: podSpec };
  const kinds: Obj[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template } },
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { template } },
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x' }, spec: { template } },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' }, spec: { schedule: '@daily', jobTemplate: { spec: { template } } } },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x' }, spec: { template } },
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'x' }, spec: { template } },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'x' }, spec: { template } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: podSpec },
  ];
  const annotated = (options: Obj, read: (object: Obj) => Obj): string[] => {
    const { out } = run(options, ...kinds, configMap('cfg'));
    return out.filter((object) => object.kind !== 'ConfigMap' && Object.keys(read(object)).length > 0).map((object) => String(object.kind));
  };

  it('auto and explicit annotate the kinds Stakater Reloader restarts, on their own metadata', () => {
    const reloaderKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'Rollout'];
    expect(annotated({ mode: 'auto' }, annotationsOf)).toEqual(reloaderKinds);
    expect(annotated({ mode: 'explicit' }, annotationsOf)).toEqual(reloaderKinds);
  });

  it('checksum annotates the pod template of kinds that roll on a template change — not a Job, whose template is immutable', () => {
    const { out, results } = run({ mode: 'checksum' }, ...kinds, configMap('cfg'));
    const withChecksums = out.filter((object) => object.kind !== 'ConfigMap' && object.kind !== 'Pod' && Object.keys(templateAnnotationsOf(object)).some((key) => key.startsWith('checksum.')));
    expect(withChecksums.map((object) => object.kind)).toEqual(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Rollout']);
    expect(annotationsOf(out.find((object) => object.kind === 'Deployment') as Obj)).toEqual({});
    expect(results).toEqual([expect.objectContaining({ severity: 'info', resourceRef: expect.objectContaining({ kind: 'Job' }) })]);
  });

  it('checksum also annotates kinds declared in podTemplateKinds', () => {
    const cloneSet = { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', metadata: { name: 'x' }, spec: { template } };
    const { find } = run({ mode: 'checksum', podTemplateKinds: [{ group: 'apps.kruise.io', kind: 'CloneSet', path: 'spec.template' }] }, cloneSet, configMap('cfg'));
    expect(Object.keys(templateAnnotationsOf(find('CloneSet', 'x')))).toEqual(['checksum.krmkit.dev/configmap-cfg']);
  });
});

describe('reloader: mode checksum', () => {
  const checksumOf = (object: Obj, key = 'checksum.krmkit.dev/configmap-cfg'): unknown => {
    const { find } = run({ mode: 'checksum' }, usesAll('api', ['cfg'], ['sec']), object);
    return templateAnnotationsOf(find('Deployment', 'api'))[key];
  };
  const secretChecksumOf = (object: Obj): unknown => checksumOf(object, 'checksum.krmkit.dev/secret-sec');

  it('puts one sha256 per referenced object in the stream on the pod template', () => {
    const { find } = run({ mode: 'checksum' }, usesAll('api', ['cfg'], ['sec']), configMap('cfg', { a: '1' }), secret('sec'));
    const annotations = templateAnnotationsOf(find('Deployment', 'api'));
    expect(Object.keys(annotations)).toEqual(['checksum.krmkit.dev/configmap-cfg', 'checksum.krmkit.dev/secret-sec']);
    expect(annotations['checksum.krmkit.dev/configmap-cfg']).toBe(sha256(JSON.stringify([['a', Buffer.from('1').toString('base64')]])));
  });

  it('does not change when only the YAML formatting changes', () => {
    const variants = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n  b: |\n    line\n',
      'kind: ConfigMap\napiVersion: v1\nmetadata: {name: cfg}\ndata: {b: "line\\n", a: \'1\'}\n',
      '# a comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: cfg\ndata:\n    b: >\n        line\n    a: "\\x31"\n',
    ];
    const workload = stringify(usesAll('api', ['cfg'], []));
    const checksums = variants.map((variant) => {
      const { output } = transform(`${workload}---\n${variant}`, { ...KIND, mode: 'checksum' });
      return templateAnnotationsOf(objectsOf(output)[0] as Obj)['checksum.krmkit.dev/configmap-cfg'];
    });
    expect(new Set(checksums).size).toBe(1);
  });

  it('changes when a key or a byte of a value changes', () => {
    const base = checksumOf(configMap('cfg', { a: '1', b: 'x' }));
    expect(checksumOf(configMap('cfg', { a: '2', b: 'x' }))).not.toBe(base);
    expect(checksumOf(configMap('cfg', { a: '1', c: 'x' }))).not.toBe(base);
    expect(checksumOf(configMap('cfg', { a: '1', b: 'x', c: '' }))).not.toBe(base);
    expect(checksumOf(configMap('cfg', { a: '1 ', b: 'x' }))).not.toBe(base);
    // Keys and values cannot run into each other: {ab: c} is not {a: bc}.
    expect(checksumOf(configMap('cfg', { ab: 'c' }))).not.toBe(checksumOf(configMap('cfg', { a: 'bc' })));
  });

  it('hashes the bytes the pod sees: binaryData decoded, Secret data decoded and overlaid by stringData', () => {
    const plain = checksumOf(configMap('cfg', { 'logo.png': 'PNG' }));
    expect(checksumOf({ ...configMap('cfg', {}), binaryData: { 'logo.png': Buffer.from('PNG').toString('base64') } })).toBe(plain);

    const asData = secretChecksumOf(secret('sec', { data: { password: Buffer.from('hunter2').toString('base64') } }));
    expect(secretChecksumOf(secret('sec', { stringData: { password: 'hunter2' } }))).toBe(asData);
    expect(secretChecksumOf(secret('sec', { data: { password: 'b2xk' }, stringData: { password: 'hunter2' } }))).toBe(asData);
    expect(secretChecksumOf(secret('sec', { data: { password: 'aHVud\n  GVyMg==' } }))).toBe(asData);
    expect(secretChecksumOf(secret('sec', { stringData: { password: 'hunter3' } }))).not.toBe(asData);
  });

  it('ignores what does not reach the pod: labels, annotations, type', () => {
    const base = checksumOf(configMap('cfg', { a: '1' }));
    expect(checksumOf(configMap('cfg', { a: '1' }, { labels: { app: 'x' }, annotations: { note: 'y' } }))).toBe(base);
  });

  it('keeps annotation keys within the 63-character limit, shortening long names with a hash', () => {
    const long = `shop-${'very-long-config-name-'.repeat(6)}v1`;
    const key = checksumAnnotation('ConfigMap', long);
    expect(key.length - 'checksum.krmkit.dev/'.length).toBeLessThanOrEqual(63);
    expect(key).toMatch(/^checksum\.krmkit\.dev\/configmap-shop-very-long.*-[0-9a-f]{10}$/);
    expect(checksumAnnotation('ConfigMap', `${long}x`)).not.toBe(key);
    const { find } = run({ mode: 'checksum' }, usesAll('api', [long], []), configMap(long));
    expect(Object.keys(templateAnnotationsOf(find('Deployment', 'api')))).toEqual([key]);
  });

  it('removes checksums it wrote for objects no longer referenced, and keeps every other annotation', () => {
    const workload = usesAll('api', ['cfg'], []);
    ((workload.spec as Obj).template as Obj).metadata = { annotations: { 'checksum.krmkit.dev/configmap-old': 'x', 'checksum.krmkit.dev/other': 'kept', 'prometheus.io/scrape': 'true' } };
    const annotations = templateAnnotationsOf(run({ mode: 'checksum' }, workload, configMap('cfg')).find('Deployment', 'api'));
    expect(Object.keys(annotations).sort()).toEqual(['checksum.krmkit.dev/configmap-cfg', 'checksum.krmkit.dev/other', 'prometheus.io/scrape']);
  });

  it('warns about references outside the stream, unless onlyInStream or ignore accepts that', () => {
    const workload = usesAll('api', ['cfg'], ['external']);
    const warned = run({ mode: 'checksum' }, workload, configMap('cfg'));
    expect(warned.results).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('Secret external is not in the stream'),
        field: { path: 'spec.template.spec.containers[0].envFrom[1].secretRef.name', currentValue: 'external' },
      }),
    ]);
    expect(run({ mode: 'checksum', onlyInStream: true }, workload, configMap('cfg')).results).toEqual([]);
    expect(run({ mode: 'checksum', ignore: ['Secret/external'] }, workload, configMap('cfg')).results).toEqual([]);
  });

  it('skips objects matched by ignore or carrying reloader.stakater.com/ignore', () => {
    const { find } = run({ mode: 'checksum', ignore: ['ConfigMap/cfg'] }, usesAll('api', ['cfg'], ['sec']), configMap('cfg'), secret('sec', {}, { annotations: { 'reloader.stakater.com/ignore': 'true' } }));
    expect(templateAnnotationsOf(find('Deployment', 'api'))).toEqual({});
  });
});

describe('reloader: selection', () => {
  it('annotates only selected workloads, but finds ConfigMaps whatever the selection', () => {
    const { find } = run(
      { mode: 'explicit', select: [{ kind: 'Deployment' }], onlyInStream: true },
      usesAll('api', ['cfg'], []),
      usesAll('skipped', ['cfg'], [], { annotations: { 'krmkit.dev/skip': 'reloader' } }),
      configMap('cfg'),
    );
    expect(annotationsOf(find('Deployment', 'api'))[CM_RELOAD]).toBe('cfg');
    expect(annotationsOf(find('Deployment', 'skipped'))[CM_RELOAD]).toBeUndefined();
  });
});

describe('reloader: config', () => {
  it('accepts the ConfigMap form (strings)', () => {
    const outcome = transform(streamOf(usesAll('api', ['cfg', 'x-tls'], [])), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { mode: 'explicit', onlyInStream: 'false', ignore: 'x-.*,y' } }, 'reloader');
    expect(annotationsOf(objectsOf(outcome.output)[0] as Obj)[CM_RELOAD]).toBe('cfg');
  });

  it('rejects bad values with the option named', () => {
    expect(() => run({ mode: 'checksums' }, usesAll('api', ['cfg'], []))).toThrow(/mode.*did you mean "checksum"/);
    expect(() => run({ onlyInStream: 'yes' }, usesAll('api', ['cfg'], []))).toThrow(KrmConfigError);
    expect(() => run({ ignore: 'x' }, usesAll('api', ['cfg'], []))).toThrow(/ignore.*list of strings/);
    expect(() => run({ ignores: ['x'] }, usesAll('api', ['cfg'], []))).toThrow(/did you mean "ignore"/);
    expect(() => transform('', { apiVersion: 'v1', kind: 'ConfigMap', data: { onlyInStream: 'yes' } }, 'reloader')).toThrow(/data\.onlyInStream/);
  });
});

describe('reloader: malformed input fails with the field named', () => {
  const cases: [string, Obj, RegExp][] = [
    ['volumes as a mapping', deployment('api', podSpecWith({}, { volumes: { conf: {} } })), /spec\.template\.spec\.volumes: expected a list/],
    ['a volume as a string', deployment('api', podSpecWith({}, { volumes: ['conf'] })), /volumes\[0\]: expected a mapping/],
    ['configMap volume as a string', deployment('api', podSpecWith({}, { volumes: [{ name: 'c', configMap: 'cfg' }] })), /volumes\[0\]\.configMap: expected a mapping/],
    ['secretName as a number', deployment('api', podSpecWith({}, { volumes: [{ name: 's', secret: { secretName: 7 } }] })), /volumes\[0\]\.secret\.secretName: expected a string/],
    ['projected sources as a mapping', deployment('api', podSpecWith({}, { volumes: [{ name: 'p', projected: { sources: {} } }] })), /projected\.sources: expected a list/],
    ['projected secret name as a list', deployment('api', podSpecWith({}, { volumes: [{ name: 'p', projected: { sources: [{ secret: { name: ['x'] } }] } }] })), /sources\[0\]\.secret\.name: expected a string/],
    ['envFrom as a mapping', deployment('api', podSpecWith({ envFrom: { configMapRef: { name: 'x' } } })), /containers\[0\]\.envFrom: expected a list/],
    ['configMapRef as a string', deployment('api', podSpecWith({ envFrom: [{ configMapRef: 'x' }] })), /envFrom\[0\]\.configMapRef: expected a mapping/],
    ['env as a mapping', deployment('api', podSpecWith({ env: { A: 'x' } })), /containers\[0\]\.env: expected a list/],
    ['valueFrom as a string', deployment('api', podSpecWith({ env: [{ name: 'A', valueFrom: 'x' }] })), /env\[0\]\.valueFrom: expected a mapping/],
    ['secretKeyRef name as a boolean', deployment('api', podSpecWith({ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: true } } }] })), /secretKeyRef\.name: expected a string/],
    ['containers as a mapping', deployment('api', { containers: { app: {} } }), /spec\.template\.spec\.containers: expected a list/],
    ['initContainers entry as a string', deployment('api', { containers: [], initContainers: ['x'] }), /initContainers\[0\]: expected a container/],
  ];
  for (const [what, object, message] of cases) {
    it(what, () => {
      for (const mode of ['auto', 'explicit', 'checksum']) {
        expect(() => run({ mode }, object), mode).toThrow(KrmInputError);
        expect(() => run({ mode }, object), mode).toThrow(message);
      }
    });
  }

  it('workload annotations krmkit reads must be strings', () => {
    const object = usesAll('api', ['cfg'], [], { annotations: { [CM_RELOAD]: 5 } });
    expect(() => run({ mode: 'explicit' }, object)).toThrow(/metadata\.annotations\["configmap\.reloader\.stakater\.com\/reload"\]: annotation values must be strings/);
    expect(() => run({ mode: 'auto' }, usesAll('api', ['cfg'], [], { annotations: { [AUTO]: true } }))).toThrow(/reloader\.stakater\.com\/auto.*must be strings/);
    expect(() => run({ mode: 'auto' }, usesAll('api', ['cfg'], [], { annotations: ['x'] }))).toThrow(/metadata\.annotations: expected a mapping/);
  });

  it('checksum mode: ConfigMap and Secret content must be what the API server accepts', () => {
    const workload = usesAll('api', ['cfg'], ['sec']);
    expect(() => run({ mode: 'checksum' }, workload, configMap('cfg', { port: 8080 }))).toThrow(/ConfigMap cfg.*data\.port: expected a string, got a number/);
    expect(() => run({ mode: 'checksum' }, workload, configMap('cfg', ['a'] as unknown as Obj))).toThrow(/ConfigMap cfg.*data: expected a mapping/);
    expect(() => run({ mode: 'checksum' }, workload, secret('sec', { data: { password: 'not base64!' } }))).toThrow(/Secret sec.*data\.password: expected base64/);
    expect(() => run({ mode: 'checksum' }, workload, secret('sec', { stringData: { n: 1 } }))).toThrow(/stringData\.n: expected a string/);
    // Elsewhere the content is not read, so it cannot fail.
    expect(() => run({ mode: 'explicit' }, workload, configMap('cfg', { port: 8080 }))).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------
// Properties over generated streams.

const NAMES = ['cfg-a', 'cfg-b', 'sec-a', 'shared', 'x-tls'];
const referenceArb = fc.oneof(
  fc.record({ envFrom: fc.constantFrom('configMapRef', 'secretRef'), name: fc.constantFrom(...NAMES) }),
  fc.record({ keyRef: fc.constantFrom('configMapKeyRef', 'secretKeyRef'), name: fc.constantFrom(...NAMES) }),
  fc.record({ volume: fc.constantFrom('configMap', 'secret', 'projected'), name: fc.constantFrom(...NAMES) }),
);
const workloadArb = fc.record({
  kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'Rollout', 'ReplicaSet'),
  namespace: fc.constantFrom(undefined, 'shop', 'other'),
  references: fc.array(referenceArb, { maxLength: 5 }),
  existing: fc.option(fc.dictionary(fc.constantFrom(AUTO, CM_RELOAD, SECRET_RELOAD, 'team'), fc.constantFrom('true', 'false', 'cfg-a', 'zz, cfg-b', '')), { nil: undefined }),
});
const objectArb = fc.record({
  kind: fc.constantFrom('ConfigMap', 'Secret'),
  name: fc.constantFrom(...NAMES),
  namespace: fc.constantFrom(undefined, 'shop'),
  // Plain words: the byte check below splits the stream at `---` lines.
  value: fc.stringMatching(/^[a-z0-9 ]{0,8}$/),
  ignored: fc.boolean(),
});

interface WorkloadSpec {
  kind: string;
  namespace: string | undefined;
  references: Obj[];
  existing: Record<string, string> | undefined;
}

function buildWorkload(spec: WorkloadSpec, index: number): Obj {
  const env: Obj[] = [];
  const envFrom: Obj[] = [];
  const volumes: Obj[] = [];
  spec.references.forEach((reference, i) => {
    const name = reference.name as string;
    if (reference.envFrom) envFrom.push({ [reference.envFrom as string]: { name } });
    else if (reference.keyRef) env.push({ name: `V${i}`, valueFrom: { [reference.keyRef as string]: { name, key: 'k' } } });
    else if (reference.volume === 'secret') volumes.push({ name: `v${i}`, secret: { secretName: name } });
    else if (reference.volume === 'configMap') volumes.push({ name: `v${i}`, configMap: { name } });
    else volumes.push({ name: `v${i}`, projected: { sources: [{ secret: { name } }, { configMap: { name } }] } });
  });
  const container: Obj = { name: 'app', image: 'example/app:1' };
  if (env.length) container.env = env;
  if (envFrom.length) container.envFrom = envFrom;
  const template = { metadata: { labels: { app: `w${index}` } }, spec: { containers: [container], ...(volumes.length ? { volumes } : {}) } };
  const metadata: Obj = { name: `w${index}` };
  if (spec.namespace) metadata.namespace = spec.namespace;
  if (spec.existing) metadata.annotations = spec.existing;
  const group = { CronJob: 'batch/v1', Job: 'batch/v1', Rollout: 'argoproj.io/v1alpha1' }[spec.kind] ?? 'apps/v1';
  const body = spec.kind === 'CronJob' ? { schedule: '@daily', jobTemplate: { spec: { template } } } : { template };
  return { apiVersion: group, kind: spec.kind, metadata, spec: body };
}

function buildObject(spec: { kind: string; name: string; namespace: string | undefined; value: string; ignored: boolean }): Obj {
  const metadata: Obj = { name: spec.name };
  if (spec.namespace) metadata.namespace = spec.namespace;
  if (spec.ignored) metadata.annotations = { 'reloader.stakater.com/ignore': 'true' };
  return spec.kind === 'ConfigMap' ? { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { k: spec.value } } : { apiVersion: 'v1', kind: 'Secret', metadata, stringData: { k: spec.value } };
}

const streamArb = fc.tuple(fc.array(workloadArb, { maxLength: 4 }), fc.array(objectArb, { maxLength: 4 })).map(([workloads, objects]) =>
  streamOf(...workloads.map((w, i) => buildWorkload(w, i)), ...objects.map(buildObject)),
);
const configArb = fc.record({
  mode: fc.constantFrom('auto', 'explicit', 'checksum'),
  onlyInStream: fc.boolean(),
  ignore: fc.subarray(['x-.*', 'Secret/shared', 'ConfigMap/cfg-a']),
});

/** The annotations the function documents that it writes. */
const isOwnAnnotation = (key: string): boolean => [AUTO, CM_RELOAD, SECRET_RELOAD, CM_EXCLUDE, SECRET_EXCLUDE].includes(key) || key.startsWith('checksum.krmkit.dev/');

/** An object without the annotations the function writes (and without a map that held only those). */
function comparable(object: unknown): unknown {
  return JSON.parse(JSON.stringify(withoutPaths(object, isOwnAnnotation)), (key, entry: unknown) =>
    key === 'annotations' && isPlainMap(entry) && Object.keys(entry).length === 0 ? undefined : entry,
  );
}

describe('reloader: properties', () => {
  it('is idempotent: a second run changes no byte', () => {
    fc.assert(
      fc.property(streamArb, configArb, (input, options) => {
        const once = transform(input, { ...KIND, ...options }).output;
        expect(transform(once, { ...KIND, ...options }).output).toBe(once);
      }),
      { numRuns: 200 },
    );
  });

  it('loses nothing: every object comes out with every field, apart from its own annotations; untouched documents keep their bytes', () => {
    fc.assert(
      fc.property(streamArb, configArb, (input, options) => {
        const { output } = transform(input, { ...KIND, ...options });
        const before = objectsOf(input);
        const after = objectsOf(output);
        expect(after.length).toBe(before.length);
        before.forEach((object, index) => expect(comparable(after[index])).toEqual(comparable(object)));
        const inputDocs = input.split('---\n');
        const outputDocs = output.split('---\n');
        inputDocs.forEach((doc, index) => {
          if (JSON.stringify(objectsOf(doc)) === JSON.stringify(objectsOf(outputDocs[index] ?? ''))) expect(outputDocs[index]).toBe(doc);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('explicit mode never drops a name a workload already listed', () => {
    fc.assert(
      fc.property(streamArb, fc.boolean(), (input, onlyInStream) => {
        const { output } = transform(input, { ...KIND, mode: 'explicit', onlyInStream });
        objectsOf(input).forEach((object, index) => {
          const after = annotationsOf(objectsOf(output)[index] as Obj);
          for (const key of [CM_RELOAD, SECRET_RELOAD]) {
            const names = String(annotationsOf(object)[key] ?? '').split(',').map((name) => name.trim()).filter(Boolean);
            for (const name of names) expect(String(after[key]).split(',').map((entry) => entry.trim())).toContain(name);
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe.runIf(needsShared('corpora'))('reloader: real-world corpora', () => {
  const expected: Record<string, { changed: Record<string, Obj>; checksumWarnings: string[] }> = {
    'cert-manager-v1.14.4.yaml': { changed: {}, checksumWarnings: [] },
    'metrics-server-components.yaml': { changed: {}, checksumWarnings: [] },
    'reloader.yaml': { changed: {}, checksumWarnings: [] },
    // The controller mounts the admission webhook's certificate Secret, which a Job creates in
    // the cluster: Reloader modes can name it; checksum mode cannot hash it and says so.
    'ingress-nginx-cloud.yaml': {
      changed: { 'ingress-nginx-controller': { auto: { [AUTO]: 'true' }, explicit: { [SECRET_RELOAD]: 'ingress-nginx-admission' } } },
      checksumWarnings: ['Secret ingress-nginx-admission is not in the stream'],
    },
  };

  for (const corpus of corpora()) {
    it(`${corpus.name}: changes exactly the documented workloads`, () => {
      const expectation = expected[corpus.name];
      expect(expectation, 'every corpus has a documented expectation').toBeDefined();
      const before = objectsOf(corpus.text);
      for (const mode of ['auto', 'explicit', 'checksum', 'onlyInStream']) {
        const options = mode === 'onlyInStream' ? { mode: 'explicit', onlyInStream: true } : { mode };
        const { output, results } = transform(corpus.text, { ...KIND, ...options });
        const after = objectsOf(output);
        expect(after.length).toBe(before.length);
        const changed: Record<string, Obj> = {};
        after.forEach((object, index) => {
          if (JSON.stringify(object) === JSON.stringify(before[index])) return;
          const added = Object.fromEntries(Object.entries(annotationsOf(object)).filter(([key]) => annotationsOf(before[index] as Obj)[key] !== annotationsOf(object)[key]));
          changed[String((object.metadata as Obj).name)] = added;
          expect(comparable(object)).toEqual(comparable(before[index]));
        });
        const want = Object.fromEntries(Object.entries(expectation!.changed).flatMap(([name, byMode]) => (byMode[mode] ? [[name, byMode[mode]]] : [])));
        expect(changed, mode).toEqual(want);
        if (mode === 'checksum') {
          expect(results.map((result) => result.severity)).toEqual(expectation!.checksumWarnings.map(() => 'warning'));
          expectation!.checksumWarnings.forEach((message, index) => expect(results[index]?.message).toContain(message));
        } else {
          expect(results).toEqual([]);
        }
        expect(transform(output, { ...KIND, ...options }).output, `${mode}: idempotent`).toBe(output);
      }
    });
  }
});

describe('reloader: CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'krmkit-reloader-'));
  });

  it('takes a ConfigMap config file and annotates the stream', () => {
    const configPath = join(dir, 'reloader.yaml');
    writeFileSync(configPath, stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'reloader' }, data: { mode: 'explicit', onlyInStream: 'true' } }));
    const run = runCli(['reloader', '--config', configPath], streamOf(usesAll('api', ['cfg', 'external'], []), configMap('cfg')));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(annotationsOf(objectsOf(run.stdout)[0] as Obj)).toEqual({ [CM_RELOAD]: 'cfg' });
  });

  it('prints checksum warnings on stderr and still succeeds', () => {
    const configPath = join(dir, 'checksum.yaml');
    writeFileSync(configPath, stringify({ ...KIND, mode: 'checksum' }));
    const run = runCli(['reloader', '--config', configPath], streamOf(usesAll('api', [], ['external'])));
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('[warning] apps/v1/Deployment/api spec.template.spec.containers[0].envFrom[0].secretRef.name: Secret external is not in the stream');
    expect(objectsOf(run.stdout)).toHaveLength(1);
  });

  it('fails closed on malformed input: exit 2, the field named, nothing on stdout', () => {
    const run = runCli(['reloader'], streamOf(deployment('api', podSpecWith({ envFrom: [{ secretRef: 'oops' }] }))));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/envFrom\[0\]\.secretRef: expected a mapping/);
  });
});
