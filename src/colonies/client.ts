// The ColonyOS client: pycolonies' API in camelCase, the private key passed explicitly to every signed call.

import { ClientCore } from './clientCore';
import { crypto } from './crypto';
import { ColoniesError } from './rpc';
import type { CallOptions } from './transport';
import { toChannelEntries } from './entries';
import { isTerminal, normalizeLog, normalizeProcess } from './normalize';
import { subscribeChannelEntries, subscribeProcessState } from './subscriptions';
import { channelAppendMessage, readAllPages } from './channels';

/** What an executor offers when it asks for work (assignprocessmsg); empty means no limit. */
export interface AssignOffer {
  availablecpu?: string;
  availablemem?: string;
}
import type {
  ChannelAppendOptions,
  ChannelReadAllOptions,
  LogQuery,
  NewExecutor,
  ProcessFilters,
  SubscribeChannelOptions,
} from './clientOptions';
import {
  ProcessState,
  type Attribute,
  type ChannelEntry,
  type Colony,
  type ColonyFunction,
  type Executor,
  type FunctionSpec,
  type Log,
  type NewAttribute,
  type NewFunction,
  type Process,
  type ProcessGraph,
  type ServerInfo,
  type Statistics,
  type User,
  type Version,
  type WorkflowSpec,
} from './types';

export { isTerminal, normalizeProcess } from './normalize';

/** Every call the extension makes, grouped as below; connection, transport and signed RPCs are in ClientCore. */
/** How long after a process subscription is sent the client reads the process once (see subscribeProcess). */
const CATCH_UP_READ_MS = 1000;

export class ColoniesClient extends ClientCore {
  // ---- server ----

  async version(opts?: CallOptions): Promise<Version> {
    return (await this.rpcValue('versionmsg', { buildversion: '', buildtime: '' }, undefined, opts)) as Version;
  }

  async serverInfo(opts?: CallOptions): Promise<ServerInfo> {
    return (await this.rpcValue('getserverinfomsg', {}, undefined, opts)) as ServerInfo;
  }

  async getStatistics(prvkey: string, opts?: CallOptions): Promise<Statistics> {
    return (await this.rpcValue('getstatisticsmsg', {}, prvkey, opts)) as Statistics;
  }

  // ---- colonies ----

  getColonies(prvkey: string, opts?: CallOptions): Promise<Colony[]> {
    return this.rpcList<Colony>('getcoloniesmsg', {}, prvkey, opts);
  }

  async getColony(colonyName: string, prvkey: string, opts?: CallOptions): Promise<Colony> {
    return (await this.rpcValue('getcolonymsg', { colonyname: colonyName }, prvkey, opts)) as Colony;
  }

  async addColony(colony: Colony, prvkey: string, opts?: CallOptions): Promise<Colony> {
    return (await this.rpcValue('addcolonymsg', { colony }, prvkey, opts)) as Colony;
  }

  removeColony(colonyName: string, prvkey: string, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('removecolonymsg', { colonyname: colonyName }, prvkey, opts);
  }

  /** The server answers non-members with an empty 200 body (docs/protocol.md §2.3); that becomes a 403 here. */
  async getColonyStatistics(colonyName: string, prvkey: string, opts?: CallOptions): Promise<Statistics> {
    const value = await this.rpc('getcolonystatsmsg', { colonyname: colonyName }, prvkey, opts);
    if (value === undefined) {
      throw new ColoniesError(
        403,
        `The server sent no statistics for colony ${colonyName}: it answers this way when the caller is not an approved member`,
      );
    }
    return value as Statistics;
  }

  // ---- executors and users ----

  async addExecutor(executor: NewExecutor, prvkey: string, opts?: CallOptions): Promise<Executor> {
    return (await this.rpcValue('addexecutormsg', { executor }, prvkey, opts)) as Executor;
  }

  approveExecutor(colonyName: string, executorName: string, prvkey: string, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('approveexecutormsg', { colonyname: colonyName, executorname: executorName }, prvkey, opts);
  }

  rejectExecutor(colonyName: string, executorName: string, prvkey: string, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('rejectexecutormsg', { colonyname: colonyName, executorname: executorName }, prvkey, opts);
  }

