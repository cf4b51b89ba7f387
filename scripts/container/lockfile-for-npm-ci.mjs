// Writes a copy of package-lock.json that `npm ci` accepts when the lockfile was resolved
// against a registry mirror missing some platform-specific optional packages (this
// machine's: rollup's @rollup/rollup-<platform> binaries for other platforms are absent, so
// `npm install` leaves them out of the lockfile and `npm ci` then refuses it as out of sync).
// It drops only optionalDependencies edges that have no entry in the lockfile — packages npm
// would skip on this platform anyway — and changes nothing else. Used for the local image
// build context only; the repository's lockfile is left alone.
// Usage: node lockfile-for-npm-ci.mjs <in package-lock.json> <out package-lock.json>
import { readFileSync, writeFileSync } from 'node:fs';

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: node lockfile-for-npm-ci.mjs <in> <out>');
  process.exit(2);
}
const lock = JSON.parse(readFileSync(from, 'utf8'));
const packages = lock.packages ?? {};

// Node's resolution: node_modules/<name> next to the package, then in each enclosing folder.
function resolves(fromPath, name) {
  let dir = fromPath;
  for (;;) {
    if (packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (!dir) return false;
    const parent = dir.lastIndexOf('/node_modules/');
    dir = parent === -1 ? '' : dir.slice(0, parent);
  }
}

const dropped = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const name of Object.keys(entry.optionalDependencies ?? {})) {
    if (!resolves(path, name)) {
      delete entry.optionalDependencies[name];
      dropped.push(name);
    }
  }
}
writeFileSync(to, `${JSON.stringify(lock, null, 2)}\n`);
if (dropped.length > 0) console.error(`lockfile-for-npm-ci: dropped ${dropped.length} unresolvable optional dependencies (${dropped.slice(0, 3).join(', ')}${dropped.length > 3 ? ', …' : ''})`);
