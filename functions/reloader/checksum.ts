import { createRequire } from 'node:module';
import { describeValue } from '../../krm/base/messages.js';
import type { Path } from '../../krm/base/path.js';
import type { Resource } from '../../krm/model/resource.js';
import { optionalMap } from '../../krm/model/shape.js';
import type { ReferencedKind } from './references.js';

/** Bun's native hasher, when running under Bun (the single executables). */
declare const Bun: { CryptoHasher: new (algorithm: 'sha256') => { update(data: string): { digest(encoding: 'hex'): string } } } | undefined;

/**
 * The sha256 (hex) of a string. Under Bun with its native hasher: there, loading node:crypto
 * also loads the stream modules, ~4 ms of a ~70 ms post-renderer run (bench/profile.mjs).
 * Under Node, node:crypto is loaded on first use, not with the module (`getBuiltinModule` is
 * Node ≥ 20.16; `require` for older ones). Same digest either way.
 */
function sha256Hex(data: string): string {
  if (typeof Bun !== 'undefined') return new Bun.CryptoHasher('sha256').update(data).digest('hex');
  const crypto = typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('node:crypto') : (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Pod-template annotations krmkit owns in checksum mode: `checksum.krmkit.dev/configmap-<name>`. */
export const CHECKSUM_PREFIX = 'checksum.krmkit.dev/';

/** The name part of an annotation key may be at most 63 characters. */
const MAX_NAME_PART = 63;

/** `checksum.krmkit.dev/configmap-app-config`; long object names are shortened and made unique by a hash. */
export function checksumAnnotation(kind: ReferencedKind, name: string): string {
  const label = `${kind === 'ConfigMap' ? 'configmap' : 'secret'}-`;
  const full = `${label}${name}`;
  if (full.length <= MAX_NAME_PART) return `${CHECKSUM_PREFIX}${full}`;
  const suffix = sha256Hex(name).slice(0, 10);
  const kept = name.slice(0, MAX_NAME_PART - label.length - suffix.length - 1);
  return `${CHECKSUM_PREFIX}${label}${kept}-${suffix}`;
}

/** Whether an annotation key is one of krmkit's checksums (and so may be rewritten or removed). */
export function isChecksumAnnotation(key: string): boolean {
  return key.startsWith(`${CHECKSUM_PREFIX}configmap-`) || key.startsWith(`${CHECKSUM_PREFIX}secret-`);
}

/**
 * The sha256 (hex) of what a ConfigMap or Secret puts into a pod: each key and its bytes.
 * It is computed from a canonical form — keys sorted, values as bytes — so re-indenting the
 * YAML, reordering keys, re-wrapping base64 or switching quoting styles do not change it,
 * while any change of a key or a byte of a value does. The bytes are what the pod sees:
 * ConfigMap `data` (UTF-8) and `binaryData` (base64-decoded); Secret `data` (base64-decoded)
 * overlaid by `stringData` (UTF-8), as the API server merges them.
 */
export function contentChecksum(resource: Resource): string {
  const content = new Map<string, Buffer>();
  const read = (field: string, encoding: 'text' | 'base64'): void => {
    const path = [field];
    const entries = optionalMap(resource, path, resource.object[field]) ?? {};
    for (const [key, value] of Object.entries(entries)) content.set(key, bytesOf(resource, [field, key], value, encoding));
  };
  if (resource.kind === 'Secret') {
    read('data', 'base64');
    read('stringData', 'text');
  } else {
    read('data', 'text');
    read('binaryData', 'base64');
  }
  const canonical = [...content.keys()].sort().map((key) => [key, (content.get(key) as Buffer).toString('base64')]);
  return sha256Hex(JSON.stringify(canonical));
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function bytesOf(resource: Resource, path: Path, value: unknown, encoding: 'text' | 'base64'): Buffer {
  // `key:` with nothing after it reads as null; the API server stores it as "".
  if (value === null) return Buffer.alloc(0);
  if (typeof value !== 'string') throw resource.errorAt(path, `expected a string, got ${describeValue(value)}`);
  if (encoding === 'text') return Buffer.from(value, 'utf8');
  const compact = value.replace(/\s+/g, '');
  if (!BASE64.test(compact)) throw resource.errorAt(path, 'expected base64-encoded data');
  return Buffer.from(compact, 'base64');
}
