// `npm run demo` decides whether to run `npm ci` by comparing npm's hidden lockfile with package-lock.json.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeModulesProblem } from '../../../scripts/demo.mjs';

describe('demo: are the npm dependencies installed?', () => {
  let root: string;
  const lock = {
    lockfileVersion: 3,
    packages: {
      '': { name: 'x', version: '1.0.0' },
      'node_modules/ws': { version: '8.18.0' },
      'node_modules/@esbuild/darwin-arm64': { version: '0.25.0', optional: true },
    },
  };
  const write = (file: string, value: unknown) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), JSON.stringify(value));
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-demo-test-'));
    write('package-lock.json', lock);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reports a fresh clone (no node_modules)', () => {
    assert.equal(nodeModulesProblem(root), 'node_modules is missing');
  });

  it('accepts node_modules installed from the lockfile, without other platforms\' optional packages', () => {
    write('node_modules/.package-lock.json', { packages: { 'node_modules/ws': { version: '8.18.0' } } });
    assert.equal(nodeModulesProblem(root), undefined);
  });

  it('reports a package missing or at another version than the lockfile', () => {
    write('node_modules/.package-lock.json', { packages: { 'node_modules/ws': { version: '8.17.1' } } });
    assert.equal(nodeModulesProblem(root), 'node_modules/ws is not installed at 8.18.0');
    write('node_modules/.package-lock.json', { packages: {} });
    assert.equal(nodeModulesProblem(root), 'node_modules/ws is not installed at 8.18.0');
  });

  it('finds this repository\'s node_modules in step with its lockfile', () => {
    assert.equal(nodeModulesProblem(), undefined);
  });
});
