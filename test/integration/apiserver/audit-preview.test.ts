import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';
import { corpora } from '../../helpers/corpora.js';
import { needsShared } from '../../helpers/shared.js';
import { auditKeys, explicitSettersFirst, serverKeys } from './audit-comparison.js';
import { SERVER_TEST_TIMEOUT, useApiServer, type ApiServer } from './harness.js';
import { judgePodTemplates, type Profile } from './judge.js';
import { withoutSecurityContexts } from './strip-security.js';

/**
 * Audit mode as a faithful preview of admission: on the same inputs, `security-context
 * --mode audit` at a profile names exactly the workloads, controls and containers that the
 * API server's PodSecurity admission refuses each pod for (enforce on the bare Pods of
 * judge.ts; the words are those of its warnings). The catalogue has every control; the
 * real inputs show the comparison on what users feed it.
 */
interface Input {
  name: string;
  text: string;
  profiles: Profile[];
}

const catalogue = readFileSync(join(REPO_ROOT, 'test', 'integration', 'apiserver', 'fixtures', 'pss-catalogue.yaml'), 'utf8');
const INPUTS: Input[] = [
  { name: 'the control catalogue', text: catalogue, profiles: ['restricted', 'baseline'] },
  { name: 'base/rendered.yaml', text: readFileSync(join(REPO_ROOT, 'base', 'rendered.yaml'), 'utf8'), profiles: ['restricted', 'baseline'] },
  ...(needsShared('corpora') ? corpora() : []).flatMap((corpus) => [
    { name: corpus.name, text: corpus.text, profiles: ['restricted' as const] },
    { name: `${corpus.name} without securityContexts`, text: withoutSecurityContexts(corpus.text), profiles: ['restricted' as const] },
  ]),
];

let server: ApiServer;
const figures: string[] = [];

beforeAll(async () => {
  server = await useApiServer();
});

afterAll(() => {
  console.info(['audit vs server:', ...figures].join('\n  '));
});

describe.concurrent.each(INPUTS)('$name', (input) => {
  it.each(input.profiles)('%s: krmkit’s audit names what PodSecurity refuses, one for one', async (profile) => {
    const namespace = `audit-${input.name.replace(/[^a-z0-9]+/g, '-')}`.slice(0, 50).replace(/-$/, '') + `-${profile}`;
    const [pods, audited] = await Promise.all([judgePodTemplates(server, input.text, { namespace, profile }), auditKeys(input.text, profile, namespace)]);
    const judged = serverKeys(pods);
    if (input.name === 'the control catalogue') expect(judged.length).toBeGreaterThan(5);
    const { keys, differences } = explicitSettersFirst(audited, judged);
    figures.push(`${input.name} [${profile}]: server ${judged.length} (workload, control) verdicts, krmkit audit ${audited.length}, equal after the documented explicit-setters rule: ${differences.length === 0 ? 'none needed' : differences.join('; ')}`);
    expect(keys).toEqual(judged);
  }, SERVER_TEST_TIMEOUT);
});
