// Builds the extension (Node/CommonJS, `vscode` external), the webview script (browser),
// and the standalone local colony / demo executor entry points.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Options shared by every bundle; `prod` minifies and drops source maps. */
const commonFor = (prod) => ({
  bundle: true,
  minify: prod,
  sourcemap: !prod,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
});
const common = commonFor(production);

/** A Node/CommonJS bundle (the extension, the local colony); also used by bench/extension.ts to measure the bundle. */
const nodeEntry = (entry, outfile, extra = {}, prod = production) => ({
  ...commonFor(prod),
  entryPoints: [entry],
  outfile,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  // ws optionally requires native accelerators; the pure-JS fallback is what we want in a bundle.
  external: ['vscode', 'bufferutil', 'utf-8-validate'],
  // jsonc-parser's "main" is a UMD build with runtime requires esbuild cannot follow; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  ...extra,
});

const builds = [
  nodeEntry('src/extension.ts', 'dist/extension.js'),
  nodeEntry('src/localcolony/main.ts', 'dist/localcolony.js'),
  // Loaded by the extension only on "Start Local Colony" (see src/connection/localColonyController.ts).
  nodeEntry('src/localcolony/embedded.ts', 'dist/localcolony-embedded.js'),
  nodeEntry('src/localcolony/executors/main.ts', 'dist/executor.js'),
  {
    ...common,
    entryPoints: ['media/chat/main.ts'],
    outfile: 'dist/media/chat.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    ...common,
    entryPoints: ['media/graph/main.ts'],
    outfile: 'dist/media/graph.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  // The webview stylesheets ship next to their scripts (localResourceRoots stays dist/media); each @imports the base
  // both share (media/shared/base.css), which esbuild inlines.
  ...['chat', 'graph'].map((name) => ({ ...common, sourcemap: false, entryPoints: [`media/${name}/${name}.css`], outfile: `dist/media/${name}.css` })),
].filter((b) => fs.existsSync(path.join(__dirname, b.entryPoints[0])));

async function main() {
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

module.exports = { nodeEntry };

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
