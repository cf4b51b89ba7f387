/** The naming and namespace rules every generated object follows (issue 17). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatedMetadata, generatedName, labelValue, MANAGED_BY_LABEL } from '../../krm/model/generated-object.js';

const runs = Number(process.env.KRMKIT_PROPERTY_RUNS ?? 150);
const DNS_SUBDOMAIN = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

describe('generatedName', () => {
  it('joins the served name and the purpose', () => {
    expect(generatedName('demo-frontend', 'netpol')).toBe('demo-frontend-netpol');
    expect(generatedName('Web_App', 'pdb')).toBe('web-app-pdb');
  });

  it('shortens long names with a hash, within the limit, the same on every run', () => {
    const long = 'a'.repeat(300);
    const name = generatedName(long, 'netpol');
    expect(long.length).toBeGreaterThan(253);
    expect(name.length).toBeLessThanOrEqual(253);
    expect(name).toMatch(/-[0-9a-f]{8}$/);
    expect(generatedName(long, 'netpol')).toBe(name);
    expect(generatedName('x'.repeat(80), 'pdb', 63).length).toBeLessThanOrEqual(63);
  });

  it('never cuts two distinct long names into one', () => {
    const prefix = 'w'.repeat(260);
    const names = fc.sample(fc.stringMatching(/^[a-z0-9]{1,12}$/), 200).map((suffix) => [suffix, generatedName(`${prefix}${suffix}`, 'netpol')] as const);
    const bySource = new Map(names);
    expect(new Set(bySource.values()).size).toBe(bySource.size);
  });

  it('is always a valid DNS subdomain within maxLength', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 30 }), fc.integer({ min: 20, max: 253 }), (served, purpose, max) => {
        const name = generatedName(served, purpose, max);
        expect(name.length).toBeLessThanOrEqual(max);
        expect(name).toMatch(DNS_SUBDOMAIN);
      }),
      { numRuns: runs },
    );
  });
});

describe('labelValue', () => {
  it('keeps short values and shortens long ones to 63', () => {
    expect(labelValue('default-deny')).toBe('default-deny');
    expect(labelValue('f'.repeat(100)).length).toBe(63);
  });
});

describe('generatedMetadata', () => {
  it('inherits the namespace when the served object has one', () => {
    const served = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' } };
    expect(generatedMetadata(served, 'api-netpol')).toEqual({ name: 'api-netpol', namespace: 'shop', labels: { [MANAGED_BY_LABEL]: 'krmkit' } });
  });

  it('has no namespace when the served object has none (the release namespace decides for both)', () => {
    const served = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' } };
    const metadata = generatedMetadata(served, 'api-netpol', { 'krmkit.dev/rule': 'workload' });
    expect('namespace' in metadata).toBe(false);
    expect(Object.keys(metadata)).toEqual(['name', 'labels']);
    expect(metadata.labels).toEqual({ [MANAGED_BY_LABEL]: 'krmkit', 'krmkit.dev/rule': 'workload' });
  });
});
