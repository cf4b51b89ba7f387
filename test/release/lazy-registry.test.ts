/**
 * The start-up path loads only the functions a config uses (cli/invocation/lazy-registry.ts), and
 * falls back to all of them whenever the config leaves that open, so error messages and
 * suggestions stay what they were.
 */
import { describe, expect, it } from 'vitest';
import { registryFor } from '../../cli/invocation/lazy-registry.js';
import { FUNCTION_CATALOG, loadFunctions } from '../../functions/index.js';

const ALL = FUNCTION_CATALOG.map((entry) => entry.name);
const names = async (config: unknown, fallback?: string): Promise<string[]> => (await registryFor(config, fallback)).map((fn) => fn.name);

describe('the lazy function registry', () => {
  it('lists each function once, under the name and kind its code declares', async () => {
    const loaded = await loadFunctions();
    expect(loaded.map((fn) => [fn.name, fn.kind])).toEqual(FUNCTION_CATALOG.map((entry) => [entry.name, entry.kind]));
    expect(new Set(ALL).size).toBe(ALL.length);
  });

  it('loads only the kinds a Pipeline names', async () => {
    expect(await names({ kind: 'Pipeline', steps: [{ kind: 'Reloader' }, { kind: 'SecurityContext' }] })).toEqual(['security-context', 'reloader']);
    expect(await names({ kind: 'Pipeline', steps: [] })).toEqual([]);
  });

  it('loads only a typed config’s function, a ConfigMap’s data.function, or the fallback', async () => {
    expect(await names({ kind: 'AntiAffinity' })).toEqual(['anti-affinity']);
    expect(await names({ kind: 'ConfigMap', data: { function: 'inject-env' } })).toEqual(['inject-env']);
    expect(await names({ kind: 'ConfigMap', data: {} }, 'reloader')).toEqual(['reloader']);
    expect(await names(undefined, 'network-policy')).toEqual(['network-policy']);
  });

  it('loads every function when the config names an unknown one or has another shape', async () => {
    expect(await names({ kind: 'Pipeline', steps: [{ kind: 'SecurityContex' }] })).toEqual(ALL);
    expect(await names({ kind: 'Pipeline', steps: [{ profile: 'restricted' }] })).toEqual(ALL);
    expect(await names({ kind: 'Pipeline', steps: 'all' })).toEqual(ALL);
    expect(await names(['not', 'a', 'map'])).toEqual(ALL);
    expect(await names({ kind: 'ConfigMap', data: { function: 'nope' } })).toEqual(ALL);
  });
});
