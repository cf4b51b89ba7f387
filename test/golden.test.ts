/**
 * Golden fixtures: fixtures/<function>/<case>/ holds config.yaml (typed, ConfigMap or
 * Pipeline), input.yaml, expected.yaml and, when the case reports findings, results.yaml.
 * Each case must produce expected.yaml byte for byte, report exactly results.yaml, and be
 * idempotent: running it on its own output changes nothing.
 *
 * UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts rewrites expected files — review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.js';
import { transform } from './helpers/transform.js';

const FIXTURES = join(REPO_ROOT, 'fixtures');
const update = process.env.UPDATE_GOLDEN === '1';

for (const functionName of readdirSync(FIXTURES).sort()) {
  describe(`golden: ${functionName}`, () => {
    for (const caseName of readdirSync(join(FIXTURES, functionName)).sort()) {
      const dir = join(FIXTURES, functionName, caseName);
      it(caseName, () => {
        const config = load(readFileSync(join(dir, 'config.yaml'), 'utf8'));
        const input = readFileSync(join(dir, 'input.yaml'), 'utf8');
        const { output, results } = transform(input, config, functionName);
        const expectedPath = join(dir, 'expected.yaml');
        const resultsPath = join(dir, 'results.yaml');
        if (update) {
          writeFileSync(expectedPath, output);
          if (results.length > 0) writeFileSync(resultsPath, dump(results, { lineWidth: -1 }));
        }
        expect(output).toBe(readFileSync(expectedPath, 'utf8'));
        const expectedResults = existsSync(resultsPath) ? load(readFileSync(resultsPath, 'utf8')) : [];
        expect(results).toEqual(expectedResults);

        const again = transform(output, config, functionName);
        expect(again.output, 'idempotent: a second run changes nothing').toBe(output);
      });
    }
  });
}
