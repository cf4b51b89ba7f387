/**
 * Config → steps (krm/function/steps.ts): wherever a kind is read — a Pipeline step, a
 * ResourceList's functionConfig, a `postrender --config` file — a kind no function has
 * gets one message: the nearest kind when one is close, else the list of kinds.
 */
import { describe, expect, it } from 'vitest';
import { loadFunctions } from '../../functions/index.js';
import { compileConfig, compilePipeline, stepsFromFunctionConfig } from '../../krm/function/steps.js';
import { readInput } from '../../krm/stream/input.js';
import { thrownBy } from '../helpers/errors.js';

const FUNCTIONS = await loadFunctions();
const messageOf = (action: () => unknown): string => (thrownBy(action) as Error).message;
const KINDS = FUNCTIONS.map((fn) => fn.kind).join(', ');
const withFunctionConfig = (kind: string): ReturnType<typeof readInput> =>
  readInput(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig: {kind: ${kind}}\n`);

describe('a kind no function has', () => {
  it('in a Pipeline step: the nearest kind, else every kind', () => {
    expect(messageOf(() => compilePipeline({ kind: 'Pipeline', steps: [{ kind: 'SecurityContex' }] }, FUNCTIONS, 'p.yaml'))).toBe(
      'steps[0].kind: p.yaml: no function has kind "SecurityContex" — did you mean "SecurityContext"?',
    );
    expect(messageOf(() => compilePipeline({ kind: 'Pipeline', steps: [{ kind: 'Nothing' }] }, FUNCTIONS, 'p.yaml'))).toBe(
      `steps[0].kind: p.yaml: no function has kind "Nothing" (kinds: ${KINDS})`,
    );
  });

  it('in a functionConfig or a config file, where a Pipeline may stand too', () => {
    expect(messageOf(() => stepsFromFunctionConfig(withFunctionConfig('Pipelin'), FUNCTIONS))).toBe(
      'functionConfig.kind: no function has kind "Pipelin" — did you mean "Pipeline"?',
    );
    expect(messageOf(() => stepsFromFunctionConfig(withFunctionConfig('Nothing'), FUNCTIONS))).toBe(
      `functionConfig.kind: no function has kind "Nothing" (kinds: ${KINDS}, Pipeline)`,
    );
    expect(messageOf(() => compileConfig({ kind: 'Reloadr' }, FUNCTIONS, 'c.yaml'))).toBe('kind: c.yaml: no function has kind "Reloadr" — did you mean "Reloader"?');
  });

  it('a name no function has: the nearest name, else every name', () => {
    const configMap = (name: string): ReturnType<typeof readInput> =>
      readInput(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig: {apiVersion: v1, kind: ConfigMap, data: {function: ${name}}}\n`);
    expect(messageOf(() => stepsFromFunctionConfig(configMap('reloadr'), FUNCTIONS))).toBe('functionConfig.data.function: no function named "reloadr" — did you mean "reloader"?');
    expect(messageOf(() => stepsFromFunctionConfig(configMap('nothing-at-all'), FUNCTIONS))).toContain(`(functions: ${FUNCTIONS.map((fn) => fn.name).join(', ')})`);
  });
});
