// Static checks of the Get Started walkthrough (package.json contributes.walkthroughs): its media exist and ship,
// its buttons and completion events name commands and context keys the extension has, and the command that opens
// it uses the id VS Code gives it (publisher.name#id).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WALKTHROUGH_ID, walkthroughId } from '../../../src/base/walkthroughId';

const REPO = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const [walkthrough] = manifest.contributes.walkthroughs;
const commands = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));
/** Context keys the extension sets (setContext in src/). */
const contextKeys = new Set(
  [...readSources(path.join(REPO, 'src')).matchAll(/'setContext',\s*'([\w.]+)'/g)].map((m) => m[1]),
);

function readSources(dir: string): string {
  return fs.readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? readSources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? fs.readFileSync(path.join(dir, e.name), 'utf8') : ''))
    .join('\n');
}

describe('packaging: the Get Started walkthrough', () => {
  it('has the four steps: connect, submit, chat, read the tree', () => {
    assert.equal(walkthrough.id, WALKTHROUGH_ID);
    assert.deepEqual(walkthrough.steps.map((s: { id: string }) => s.id), ['connect', 'submit', 'chat', 'tree']);
    assert.equal(walkthroughId(manifest), 'colonyos.colonyos-vscode#gettingStarted');
    assert.ok(commands.has('colonyos.openWalkthrough'));
    assert.equal(manifest.contributes.commands.find((c: { command: string }) => c.command === 'colonyos.openWalkthrough').title, 'Get Started');
  });

  it('media exist under media/walkthrough and are packaged (.vscodeignore)', () => {
    const ignore = fs.readFileSync(path.join(REPO, '.vscodeignore'), 'utf8');
    for (const step of walkthrough.steps) {
      const file: string = step.media.markdown ?? step.media.svg ?? step.media.image;
      assert.match(file, /^media\/walkthrough\/[a-z]+\.(md|svg)$/, step.id);
      assert.ok(fs.existsSync(path.join(REPO, file)), `${file} is missing`);
      if (step.media.svg) assert.ok(step.media.altText, `${step.id}: an svg needs altText`);
      assert.ok(ignore.includes(`!media/walkthrough/*${path.extname(file)}`), `${file} is not packaged`);
    }
  });

  it('buttons run contributed commands (or a view focus), and every step can complete', () => {
    for (const step of walkthrough.steps) {
      for (const [, id] of (step.description as string).matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(commands.has(id) || id === 'colonyos.processes.focus', `${step.id}: unknown command ${id}`);
      }
      assert.ok(step.completionEvents.length > 0, `${step.id} never completes`);
      for (const event of step.completionEvents as string[]) {
        const [kind, what] = event.split(':');
        if (kind === 'onCommand') assert.ok(commands.has(what), `${step.id}: ${event} names no contributed command`);
        else if (kind === 'onContext') assert.ok(contextKeys.has(what), `${step.id}: ${event} names a context key the extension never sets`);
        else assert.fail(`${step.id}: unexpected completion event ${event}`);
      }
    }
  });
});
