// Bundles the CLI with esbuild into dist/bundle/: oclif.cjs (the oclif runtime) and one self-contained file per command.
// Why: `node bin/run.js` spent most of its start-up resolving and compiling hundreds of small modules (@oclif/core's
// CommonJS files, our ESM graph). CommonJS, not ESM, so that bin/run.js can compile the files with V8's code cache
// (scripts/code-cache.js); Node 20 has no code cache for ES modules. Every package in `dependencies` except
// @oclif/core stays external, so the heavy ones are still loaded on first use (src/lazy.ts, dynamic import()).
// Only dist/bundle/ is replaced: dist/src and dist/commands (tsc's output) are left alone.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
/** Where src/ and commands/ really are (esbuild hands plugins resolved paths). */
const sourceRoot = dirname(realpathSync(join(root, 'src')));

/** What commands may import from '@oclif/core', each from its own entry of the package's `exports` map. */
const OCLIF_EXPORTS = {
  Args: "require('@oclif/core/args')",
  Command: "require('@oclif/core/command').Command",
  Errors: "require('@oclif/core/errors')",
  Flags: "require('@oclif/core/flags')",
  execute: "require('@oclif/core/execute').execute",
  Help: "require('@oclif/core/help').Help",
  settings: "require('@oclif/core/settings').settings",
  ux: "require('@oclif/core/ux').ux",
};

/**
 * Edits to @oclif/core's files as they are bundled, each measured to cut start-up, none changing behaviour. A pattern
 * that stops matching (an oclif upgrade) only costs speed, so the build warns instead of failing.
 */
const OCLIF_EDITS = [
  {
    // Dependencies a run rarely needs (globbing for command discovery without a manifest, help templates, spinners,
    // error pretty-printing, rc-file search, stdin prompts, timing marks, Windows shells): their top-level `require`
    // becomes a proxy that requires the module on first property access, so a run that never touches them never
    // evaluates them (~20 ms).
    file: /./,
    pattern: /^const (\w+) = ((?:__importDefault\()?require\("(?:lilconfig|minimatch|tinyglobby|ejs|cli-spinners|clean-stack|indent-string|wrap-ansi|string-width|widest-line|node:child_process|node:perf_hooks|node:readline)"\)\)?);$/gm,
    replace: (_, name, expression) => `const ${name} = __peTraceLazy(() => ${expression});`,
    // Appended, as a hoisted declaration: put first, it would displace the file's "use strict" directive.
    helper: '\nfunction __peTraceLazy(load) { let m; return new Proxy({}, { get: (_, k) => (m ??= load())[k], has: (_, k) => k in (m ??= load()) }); }\n',
    minMatches: 13,
  },
  {
    // Naming the platform needs only is-wsl, not the rest of wsl-utils (child_process, PowerShell helpers).
    file: /[\\/]util[\\/]os\.js$/,
    pattern: /\(await import\('wsl-utils'\)\)\.isWsl/g,
    replace: () => "(await import('is-wsl')).default",
    minMatches: 1,
  },
  {
    // Sorting the plugin's commands with localeCompare initialises ICU collation (~8 ms) for an order nothing shown
    // depends on: help sorts commands and topics again with its own code-point comparison.
    file: /[\\/]config[\\/]plugin\.js$/,
    pattern: /\.sort\(\(a, b\) => a\.id\.localeCompare\(b\.id\)\)/g,
    replace: () => '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))',
    minMatches: 1,
  },
];

/**
 * Code compiled through node:vm with a code cache cannot call import() on Node 20 (bin/run.js), so every dynamic
 * import() is routed to __peTraceImport (scripts/bundle-shims.js): in our sources, those of a package by name (relative
 * ones are bundled); in bundled packages, those of a computed path (oclif's ES module loader, lilconfig's rc files).
 * `typeof import('…')` types are left alone. checkNoDynamicImport() fails the build on any import() left over.
 */
