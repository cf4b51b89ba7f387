/**
 * Real third-party manifests (../shared/corpora) through the engine: an empty pipeline gives
 * back every byte; security-context keeps every object and every field it does not own,
 * and a second run changes nothing.
 */
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { isPlainMap } from '../../krm/base/path.js';
import { corpora } from '../helpers/corpora.js';
import { needsShared } from '../helpers/shared.js';
import { transform } from '../helpers/transform.js';
import { objectsOf, withoutPaths } from '../helpers/objects.js';

const EMPTY_PIPELINE = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'Pipeline', steps: [] };

const present = needsShared('corpora');

describe.runIf(present).each(corpora())('corpus $name', ({ text }) => {
  it('comes out byte-for-byte through an empty pipeline', () => {
    expect(transform(text, EMPTY_PIPELINE).output).toBe(text);
  });

  it('keeps every object and every field not under securityContext through security-context (restricted, enforce), and is idempotent', () => {
    const config = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'SecurityContext', profile: 'restricted', mode: 'enforce' };
    const once = transform(text, config);
    const twice = transform(once.output, config);
    expect(twice.output).toBe(once.output);

    const before = objectsOf(text);
    const after = objectsOf(once.output);
    expect(after.map((object) => `${object.kind}/${(object.metadata as { name?: string } | undefined)?.name}`)).toEqual(
      before.map((object) => `${object.kind}/${(object.metadata as { name?: string } | undefined)?.name}`),
    );
    // Everything outside securityContext (and the /tmp volume this config does not add) is unchanged.
    const strip = (value: unknown): unknown => withoutPaths(value, (key) => key === 'securityContext' || key === 'hostNetwork' || key === 'hostPID' || key === 'hostIPC');
    expect(after.map(strip)).toEqual(before.map(strip));
  });
});

describe.runIf(present)('corpus documents that security-context must not touch', () => {
  it('leaves every non-workload document byte-identical', () => {
    for (const { text } of corpora()) {
      const output = transform(text, { apiVersion: 'krmkit.dev/v1alpha1', kind: 'SecurityContext', mode: 'enforce' }).output;
      const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet']);
      const inputDocuments = text.split(/^---$/m);
      const outputDocuments = output.split(/^---$/m);
      expect(outputDocuments.length).toBe(inputDocuments.length);
      inputDocuments.forEach((document, index) => {
        const parsed = loadAll(document).filter(isPlainMap);
        const isWorkload = parsed.some((object) => workloadKinds.has(String(object.kind)));
        if (!isWorkload) expect(outputDocuments[index]).toBe(document);
      });
    }
  });
});
