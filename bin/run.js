#!/usr/bin/env node
// pe-trace command-line entry point: loads the bundled CLI (dist/bundle, see scripts/bundle.js) and hands argv to oclif.
'use strict';
// CommonJS (bin/package.json), like the bundle: an ES module entry costs Node ~8 ms of loader start-up, and only
// CommonJS code can be compiled with V8's code cache on Node 20. Start-up matters: `pe-trace verify` of a large
// artifact is compared with `openssl dgst` (bench/verify-large.js), and every test spawns this file.
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join, sep } = require('node:path');
const vm = require('node:vm');

const root = join(__dirname, '..');
const bundleDir = join(root, 'dist', 'bundle') + sep;

/**
 * Compiles dist/bundle's files with the V8 code cache that scripts/code-cache.js writes beside each of them
 * (`<file>.<bundle id>.v8cache`, the id being a hash of the file, in its last line), which skips most parsing and
 * compiling (~35 ms of `verify`'s start-up). V8 checks the cache against its own version and flags and compiles from
 * source when it does not match; a missing cache or any other file is compiled the ordinary way. With
 * PE_TRACE_WRITE_CODE_CACHE=1 the caches are written at exit instead.
 */
function useCodeCache() {
  const compile = Module.prototype._compile;
  if (typeof compile !== 'function' || typeof Module.wrap !== 'function') return;
  const write = process.env.PE_TRACE_WRITE_CODE_CACHE === '1';
  const compiled = [];
  Module.prototype._compile = function compileWithCache(content, filename, ...rest) {
    const id = filename.startsWith(bundleDir) ? /\/\* pe-trace bundle ([0-9a-f]{16}) \*\/\s*(?:\/\/# sourceMappingURL=\S*\s*)?$/.exec(content.slice(-200))?.[1] : undefined;
    if (id === undefined) return compile.call(this, content, filename, ...rest);
    const cacheFile = `${filename}.${id}.v8cache`;
    let cachedData;
    if (!write) {
      try {
        cachedData = readFileSync(cacheFile);
      } catch {
        // no cache: compile from source
      }
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (write) compiled.push({ script, cacheFile });
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, dirname(filename));
  };
  if (write) process.once('exit', () => compiled.forEach(({ script, cacheFile }) => writeFileSync(cacheFile, script.createCachedData())));
}

// Code compiled through node:vm cannot call import() on Node 20 (with a code cache it throws), so the bundle's dynamic
// imports come here (scripts/bundle-shims.js): this file is compiled by Node and resolves from the package root.
globalThis[Symbol.for('pe-trace.import')] = (specifier) => import(specifier);
useCodeCache();
let oclif;
try {
  oclif = require('../dist/bundle/oclif.cjs');
} catch (e) {
  if (e?.code !== 'MODULE_NOT_FOUND' || !String(e.message).includes('oclif.cjs')) throw e;
  process.stderr.write('error: pe-trace is not built (dist/bundle/ is missing): run `npm run build`\n');
  process.exit(1);
}
// The commands are the bundled JavaScript: never look for a tsconfig or a TypeScript loader. And the package.json
// read here spares oclif looking for the package root and reading it again.
oclif.settings.enableAutoTranspile = false;
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
void oclif.execute({ loadOptions: { root, pjson } });