const SOURCE_IMPORT = /(?<![.$\w]|typeof\s*)import\((?=['"][^./'"])/g;
const PACKAGE_IMPORT = /(?<![.$\w])import\((?![)'"])/g;
const LEFTOVER_IMPORT = /(?<![.$\w'"`])import\((?!\))/;

/** A placeholder in each file's footer (not a banner: that would precede "use strict"), replaced by the file's hash. */
const BUNDLE_ID_PLACEHOLDER = '0'.repeat(16);
const FOOTER = `/* pe-trace bundle ${BUNDLE_ID_PLACEHOLDER} */`;

/** Every commands/**\/*.ts file, relative to the package root. */
function commandFiles(dir = 'commands') {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return commandFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [[path]] : [];
  });
}

/**
 * oclif hooks (package.json oclif.hooks names their bundled files): [source, place under dist/bundle/]. Bundled like
 * commands, so they load through bin/run.js's code cache and the shared oclif.cjs.
 */
function hookFiles() {
  return Object.values(pkg.oclif?.hooks ?? {}).flat().map((target) => {
    const name = String(target).replace(/^\.\/dist\/bundle\/hooks\//, '').replace(/\.cjs$/, '');
    return [join('src', 'cli', `${name}.ts`), join('hooks', `${name}.ts`)];
  });
}

/** The source edits above, applied as esbuild loads each file; in oclif's build, warns when an edit matched too rarely. */
function sourceEdits({ bundlesOclif = false } = {}) {
  const matches = new Map(OCLIF_EDITS.map((edit) => [edit, 0]));
  const isOclif = /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]lib[\\/]/;
  return {
    name: 'source-edits',
    setup(b) {
      b.onLoad({ filter: /\.(ts|js|cjs|mjs)$/ }, ({ path }) => {
        const inPackage = path.includes(`${sep}node_modules${sep}`);
        if (inPackage === path.endsWith('.ts')) return undefined;
        let contents = readFileSync(path, 'utf8');
        if (!inPackage) {
          // import.meta.url keeps its value in tsc's build, the file's place under dist/ (see bundle-shims.js), so
          // code that finds files beside itself (shipped assets, the query worker script) still finds them.
          const compiled = relative(sourceRoot, path).split(sep).join('/').replace(/\.ts$/, '.js');
          contents = contents.replace(SOURCE_IMPORT, '__peTraceImport(').replaceAll('import.meta.url', `__peTraceImportMetaUrl(${JSON.stringify(compiled)})`);
          return { contents, loader: 'ts' };
        }
        if (isOclif.test(path)) {
          for (const edit of OCLIF_EDITS.filter((e) => e.file.test(path))) {
            let count = 0;
            const edited = contents.replace(edit.pattern, (...args) => {
              count += 1;
              return edit.replace(...args);
            });
            if (count === 0) continue;
            matches.set(edit, (matches.get(edit) ?? 0) + count);
            contents = edited + (edit.helper ?? '');
          }
        }
        return { contents: contents.replace(PACKAGE_IMPORT, '__peTraceImport('), loader: 'js' };
      });
      b.onEnd(() => {
        if (!bundlesOclif) return;
        for (const [edit, count] of matches) {
          if (count < edit.minMatches) console.warn(`warning: bundle: @oclif/core edit ${edit.pattern} matched ${count} times, expected ${edit.minMatches} (start-up is slower, behaviour unchanged)`);
        }
      });
    },
  };
}

/** In a command's bundle, '@oclif/core' is the shared oclif.cjs; importing a name it does not export fails the build. */
function oclifRuntime(fromFile) {
  let path = relative(dirname(fromFile), join(outdir, 'oclif.cjs')).split(sep).join('/');
  if (!path.startsWith('.')) path = `./${path}`;
  const contents = [`const core = require(${JSON.stringify(path)});`, ...Object.keys(OCLIF_EXPORTS).map((name) => `export const ${name} = core.${name};`)].join('\n');
  return {
    name: 'oclif-runtime',
    setup(b) {
      b.onResolve({ filter: /^@oclif\/core$/ }, () => ({ path: 'oclif-core', namespace: 'pe-trace' }));
      b.onResolve({ filter: /oclif\.cjs$/, namespace: 'pe-trace' }, ({ path: p }) => ({ path: p, external: true }));
      b.onLoad({ filter: /.*/, namespace: 'pe-trace' }, () => ({ contents, loader: 'js' }));
    },
  };
}

function checkNoDynamicImport(path, text) {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => LEFTOVER_IMPORT.test(l));
  if (line < 0) return;
  throw new Error(`bundle: ${relative(root, path)}:${line + 1} calls import() (${lines[line].trim().slice(0, 80)}), which fails under bin/run.js's code cache: route it through __peTraceImport (scripts/bundle-shims.js)`);
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {})
  .filter((name) => name !== '@oclif/core')
  .flatMap((name) => [name, `${name}/*`]);

/** @type {import('esbuild').BuildOptions} */
const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // @oclif/core reads `typescript` only to run .ts sources in development, which a bundled CLI never does.
  external: [...external, 'typescript'],
  inject: [join(root, 'scripts', 'bundle-shims.js')],
  footer: { js: FOOTER },
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  // bundle-shims.js's require(specifier) fallback is meant to stay a runtime require.
  logOverride: { 'unsupported-require-call': 'silent' },
  write: false,
};

const builds = [
  build({
    ...common,
    stdin: {
      contents: Object.entries(OCLIF_EXPORTS).map(([name, expression]) => `exports.${name} = ${expression};`).join('\n'),
      resolveDir: root,
      sourcefile: 'oclif-runtime.js',
      loader: 'js',
    },
    outfile: join(outdir, 'oclif.cjs'),
    plugins: [sourceEdits({ bundlesOclif: true })],
  }),
  ...[...commandFiles(), ...hookFiles()].map(([file, out = file]) => {
    const outfile = join(outdir, out.replace(/\.ts$/, '.cjs'));
    return build({ ...common, entryPoints: [file], outfile, plugins: [oclifRuntime(outfile), sourceEdits()] });
  }),
];

const outputs = (await Promise.all(builds)).flatMap((result) => result.outputFiles).map((file) => {
  if (!file.path.endsWith('.cjs')) return { path: file.path, text: file.text };
  checkNoDynamicImport(file.path, file.text);
  // Same length as the placeholder, so the source map still lines up.
  const id = createHash('sha256').update(file.text).digest('hex').slice(0, BUNDLE_ID_PLACEHOLDER.length);
  if (!file.text.includes(FOOTER)) throw new Error(`bundle: no id placeholder in ${file.path}`);
  return { path: file.path, text: file.text.replace(FOOTER, FOOTER.replace(BUNDLE_ID_PLACEHOLDER, id)) };
});
rmSync(outdir, { recursive: true, force: true });
for (const file of outputs) {
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.text);
}
console.log(`bundled ${outputs.filter((f) => f.path.endsWith('.cjs')).length} files into ${relative(root, outdir)}/`);