  removeExecutor(colonyName: string, executorName: string, prvkey: string, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('removeexecutormsg', { colonyname: colonyName, executorname: executorName }, prvkey, opts);
  }

  getExecutors(colonyName: string, prvkey: string, opts?: CallOptions): Promise<Executor[]> {
    return this.rpcList<Executor>('getexecutorsmsg', { colonyname: colonyName }, prvkey, opts);
  }

  async getExecutor(colonyName: string, executorName: string, prvkey: string, opts?: CallOptions): Promise<Executor> {
    return (await this.rpcValue('getexecutormsg', { colonyname: colonyName, executorname: executorName }, prvkey, opts)) as Executor;
  }

  async addUser(user: User, prvkey: string, opts?: CallOptions): Promise<User> {
    return (await this.rpcValue('addusermsg', { user }, prvkey, opts)) as User;
  }

  getUsers(colonyName: string, prvkey: string, opts?: CallOptions): Promise<User[]> {
    return this.rpcList<User>('getusersmsg', { colonyname: colonyName }, prvkey, opts);
  }

  async getUser(colonyName: string, name: string, prvkey: string, opts?: CallOptions): Promise<User> {
    return (await this.rpcValue('getusermsg', { colonyname: colonyName, name }, prvkey, opts)) as User;
  }

  removeUser(colonyName: string, name: string, prvkey: string, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('removeusermsg', { colonyname: colonyName, name }, prvkey, opts);
  }

  // ---- processes ----

  async submitFuncSpec(spec: FunctionSpec, prvkey: string, opts?: CallOptions): Promise<Process> {
    return normalizeProcess(await this.rpcValue('submitfuncspecmsg', { spec }, prvkey, opts));
  }

  async getProcess(processId: string, prvkey: string, opts?: CallOptions): Promise<Process> {
    return normalizeProcess(await this.rpcValue('getprocessmsg', { processid: processId }, prvkey, opts));
  }

  /** Only one filter is applied by the server: executortype, then initiator (a user name), then label (docs/protocol.md P17). */
  getProcesses(
    colonyName: string,
    count: number,
    state: ProcessState,
    prvkey: string,
    filters: ProcessFilters = {},
    opts?: CallOptions,
  ): Promise<Process[]> {
    const msg = {
      colonyname: colonyName,
      count,
      state,
      executortype: filters.executortype ?? '',
      label: filters.label ?? '',
      initiator: filters.initiator ?? '',
    };
    return this.rpcList('getprocessesmsg', msg, prvkey, opts, normalizeProcess);
  }

  cancelProcess(processId: string, prvkey: string, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('cancelprocessmsg', { processid: processId }, prvkey, opts);
  }

  removeProcess(processId: string, prvkey: string, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('removeprocessmsg', { processid: processId, all: false }, prvkey, opts);
  }

  /** `state` -1 removes every finished or waiting process; running ones cannot be removed. */
  removeAllProcesses(colonyName: string, prvkey: string, state = -1, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('removeallprocessesmsg', { colonyname: colonyName, state }, prvkey, opts);
  }

  /**
   * Long-polls for a process to run. `availablecpu` ("2000m") and `availablemem` ("4Gi") limit which processes the
   * server may hand out (their conditions' cpu and mem must fit); empty means no limit. Rejects with ColoniesError 404 `No process available for assignment`
   * when none arrived in time. The call's own timeout is the requested seconds plus a margin.
   */
  async assign(colonyName: string, timeoutSeconds: number, prvkey: string, opts: CallOptions & AssignOffer = {}): Promise<Process> {
    const timeoutMs = opts.timeoutMs ?? Math.max(0, timeoutSeconds) * 1000 + this.assignMarginMs;
    const { availablecpu = '', availablemem = '', ...callOpts } = opts;
    const msg = { colonyname: colonyName, timeout: timeoutSeconds, availablecpu, availablemem };
    return normalizeProcess(await this.rpcValue('assignprocessmsg', msg, prvkey, { ...callOpts, timeoutMs }));
  }

  close(processId: string, output: unknown[], prvkey: string, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('closesuccessfulmsg', { processid: processId, out: output }, prvkey, opts);
  }

