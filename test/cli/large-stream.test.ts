/**
 * A stream larger than one write of the CLI (it writes the output in pieces of about a
 * mebibyte instead of one joined copy): through the bundled binary it comes out exactly as
 * the in-process engine writes it, whole and in order, also as a ResourceList.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- the benchmark's workload generator is plain JavaScript without types
import { workload } from '../../bench/workload.mjs';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { transform } from '../helpers/transform.js';

const generate = workload as (apps: number) => string;
const PROD = join(REPO_ROOT, 'overlays', 'prod', 'pipeline.yaml');

describe('a stream of several mebibytes through the CLI', () => {
  const input = generate(1500);

  it('is larger than one write, and comes out as the engine writes it', () => {
    expect(input.length).toBeGreaterThan(3 * (1 << 20));
    const expected = transform(input, load(readFileSync(PROD, 'utf8'))).output;
    const run = runCli(['run', PROD], input);
    expect(run.status, run.stderr.slice(0, 500)).toBe(0);
    expect(run.stdout.length).toBe(expected.length);
    expect(run.stdout === expected).toBe(true);
  });

  it('comes out whole as a ResourceList too', () => {
    const items = input.split(/^---\n/m).filter((document) => document.trim() !== '').map((document) => load(document));
    const list = JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items, functionConfig: { apiVersion: 'krmkit.dev/v1alpha1', kind: 'Resources' } });
    expect(list.length).toBeGreaterThan(2 * (1 << 20));
    const expected = transform(list, { apiVersion: 'krmkit.dev/v1alpha1', kind: 'Resources' }).output;
    const run = runCli([], list);
    expect(run.status, run.stderr.slice(0, 500)).toBe(0);
    expect(run.stdout === expected).toBe(true);
  });
});
