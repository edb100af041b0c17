#!/usr/bin/env node
// `npm run package`: a production .vsix (vsce runs "vscode:prepublish", i.e. `node esbuild.js --production`).
// Fails when vsce prints any warning, or when the .vsix holds a file the extension does not need or lacks one it
// does. `--out FILE` (default .artifacts/<name>-<version>.vsix).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, isMain } from './vscode-server.mjs';

/** Every file a .vsix of this extension may hold (paths inside the zip); the first group must all be there. */
export const REQUIRED_VSIX_FILES = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/readme.md',
  'extension/LICENSE.txt',
  'extension/dist/extension.js',
  'extension/dist/localcolony-embedded.js',
  'extension/dist/media/chat.js',
  'extension/dist/media/chat.css',
  'extension/dist/media/graph.js',
  'extension/dist/media/graph.css',
  'extension/media/icon.png',
  'extension/media/colonyos.svg',
];
const ALLOWED_VSIX_FILES = [...REQUIRED_VSIX_FILES.map((f) => new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)),
  /^extension\/media\/schemas\/editor\/[a-z]+\.schema\.json$/,
  /^extension\/media\/walkthrough\/[a-z]+\.(md|svg)$/];

/**
 * Problems with a list of packaged files (zip entry names, or vsce's listFiles paths prefixed with "extension/"):
 * unexpected files (sources, tests, node_modules, source maps, ...) and missing required files.
 */
export function vsixContentProblems(rawNames) {
  const names = rawNames.map(vsixName);
  const problems = names.filter((n) => !ALLOWED_VSIX_FILES.some((re) => re.test(n))).map((n) => `unexpected file: ${n}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const schemas = (manifest.contributes?.jsonValidation ?? []).map((v) => `extension/${path.posix.normalize(v.url)}`);
  const required = [...REQUIRED_VSIX_FILES, ...schemas];
  const requiredHere = names.some((n) => n.startsWith('[') || n.endsWith('.vsixmanifest')) ? required : required.filter((f) => f.startsWith('extension/'));
  for (const f of requiredHere) if (!names.includes(f)) problems.push(`missing file: ${f}`);
  return problems;
}

/** The name vsce gives a source file inside the .vsix (it renames the readme and the license). */
function vsixName(name) {
  if (/^extension\/readme\.md$/i.test(name)) return 'extension/readme.md';
  if (/^extension\/license(\.txt)?$/i.test(name)) return 'extension/LICENSE.txt';
  return name;
}

/** The entry names of a zip file, from its central directory (a .vsix is a plain zip; no dependency needed). */
export function zipEntryNames(file) {
  const buf = fs.readFileSync(file);
  // End of central directory record: signature 0x06054b50, at most 64 KiB of comment after it.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file (no end of central directory record)`);
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${file}: corrupt central directory entry ${i}`);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    names.push(buf.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names.filter((n) => !n.endsWith('/'));
}

function runVsce(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['--no-install', 'vsce', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d) => {
      out += d;
      process.stderr.write(d);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`vsce ${args.join(' ')} exited with ${code}`))));
  });
}

/** Packages the extension into `out`; throws on vsce warnings or unexpected contents. Returns the entry names. */
export async function packageExtension(out) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.rmSync(out, { force: true });
  const log = await runVsce(['package', '--no-dependencies', '--out', out]);
  // vsce's warnings start with "WARNING" (after colour codes); npm's own "npm warn" config chatter is not ours.
  const warnings = log.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, '')).filter((l) => /^\s*WARNING\b/.test(l));
  if (warnings.length > 0) throw new Error(`vsce printed warnings:\n${warnings.join('\n')}`);
  const names = zipEntryNames(out);
  const problems = vsixContentProblems(names);
  if (problems.length > 0) throw new Error(`${out} does not hold exactly what the extension needs:\n  ${problems.join('\n  ')}`);
  return names;
}

async function main(argv) {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const i = argv.indexOf('--out');
  const out = path.resolve(i >= 0 && argv[i + 1] ? argv[i + 1] : path.join(REPO_ROOT, '.artifacts', `${manifest.name}-${manifest.version}.vsix`));
  const names = await packageExtension(out);
  const size = (fs.statSync(out).size / 1024).toFixed(0);
  process.stdout.write(`${out} (${names.length} files, ${size} KiB): contents checked, no vsce warnings\n`);
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`package: ${err.message}\n`);
    process.exit(1);
  });
}