  fail(processId: string, errors: string[], prvkey: string, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('closefailedmsg', { processid: processId, errors }, prvkey, opts);
  }

  setOutput(processId: string, output: unknown[], prvkey: string, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('setoutputmsg', { processid: processId, out: output }, prvkey, opts);
  }

  addLog(processId: string, message: string, prvkey: string, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('addlogmsg', { processid: processId, message }, prvkey, opts);
  }

  /** `since` is an exact int64 nanosecond timestamp (bigint), so polling never re-delivers a line (docs/protocol.md P11). */
  getLogs(colonyName: string, processId: string, count: number, prvkey: string, query: LogQuery = {}, opts?: CallOptions): Promise<Log[]> {
    const msg = {
      colonyname: colonyName,
      processid: processId,
      executorname: query.executorName ?? '',
      count,
      since: query.since ?? 0n,
      latest: query.latest === true,
    };
    return this.rpcList('getlogsmsg', msg, prvkey, opts, normalizeLog);
  }

  /**
   * Log lines of the colony whose text contains `text` (case-sensitive; `%` and `_` match like SQL LIKE), added in
   * the last `days` (at most 30), at most `count` (at most 100), in no promised order (docs/protocol.md §4.7).
   */
  searchLogs(colonyName: string, text: string, days: number, count: number, prvkey: string, opts?: CallOptions): Promise<Log[]> {
    return this.rpcList('searchlogsmsg', { colonyname: colonyName, text, days, count }, prvkey, opts, normalizeLog);
  }

  // ---- workflows ----

  async submitWorkflowSpec(workflowSpec: WorkflowSpec, prvkey: string, opts?: CallOptions): Promise<ProcessGraph> {
    return (await this.rpcValue('submitworkflowspecmsg', { spec: workflowSpec }, prvkey, opts)) as ProcessGraph;
  }

  async getProcessGraph(processGraphId: string, prvkey: string, opts?: CallOptions): Promise<ProcessGraph> {
    return (await this.rpcValue('getprocessgraphmsg', { processgraphid: processGraphId }, prvkey, opts)) as ProcessGraph;
  }

  /** Without `state` the server lists waiting graphs. */
  getProcessGraphs(colonyName: string, count: number, prvkey: string, state?: ProcessState, opts?: CallOptions): Promise<ProcessGraph[]> {
    const msg: Record<string, unknown> = { colonyname: colonyName, count };
    if (state !== undefined) msg.state = state;
    return this.rpcList<ProcessGraph>('getprocessgraphsmsg', msg, prvkey, opts);
  }

  cancelProcessGraph(processGraphId: string, prvkey: string, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('cancelprocessgraphmsg', { processgraphid: processGraphId }, prvkey, opts);
  }

  removeProcessGraph(processGraphId: string, prvkey: string, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('removeprocessgraphmsg', { processgraphid: processGraphId, all: false }, prvkey, opts);
  }

  // ---- function registry and attributes ----

  /** Signed by the executor named in `fn` (anyone else gets 403); an empty `functionid` is generated by the server. */
  async addFunction(fn: NewFunction, prvkey: string, opts?: CallOptions): Promise<ColonyFunction> {
    return (await this.rpcValue('addfunctionmsg', { fun: fn }, prvkey, opts)) as ColonyFunction;
  }

  /** The colony's registered functions, or only `executorName`'s when given (approved members only). */
  getFunctions(colonyName: string, prvkey: string, executorName?: string, opts?: CallOptions): Promise<ColonyFunction[]> {
    return this.rpcList<ColonyFunction>('getfunctionsmsg', { colonyname: colonyName, executorname: executorName ?? '' }, prvkey, opts);
  }

  /** Only the executor that registered the function may remove it. */
  removeFunction(functionId: string, prvkey: string, opts?: CallOptions): Promise<void> {
    return this.rpcVoid('removefunctionmsg', { functionid: functionId }, prvkey, opts);
  }

  /** Only the assigned executor, while the process runs. */
  async addAttribute(attribute: NewAttribute, prvkey: string, opts?: CallOptions): Promise<Attribute> {
    const msg = { attribute: { targetcolonyname: '', state: 0, ...attribute } };
    return (await this.rpcValue('addattributemsg', msg, prvkey, opts)) as Attribute;
  }

