// Bundles the extension-host test tier into out/test/host/ (same layout as test/host/): the suite index and every
// *.test.ts become CommonJS files that the real extension host loads. `vscode` is provided by the host and mocha is
// resolved from node_modules at run time (mocha loads its reporters and interfaces dynamically).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './vscode-server.mjs';

const SOURCE_DIR = path.join(REPO_ROOT, 'test', 'host');
const OUT_DIR = path.join(REPO_ROOT, 'out', 'test', 'host');

function entryPoints(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entryPoints(full);
    return entry.name.endsWith('.test.ts') || full === path.join(SOURCE_DIR, 'suite', 'index.ts') ? [full] : [];
  });
}

fs.rmSync(OUT_DIR, { recursive: true, force: true });
await esbuild.build({
  entryPoints: entryPoints(SOURCE_DIR),
  outbase: SOURCE_DIR,
  outdir: OUT_DIR,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: 'inline',
  external: ['vscode', 'mocha', 'bufferutil', 'utf-8-validate'],
  logLevel: 'warning',
});
