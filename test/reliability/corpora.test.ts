/**
 * Real third-party manifests (../shared/corpora) through every function and both
 * overlays: each run keeps every guarantee of docs/reliability.md — output re-parses, a
 * second run changes no byte, every object and every field it had comes out (except what
 * the function documents it changes), untouched documents are byte-identical, edited and
 * generated objects validate against the Kubernetes schemas, and restricted output passes
 * the Pod Security Standard.
 */
import { describe, expect, it } from 'vitest';
import { corpora } from '../helpers/corpora.js';
import { needsShared } from '../helpers/shared.js';
import { SUITE_CONFIGS } from '../helpers/suite-configs.js';
import { checkInvariants } from '../helpers/invariants.js';

describe.runIf(needsShared('corpora')).each(corpora())('corpus $name', ({ text }) => {
  it.each(SUITE_CONFIGS)('through $name keeps every guarantee', (suite) => {
    const verdict = checkInvariants(text, suite);
    expect(verdict.rejected).toBe(false);
  });
});
