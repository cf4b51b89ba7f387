/**
 * What is generated from the functions' option declarations stays in step with them: the option
 * table of every function README and the JSON Schemas in schemas/ (`npm run docs` writes both),
 * and the overlays validate against the Pipeline schema their first line names.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFunctions } from '../../functions/index.js';
import type { AnyKrmFunction } from '../../krm/function/function.js';
import { functionSchemaDocument, pipelineSchemaDocument } from '../../krm/function/json-schema.js';
import { generatedFiles } from '../../scripts/docs/generate.js';
import { optionTable, TABLE_BEGIN, TABLE_END } from '../../scripts/docs/option-tables.js';
import { schemaFor } from '../../cli/schema.js';

const ROOT = join(import.meta.dirname, '..', '..');
const STALE = 'is stale: run `npm run docs` and commit the result';

let functions: AnyKrmFunction[] = [];
let files = new Map<string, string>();
beforeAll(async () => {
  functions = [...(await loadFunctions())];
  files = await generatedFiles(ROOT);
});

const ajv = (): Ajv => new Ajv({ strict: true, allErrors: true });

describe('generated files', () => {
  it('every README option table and every schema in schemas/ is what `npm run docs` writes', () => {
    expect(files.size).toBe(functions.length * 2 + 1);
    for (const [path, text] of files) expect(readFileSync(join(ROOT, path), 'utf8'), `${path} ${STALE}`).toBe(text);
    const schemas = readdirSync(join(ROOT, 'schemas')).map((name) => join('schemas', name));
    expect(schemas.filter((path) => !files.has(path)), `schemas/ holds files npm run docs does not write`).toEqual([]);
  });

  it('a README table names every option, its type, default and meaning, the common ones last', () => {
    const table = optionTable(functions.find((fn) => fn.name === 'security-context')!);
    expect(table).toContain('| `mode` | `fill` \\| `enforce` \\| `audit` | `fill` | `fill`: set only what is absent');
    expect(table).toContain('| `writableTmp` | boolean | `false` |');
    expect(table).toContain('| `runAsUser` | integer ≥ 0 | restricted: `65532` |');
    expect(table.split('\n').at(-1)).toMatch(/^\| `podTemplateKinds` \|/);
    for (const fn of functions) {
      const readme = readFileSync(join(ROOT, 'functions', fn.name, 'README.md'), 'utf8');
      expect(readme.split(TABLE_BEGIN)).toHaveLength(2);
      for (const name of Object.keys(fn.options)) expect(readme, `${fn.name}: ${name}`).toContain(`| \`${name}\` |`);
      expect(readme.indexOf(TABLE_END)).toBeGreaterThan(readme.indexOf(TABLE_BEGIN));
    }
  });
});

describe('JSON Schema', () => {
  it('is a valid draft-07 schema for every function and for a Pipeline', () => {
    for (const fn of functions) expect(() => ajv().compile(functionSchemaDocument(fn)), fn.name).not.toThrow();
    expect(() => ajv().compile(pipelineSchemaDocument(functions))).not.toThrow();
  });

  it('accepts each function help example and rejects an unknown option or a word outside an enum', () => {
    for (const fn of functions) {
      const validate = ajv().compile(functionSchemaDocument(fn));
      expect(validate(load(fn.example)), `${fn.name} example: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(validate({ kind: fn.kind, selct: [] }), fn.name).toBe(false);
    }
    const securityContext = ajv().compile(functionSchemaDocument(functions.find((fn) => fn.kind === 'SecurityContext')!));
    expect(securityContext({ kind: 'SecurityContext', mode: 'enforce', runAsUser: 1000 })).toBe(true);
    expect(securityContext({ kind: 'SecurityContext', mode: 'enforced' })).toBe(false);
    expect(securityContext({ kind: 'SecurityContext', runAsUser: -1 })).toBe(false);
    expect(securityContext({ kind: 'Resources' })).toBe(false);
  });

  it('every overlay names the Pipeline schema on its first line and validates against it', () => {
    const validate = ajv().compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'pipeline.schema.json'), 'utf8')));
    const overlays = readdirSync(join(ROOT, 'overlays'), { withFileTypes: true }).filter((entry) => entry.isDirectory() && readdirSync(join(ROOT, 'overlays', entry.name)).includes('pipeline.yaml'));
    expect(overlays.map((entry) => entry.name).sort()).toEqual(['dev', 'prod']);
    for (const { name } of overlays) {
      const text = readFileSync(join(ROOT, 'overlays', name, 'pipeline.yaml'), 'utf8');
      expect(text.split('\n')[0], name).toBe('# yaml-language-server: $schema=../../schemas/pipeline.schema.json');
      expect(validate(load(text)), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(validate({ kind: 'Pipeline', steps: [{ kind: 'SecurityContext', profile: 'strict' }] })).toBe(false);
    expect(validate({ kind: 'Pipeline', steps: [{ kind: 'NoSuchFunction' }] })).toBe(false);
  });

  it('`krmkit schema` prints a function config by kind or name, a Pipeline without one, and suggests a near kind', () => {
    expect(schemaFor(functions, 'SecurityContext')).toBe(files.get(join('schemas', 'security-context.schema.json')));
    expect(schemaFor(functions, 'security-context')).toBe(schemaFor(functions, 'SecurityContext'));
    expect(schemaFor(functions, undefined)).toBe(files.get(join('schemas', 'pipeline.schema.json')));
    expect(() => schemaFor(functions, 'SecurityContxt')).toThrow('no function has kind or name "SecurityContxt" — did you mean "SecurityContext"?');
    expect(() => schemaFor(functions, 'zzz')).toThrow(/\(kinds: SecurityContext, /);
  });
});
