// Follow Logs (a process from the tree or by id), Follow Executor Logs (one executor across its processes) and
// Search Logs (the colony's log lines containing a text; pick one to follow its process). A real ColonyOS v1.9.12
// server offers all three (getlogsmsg by executorname, searchlogsmsg; docs/protocol.md §4.7).
import * as vscode from 'vscode';
import { commandRegistrar, UserFacingError } from '../base/errors';
import type { ConnectionService, Session } from '../connection/types';
import { capLine, searchItems, stripControl } from './followText';
import { followName, type FollowOutcome, type FollowTerminals } from './followTerminal';
import { processIdOf } from './treeNodes';

/** What searchlogsmsg allows at most (docs/protocol.md §4.7). */
const SEARCH_COUNT = 100;
const SEARCH_DAYS = 30;
const HEX_ID = /^[0-9a-f]{64}$/i;

export interface FollowCommandDeps {
  output: vscode.LogOutputChannel;
  connection: ConnectionService;
  terminals: FollowTerminals;
  selectedProcessId(): string | undefined;
}

/** Opens a follow terminal for processes on a session (Submit & Follow uses it too). */
export function followProcesses(terminals: FollowTerminals, session: Session, processIds: readonly string[], intro: readonly string[], graphId?: string): FollowOutcome {
  const name = graphId ? followName('workflow', graphId) : followName('process', processIds[0] ?? '');
  return terminals.start(session, { name, processIds, intro });
}

export function registerFollowCommands(context: vscode.ExtensionContext, deps: FollowCommandDeps): void {
  const { connection, terminals } = deps;
  const reg = commandRegistrar(context, deps.output);

  reg('colonyos.followLogs', async (arg?: unknown) => {
    let id = processIdOf(arg) ?? (typeof arg === 'string' ? arg : undefined);
    if (!id) {
      id = await vscode.window.showInputBox({
        title: 'Follow Logs',
        prompt: 'The id of the process whose log to follow',
        value: deps.selectedProcessId() ?? '',
        validateInput: (v) => (HEX_ID.test(v.trim()) ? undefined : 'A process id is 64 hexadecimal characters'),
      });
      if (id === undefined) return undefined;
    }
    id = id.trim();
    if (!HEX_ID.test(id)) throw new UserFacingError('Follow Logs needs a process id (64 hexadecimal characters).');
    const s = await connection.requireSession();
    return followProcesses(terminals, s, [id], [`Process ${id}`]).ended;
  });

  reg('colonyos.followExecutorLogs', async (arg?: unknown) => {
    const s = await connection.requireSession();
    let name = typeof arg === 'string' ? arg : undefined;
    if (!name) {
      const executors = await s.client.getExecutors(s.profile.colonyName, s.prvkey);
      if (executors.length === 0) throw new UserFacingError(`Colony ${s.profile.colonyName} has no executors.`);
      const picked = await vscode.window.showQuickPick(
        executors.map((e) => ({ label: stripControl(e.executorname).slice(0, 100), description: stripControl(e.executortype).slice(0, 60), name: e.executorname })),
        { title: 'Follow Executor Logs', placeHolder: `The log lines an executor of colony ${s.profile.colonyName} added, across its processes` },
      );
      if (!picked) return undefined;
      name = picked.name;
    }
    const outcome = terminals.start(s, { name: followName('executor', name), executorName: name, intro: [`Executor ${name} in colony ${s.profile.colonyName}`] });
    return outcome.ended;
  });

  reg('colonyos.searchLogs', async (arg?: unknown) => {
    const s = await connection.requireSession();
    const text = typeof arg === 'string' ? arg : await vscode.window.showInputBox({
      title: 'Search Logs',
      prompt: `Log lines of colony ${s.profile.colonyName} from the last ${SEARCH_DAYS} days that contain this text (case-sensitive; % and _ are wildcards)`,
      validateInput: (v) => (v.length === 0 ? 'Type the text to search for' : undefined),
    });
    if (!text) return undefined;
    const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Searching ColonyOS logs…' }, () =>
      s.client.searchLogs(s.profile.colonyName, text, SEARCH_DAYS, SEARCH_COUNT, s.prvkey),
    );
    if (found.length === 0) {
      void vscode.window.showInformationMessage(`No log line of colony ${s.profile.colonyName} from the last ${SEARCH_DAYS} days contains "${capLine(stripControl(text), 80)}".`);
      return found;
    }
    const picked = await vscode.window.showQuickPick(searchItems(found), {
      title: `${found.length === 1 ? '1 log line contains' : `${found.length}${found.length === SEARCH_COUNT ? ' (the most the server returns)' : ''} log lines contain`} "${capLine(stripControl(text), 60)}"`,
      placeHolder: 'Pick a line to follow the log of its process',
      matchOnDescription: true,
    });
    if (!picked) return found;
    if (picked.log.processid) followProcesses(terminals, s, [picked.log.processid], [`Process ${picked.log.processid}`]);
    else terminals.start(s, { name: followName('executor', picked.log.executorname), executorName: picked.log.executorname });
    return found;
  });
}
