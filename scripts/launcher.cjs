// krmkit launcher. The bundle below is compiled through V8's code cache (dist/krmkit.cache,
// written by the build), which roughly halves start-up: a Helm post-renderer runs on every
// `helm upgrade`. Without a usable cache (another Node version) it is compiled normally.
'use strict';
const { readFileSync } = require('node:fs');
const { Script } = require('node:vm');
const { join } = require('node:path');
const bundleName = join(__dirname, 'krmkit.bundle.cjs');
const cacheFile = join(__dirname, 'krmkit.cache');
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${BUNDLE}\n})`, {
  filename: bundleName,
  cachedData,
});
if (process.env.KRMKIT_WRITE_CODE_CACHE === '1') {
  process.once('exit', () => require('node:fs').writeFileSync(cacheFile, script.createCachedData()));
}
const bundleModule = { exports: {} };
script.runInThisContext()(bundleModule.exports, require, bundleModule, bundleName, __dirname);
