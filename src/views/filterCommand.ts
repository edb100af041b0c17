// "Filter Processes…": which filter, then a pick of the values present (loaded processes, the colony's executor
// types) with "Any" and free entry, instead of a blank box the user has to know the answer for.
import * as vscode from 'vscode';
import type { ConnectionService } from '../connection/types';
import { errorMessage } from '../colonies/rpc';
import { describeFilterValue, filterValues, hasFilters, type FilterField, type FilterValue, type TreeFilters } from './filters';
import type { ProcessTreeModel } from './processTreeModel';

/** Listing executors is a nicety for the picker: it is not waited for longer than this. */
const EXECUTORS_TIMEOUT_MS = 5_000;

const WORDS: Record<FilterField, { title: string; any: string; noun: string }> = {
  executorType: { title: 'Filter by executor type', any: 'Any type', noun: 'executor type' },
  label: { title: 'Filter by label', any: 'Any label', noun: 'label' },
};

type ValueItem = vscode.QuickPickItem & { value: string | undefined };

/** Server text in a QuickPick label: `$(name)` would render as an icon. */
function plain(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}

async function registeredTypes(connection: ConnectionService, output: vscode.LogOutputChannel): Promise<string[]> {
  try {
    const s = await connection.requireSession();
    const executors = await s.client.getExecutors(s.profile.colonyName, s.prvkey, { timeoutMs: EXECUTORS_TIMEOUT_MS });
    return (executors ?? []).map((e) => e.executortype);
  } catch (err) {
    output.debug(`Filter picker: could not list executors: ${errorMessage(err)}`);
    return [];
  }
}

function valueItems(values: FilterValue[], field: FilterField, current: string | undefined): ValueItem[] {
  const w = WORDS[field];
  const check = (on: boolean) => (on ? '$(check) ' : '');
  const items: ValueItem[] = [{ label: `${check(!current)}${w.any}`, description: 'no filter', value: undefined }];
  if (values.length) items.push({ label: 'Present in this colony', kind: vscode.QuickPickItemKind.Separator, value: undefined });
  for (const v of values) items.push({ label: `${check(v.value === current)}${plain(v.value)}`, description: describeFilterValue(v), value: v.value });
  if (current && !values.some((v) => v.value === current)) {
    items.push({ label: `$(check) ${plain(current)}`, description: 'current filter', value: current });
  }
  return items;
}

/** Asks for a value of `field`; resolves to the value, '' for "any", or undefined when dismissed. */
export function pickFilterValue(
  field: FilterField,
  current: string | undefined,
  model: ProcessTreeModel,
  connection: ConnectionService,
  output: vscode.LogOutputChannel,
): Promise<string | undefined> {
  const w = WORDS[field];
  const qp = vscode.window.createQuickPick<ValueItem>();
  qp.title = w.title;
  qp.placeholder = `Pick ${field === 'executorType' ? 'an' : 'a'} ${w.noun}, or type one and press Enter`;
  qp.matchOnDescription = true;
  let base = valueItems(filterValues(model.loadedProcesses(), field), field, current);
  const render = () => {
    const typed = qp.value.trim();
    const exact = base.some((i) => i.value === typed);
    qp.items = typed && !exact ? [{ label: plain(typed), description: `filter by this ${w.noun}`, value: typed, alwaysShow: true }, ...base] : base;
  };
  render();
  if (field === 'executorType') {
    qp.busy = true;
    void registeredTypes(connection, output).then((types) => {
      base = valueItems(filterValues(model.loadedProcesses(), field, types), field, current);
      qp.busy = false;
      render();
    });
  }
  return new Promise((resolve) => {
    let done = false;
    qp.onDidChangeValue(render);
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0];
      done = true;
      resolve(item ? item.value ?? '' : qp.value.trim());
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

/** The "Filter Processes…" command: which filter, then its value. */
export async function runFilterCommand(
  model: ProcessTreeModel,
  connection: ConnectionService,
  output: vscode.LogOutputChannel,
  setFilters: (f: TreeFilters) => Promise<void>,
): Promise<void> {
  const f = model.filters;
  type Item = vscode.QuickPickItem & { id: FilterField | 'onlyMine' | 'clear' };
  const items: Item[] = [
    { id: 'executorType', label: '$(server-process) Executor type…', description: f.executorType ? plain(f.executorType) : 'any' },
    { id: 'label', label: '$(tag) Label…', description: f.label ? plain(f.label) : 'any' },
    { id: 'onlyMine', label: `${f.onlyMine ? '$(check)' : '$(person)'} Only processes I submitted`, description: f.onlyMine ? 'on' : 'off' },
  ];
  if (hasFilters(f)) items.push({ id: 'clear', label: '$(clear-all) Clear all filters' });
  const choice = await vscode.window.showQuickPick(items, {
    title: 'Filter Processes',
    placeHolder: 'The server applies one filter (executor type, else label); the others are applied here',
  });
  if (!choice) return;
  if (choice.id === 'clear') return setFilters({});
  if (choice.id === 'onlyMine') return setFilters({ ...f, onlyMine: !f.onlyMine });
  const value = await pickFilterValue(choice.id, f[choice.id], model, connection, output);
  if (value === undefined) return;
  await setFilters({ ...f, [choice.id]: value.trim() || undefined });
}