  /** Any approved member of the process's colony; an unknown id is 400 `Attribute does not exists`. */
  async getAttribute(attributeId: string, prvkey: string, opts?: CallOptions): Promise<Attribute> {
    return (await this.rpcValue('getattributemsg', { attributeid: attributeId }, prvkey, opts)) as Attribute;
  }

  // ---- channels ----

  /** Appends one message; payloads over 10 MiB are refused here, before anything is sent. */
  channelAppend(
    processId: string,
    channel: string,
    sequence: number,
    payload: string | Uint8Array,
    prvkey: string,
    opts: ChannelAppendOptions = {},
  ): Promise<void> {
    let msg: Record<string, unknown>;
    try {
      msg = channelAppendMessage(processId, channel, sequence, payload, opts);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return this.rpcVoid('channelappendmsg', msg, prvkey, opts);
  }

  /** `afterSeq` is an index (entries to skip), `limit` 0 means all (docs/protocol.md §6). Both parties' entries. */
  async channelRead(processId: string, channel: string, afterSeq: number, limit: number, prvkey: string, opts?: CallOptions): Promise<ChannelEntry[]> {
    const value = await this.rpc('channelreadmsg', { processid: processId, name: channel, afterseq: afterSeq, limit }, prvkey, opts);
    return toChannelEntries(value);
  }

  /**
   * Reads the log from index `from` (default 0) to its end in pages, so a long log of large messages never has to
   * fit in one reply under the size cap: a page that comes back too large is read again at half the size.
   */
  async channelReadAll(processId: string, channel: string, prvkey: string, opts: ChannelReadAllOptions = {}): Promise<ChannelEntry[]> {
    return readAllPages((at, limit, call) => this.channelRead(processId, channel, at, limit, prvkey, call), opts);
  }

  /**
   * Subscribes over WebSocket and resolves with every entry received once the subscription ends (see
   * src/colonies/subscriptions.ts).
   */
  subscribeChannel(processId: string, channel: string, prvkey: string, opts: SubscribeChannelOptions = {}): Promise<ChannelEntry[]> {
    return subscribeChannelEntries(this.subscriber, processId, channel, prvkey, opts);
  }

  /**
   * Resolves with the process once it is in `state` (immediately if it already is). Rejects with a
   * timeout error when it does not get there in `timeoutSeconds`; the server then drops the socket
   * with 1006, which is its normal way of ending (docs/protocol.md P9).
   *
   * For a terminal state the process is read once more before it is returned: a real server signals a successful
   * close with the process as it was before the output was stored, so the frame's `out`, `errors` and times cannot
   * be trusted.
   */
  async subscribeProcess(processId: string, state: ProcessState, timeoutSeconds: number, prvkey: string, opts: CallOptions & { colonyName?: string } = {}): Promise<Process> {
    // A real server checks the state, then registers the listener: a change in between is never signalled. So once
    // the subscription is sent, one read (after CATCH_UP_READ_MS) ends the wait if the process got there meanwhile.
    const ctrl = new AbortController();
    const stop = () => ctrl.abort();
    opts.signal?.addEventListener('abort', stop, { once: true });
    let caughtUp: Process | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onSubscribed = () => {
      timer = setTimeout(() => {
        this.getProcess(processId, prvkey, { signal: ctrl.signal }).then(
          (p) => {
            if (p.state !== state || ctrl.signal.aborted) return;
            caughtUp = p;
            ctrl.abort();
          },
          () => undefined, // the subscription still decides; a failed read changes nothing
        );
      }, CATCH_UP_READ_MS);
    };
    try {
      const result = await subscribeProcessState(this.subscriber, processId, state, timeoutSeconds, prvkey, { ...opts, signal: ctrl.signal, onSubscribed });
      if (isTerminal(state)) return await this.getProcess(processId, prvkey, { signal: opts.signal });
      return result!;
    } catch (err) {
      if (caughtUp) return caughtUp;
      throw err;
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', stop);
      if (!ctrl.signal.aborted) ctrl.abort();
    }
  }

  /** The caller's ColonyOS id for `prvkey`. */
  idOf(prvkey: string): string {
    return crypto.id(prvkey);
  }
}

