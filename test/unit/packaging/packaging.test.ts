// Packaging: what `npm run package` puts in the .vsix (vsce's own file list, no build needed) and the manifest
// fields the Marketplace and vsce check. The real .vsix is checked the same way by scripts/package.mjs in npm test.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REQUIRED_VSIX_FILES, vsixContentProblems, zipEntryNames } from '../../../scripts/package.mjs';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

interface Vsce {
  listFiles(options: { cwd: string; dependencies: boolean }): Promise<string[]>;
}

/** The files vsce would package, named as inside the .vsix. */
async function packagedFiles(): Promise<string[]> {
  // @vscode/vsce ships no type declarations; listFiles is its documented API.
  const vsce = require('@vscode/vsce') as Vsce;
  const files = await vsce.listFiles({ cwd: ROOT, dependencies: false });
  return files.map((f) => `extension/${f.split(path.sep).join('/')}`);
}

function pngSize(file: string): { width: number; height: number } {
  const buf = fs.readFileSync(file);
  assert.equal(buf.subarray(1, 4).toString('latin1'), 'PNG', `${file} is not a PNG`);
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe('packaging (.vsix contents and manifest)', function () {
  this.timeout(60_000);

  it('packages only the bundles, media, README, LICENSE and package.json', async () => {
    // The packaged list names the built bundles; build them when this runs on a fresh clone.
    if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) execFileSync(process.execPath, ['esbuild.js'], { cwd: ROOT });
    const files = await packagedFiles();
    assert.deepEqual(vsixContentProblems(files), []);
    for (const f of files) {
      assert.doesNotMatch(f, /^extension\/(src|test|scripts|bench|node_modules|out|\.ci|\.artifacts)\//, f);
      assert.doesNotMatch(f, /\.(map|ts)$/, f);
    }
  });

  it('flags sources, tests, node_modules, source maps and missing bundles', () => {
    const good = REQUIRED_VSIX_FILES.concat(manifest.contributes.jsonValidation.map((v: { url: string }) => `extension/${path.posix.normalize(v.url)}`));
    assert.deepEqual(vsixContentProblems(good), []);
    const bad = good.filter((f) => f !== 'extension/dist/extension.js').concat(
      'extension/src/extension.ts', 'extension/test/e2e/chat.test.ts', 'extension/node_modules/ws/index.js',
      'extension/dist/extension.js.map', 'extension/dist/localcolony.js',
    );
    assert.deepEqual(vsixContentProblems(bad), [
      'unexpected file: extension/src/extension.ts',
      'unexpected file: extension/test/e2e/chat.test.ts',
      'unexpected file: extension/node_modules/ws/index.js',
      'unexpected file: extension/dist/extension.js.map',
      'unexpected file: extension/dist/localcolony.js',
      'missing file: extension/dist/extension.js',
    ]);
  });

  it('reads the entry names of a zip file', () => {
    // A stored (uncompressed) zip with one file, "a/b.txt", built byte by byte.
    const name = Buffer.from('a/b.txt');
    const data = Buffer.from('hi');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    const centralOffset = local.length + name.length + data.length;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + name.length, 12);
    end.writeUInt32LE(centralOffset, 16);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-zip-'));
    try {
      const file = path.join(dir, 't.zip');
      fs.writeFileSync(file, Buffer.concat([local, name, data, central, name, end]));
      assert.deepEqual(zipEntryNames(file), ['a/b.txt']);
      fs.writeFileSync(file, 'not a zip at all, just some text that is long enough');
      assert.throws(() => zipEntryNames(file), /not a zip file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the production bundle before packaging and skips dependency bundling', () => {
    assert.equal(manifest.scripts['vscode:prepublish'], 'node esbuild.js --production');
    assert.equal(manifest.scripts.package, 'node scripts/package.mjs');
    // Dependencies are bundled into dist/extension.js; vsce must not try to add node_modules.
    assert.match(fs.readFileSync(path.join(ROOT, 'scripts', 'package.mjs'), 'utf8'), /'--no-dependencies'/);
  });

  it('has the manifest fields the Marketplace shows and vsce checks', () => {
    for (const field of ['name', 'displayName', 'description', 'version', 'publisher', 'license']) {
      assert.ok(typeof manifest[field] === 'string' && manifest[field].length > 0, `package.json needs "${field}"`);
    }
    assert.match(manifest.repository?.url ?? '', /^https:\/\//, 'repository.url must be an https URL (vsce rewrites README links with it)');
    assert.ok(fs.existsSync(path.join(ROOT, 'LICENSE')), 'LICENSE file missing');
    assert.ok(fs.existsSync(path.join(ROOT, 'README.md')), 'README.md missing');
    assert.ok(Array.isArray(manifest.categories) && manifest.categories.length > 0, 'categories missing');
    assert.ok(Array.isArray(manifest.keywords) && manifest.keywords.length > 0 && manifest.keywords.length <= 30, 'keywords: 1 to 30');
    const icon = pngSize(path.join(ROOT, manifest.icon));
    assert.ok(icon.width >= 128 && icon.height >= 128, `icon is ${icon.width}x${icon.height}; the Marketplace needs at least 128x128`);
  });

  it('keeps README images on https (vsce refuses http and SVG images from untrusted hosts)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g), ...readme.matchAll(/<img[^>]+src="([^"]+)"/g)].map((m) => m[1]);
    for (const src of images) {
      assert.doesNotMatch(src, /^http:/, `README image over http: ${src}`);
      assert.doesNotMatch(src, /\.svg(\?|$)/i, `README SVG image: ${src}`);
    }
  });
});
