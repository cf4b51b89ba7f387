/**
 * Property-based fuzzing over generated applications (test/helpers/fuzz-arbitraries.ts):
 * every pod-template kind with random existing securityContext, env, envFrom, affinity,
 * topology spread, annotations and volumes, next to Services, ConfigMaps, Secrets, HPAs and
 * Ingresses — through every function and both overlays. Each run checks every guarantee of
 * docs/reliability.md (test/helpers/invariants.ts).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { applicationStream } from '../helpers/fuzz-arbitraries.js';
import { SUITE_CONFIGS } from '../helpers/suite-configs.js';
import { checkInvariants, identity } from '../helpers/invariants.js';
import { validateObject } from '../helpers/kube-schemas.js';
import { FUZZ_RUNS, fuzzParameters, fuzzTimeout, yieldToWorker } from '../helpers/fuzz-runs.js';

const tally = { runs: 0, edited: 0, generated: 0, schemaChecked: 0 };

afterAll(() => {
  console.log(`[fuzz-generated] ${tally.runs} runs (${FUZZ_RUNS} per config × ${SUITE_CONFIGS.length} configs); ${tally.edited} edited and ${tally.generated} generated objects; ${tally.schemaChecked} checked against the Kubernetes schemas`);
});

describe('the generator', () => {
  it('produces valid Kubernetes objects (Rollouts have no schema to check)', () => {
    fc.assert(
      fc.property(applicationStream, ({ objects }) => {
        for (const object of objects) {
          const verdict = validateObject(object);
          if (verdict.status === 'invalid') throw new Error(`${identity(object)}: ${verdict.problems}`);
          if (verdict.status === 'unchecked') expect(object.kind).toBe('Rollout');
        }
      }),
      fuzzParameters(),
    );
  }, fuzzTimeout());
});

describe.each(SUITE_CONFIGS)('generated applications through $name', (suite) => {
  it('never throws; output re-parses; idempotent; nothing lost; untouched documents byte-identical; edited and generated objects validate', async () => {
    await fc.assert(
      fc.asyncProperty(applicationStream, async ({ text }) => {
        await yieldToWorker();
        const verdict = checkInvariants(text, suite);
        tally.runs++;
        if (!verdict.rejected) {
          tally.edited += verdict.edited;
          tally.generated += verdict.generated;
          tally.schemaChecked += verdict.schemaChecked;
        }
      }),
      fuzzParameters(),
    );
  }, fuzzTimeout());
});
