/**
 * Mutation fuzzing of real manifests (../shared/corpora): documents dropped, duplicated and
 * reordered, scalars changed, comments added, list indentation switched — through every
 * function and both overlays. A mutation that makes the input malformed must be refused
 * with a located KrmInputError; anything else thrown is a bug. Whatever is accepted keeps
 * every guarantee of docs/reliability.md.
 */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { corpora } from '../helpers/corpora.js';
import { needsShared } from '../helpers/shared.js';
import { SUITE_CONFIGS } from '../helpers/suite-configs.js';
import { checkInvariants } from '../helpers/invariants.js';
import { applyMutations, mutations } from '../helpers/stream-mutations.js';
import { FUZZ_RUNS, fuzzParameters, fuzzTimeout, yieldToWorker } from '../helpers/fuzz-runs.js';

const tally = { runs: 0, rejected: 0 };

afterAll(() => {
  console.log(`[fuzz-mutations] ${tally.runs} runs (${FUZZ_RUNS} per corpus × ${corpora().length} corpora), ${tally.rejected} refused as malformed input`);
});

describe.runIf(needsShared('corpora')).each(corpora())('mutations of $name', ({ text }) => {
  it('through every function and overlay: a located input error or every guarantee kept', async () => {
    await fc.assert(
      fc.asyncProperty(mutations, fc.constantFrom(...SUITE_CONFIGS), async (changes, suite) => {
        await yieldToWorker();
        const verdict = checkInvariants(applyMutations(text, changes), suite, { inputMayBeMalformed: true });
        tally.runs++;
        if (verdict.rejected) tally.rejected++;
      }),
      fuzzParameters(),
    );
  }, fuzzTimeout());
});
