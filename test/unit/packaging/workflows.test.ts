// Static checks of the workflow contributions in package.json: the Workflows view, its commands and menus, the
// graph panels' activation, and the Preview Workflow Graph button on workflow files.
import { REQUIRED_VSIX_FILES } from '../../../scripts/package.mjs';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  dependencies: Record<string, string>;
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    views: Record<string, { id: string; name: string }[]>;
    menus: Record<string, MenuItem[]>;
  };
};
const source = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The contextValues of the Workflows view's rows (src/views/workflowTreeProvider.ts). */
const ROWS: Record<string, string> = {
  group: 'workflowGroup;state=waiting',
  waiting: 'workflow;state=waiting',
  running: 'workflow;state=running',
  successful: 'workflow;state=success',
  failed: 'workflow;state=failed',
  cancelled: 'workflow;state=cancelled',
  member: 'workflowMember;state=running',
  unread: 'workflowMember',
};

function matches(when: string, contextValue: string): boolean {
  const re = /viewItem =~ \/(.*?)\/(?:\s|$)/.exec(when);
  return re ? new RegExp(re[1]).test(contextValue) : false;
}

function rowsFor(command: string): string[] {
  const items = manifest.contributes.menus['view/item/context'].filter((m) => m.command === command && m.when?.includes('view == colonyos.workflows'));
  return Object.keys(ROWS).filter((row) => items.some((m) => matches(m.when!, ROWS[row])));
}

const WORKFLOW_COMMANDS = [
  'colonyos.refreshWorkflows',
  'colonyos.openWorkflowGraph',
  'colonyos.copyWorkflowId',
  'colonyos.cancelWorkflow',
  'colonyos.removeWorkflow',
  'colonyos.previewWorkflow',
];

describe('package.json: workflows', () => {
  it('declares the Workflows view in the ColonyOS container', () => {
    assert.ok(manifest.contributes.views.colonyos.some((v) => v.id === 'colonyos.workflows' && v.name === 'Workflows'));
    assert.match(source('src/views/workflows.ts'), /WORKFLOWS_VIEW_ID = 'colonyos\.workflows'/);
  });

  it('declares every workflow command with a title, the ColonyOS category and an icon, and registers it', () => {
    const registered = ['src/views/workflows.ts', 'src/panels/graphPanel.ts', 'src/specs/workflowPreview.ts'].map(source).join('\n');
    for (const id of WORKFLOW_COMMANDS) {
      const c = manifest.contributes.commands.find((x) => x.command === id);
      assert.ok(c, `${id} is declared`);
      assert.equal(c.category, 'ColonyOS');
      assert.ok(c.title && c.icon, `${id} has a title and an icon`);
      assert.ok(registered.includes(`'${id}'`), `${id} is registered in the source`);
    }
  });

  it('offers Open Graph and Copy on workflow rows, Cancel on unfinished ones, Remove on the others, destructive last', () => {
    const workflows = ['waiting', 'running', 'successful', 'failed', 'cancelled'];
    assert.deepEqual(rowsFor('colonyos.openWorkflowGraph'), workflows);
    assert.deepEqual(rowsFor('colonyos.copyWorkflowId'), workflows);
    assert.deepEqual(rowsFor('colonyos.cancelWorkflow'), ['waiting', 'running']);
    assert.deepEqual(rowsFor('colonyos.removeWorkflow'), ['waiting', 'successful', 'failed', 'cancelled']);
    const ctx = manifest.contributes.menus['view/item/context'].filter((m) => m.when?.includes('view == colonyos.workflows') && m.group !== 'inline');
    const last = ctx.map((m) => m.group ?? '').sort().slice(-2);
    assert.deepEqual(last, ['9_destructive@1', '9_destructive@2']);
    for (const m of ctx.filter((x) => x.command === 'colonyos.cancelWorkflow' || x.command === 'colonyos.removeWorkflow')) assert.match(m.group!, /^9_destructive/);
  });

  it('offers the process commands on member rows that were read, and none of the workflow ones', () => {
    for (const id of ['colonyos.showDetails', 'colonyos.showLogs', 'colonyos.revealProcess', 'colonyos.copyProcessId']) assert.deepEqual(rowsFor(id), ['member'], id);
  });

  it('hides the row commands from the palette and shows Preview only on workflow files', () => {
    const palette = manifest.contributes.menus.commandPalette;
    for (const id of ['colonyos.openWorkflowGraph', 'colonyos.copyWorkflowId', 'colonyos.cancelWorkflow', 'colonyos.removeWorkflow']) {
      assert.equal(palette.find((m) => m.command === id)?.when, 'false', id);
    }
    assert.equal(palette.find((m) => m.command === 'colonyos.previewWorkflow')?.when, 'colonyos.isWorkflowFile');
    const title = manifest.contributes.menus['editor/title'].find((m) => m.command === 'colonyos.previewWorkflow');
    assert.equal(title?.when, 'resourceLangId == json && colonyos.isWorkflowFile');
    assert.match(title?.group ?? '', /^navigation/);
    assert.ok(manifest.contributes.menus['view/title'].some((m) => m.command === 'colonyos.refreshWorkflows' && m.when === 'view == colonyos.workflows'));
  });

  it('activates on restored graph and preview panels, whose view types the source registers', () => {
    assert.match(source('src/panels/graphPanel.ts'), /GRAPH_VIEW_TYPE = 'colonyos\.workflowGraph'/);
    assert.match(source('src/specs/workflowPreview.ts'), /PREVIEW_VIEW_TYPE = 'colonyos\.workflowPreview'/);
    for (const t of ['colonyos.workflowGraph', 'colonyos.workflowPreview']) assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${t}`), t);
  });

  it('ships the graph webview bundle and its layout library', () => {
    assert.match(source('esbuild.js'), /media\/graph\/main\.ts/);
    // The stylesheet is built beside the script, and both are in the .vsix (the packaging check requires them).
    assert.match(source('esbuild.js'), /\['chat', 'graph'\]\.map\(\(name\) => \(\{[^}]*`media\/\$\{name\}\/\$\{name\}\.css`/);
    for (const f of ['dist/media/graph.js', 'dist/media/graph.css']) {
      assert.ok(REQUIRED_VSIX_FILES.includes(`extension/${f}`), `${f} is a required .vsix file`);
      assert.match(source('.vscodeignore'), new RegExp(`^!${f.replace(/\./g, '\\.')}$`, 'm'), `.vscodeignore lets ${f} in`);
    }
    assert.ok(manifest.dependencies['@dagrejs/dagre'], '@dagrejs/dagre is a dependency (bundled into dist/media/graph.js)');
  });
});
