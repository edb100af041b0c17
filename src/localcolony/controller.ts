// Process lifecycle as the server's controller runs it: submit, assign (long-poll), close, fail, cancel,
// unassign, workflows. Handlers do the request checks; this module does the state transitions and signals.
import { ExecutorState, ProcessState } from '../colonies/types';
import { ChannelRouter } from './channels';
import { SECOND_NS, formatNs, newId, nowNs } from './clock';
import { badRequest, internal, notFound, RpcError } from './errors';
import { EventHub } from './events';
import { fitsOffer, type Offer } from './resources';
import type { GoStruct } from './gojson';
import { ColonyState, durationSeconds, envAttributes, processJson, processSnapshot, recordFunctionRun, settleAttributes } from './state';
import type { ExecutorRec, GraphRec, ProcessRec } from './state';
import { resolveGraph, setGraphState } from './workflows';

const DAY_NS = 86_400n * SECOND_NS;

export class Controller {
  private readonly resumeWaiters = new Map<string, Set<() => void>>();

  constructor(
    readonly state: ColonyState,
    readonly channels: ChannelRouter,
    readonly events: EventHub,
  ) {}

  /** Executor name (any colony) first, then user name in the colony. */
  initiatorName(colonyName: string, callerId: string): string | undefined {
    const executor = this.state.executorById(callerId);
    if (executor) return executor.executorname;
    return this.state.userById(colonyName, callerId)?.name;
  }

  newProcess(spec: GoStruct, initiatorId: string, initiatorName: string): ProcessRec {
    return {
      processid: newId(),
      initiatorid: initiatorId,
      initiatorname: initiatorName,
      assignedexecutorid: '',
      isassigned: false,
      state: ProcessState.WAITING,
      prioritytime: 0n,
      retries: 0,
      attributes: [],
      spec,
      waitforparents: false,
      parents: [],
      children: [],
      processgraphid: '',
      in: [],
      out: [],
      errors: [],
    };
  }

  /** Stores the process (times, priority, env attributes), creates its channels, and signals it unless it waits for parents. */
  addProcess(p: ProcessRec): ProcessRec {
    const now = nowNs();
    p.submissiontime = now;
    p.prioritytime = now - BigInt(p.spec.priority) * DAY_NS;
    if (p.spec.maxwaittime > 0) p.waitdeadline = now + BigInt(p.spec.maxwaittime) * SECOND_NS;
    p.attributes = envAttributes(p);
    this.state.processes.set(p.processid, p);
    for (const name of (p.spec.channels ?? []) as string[]) {
      try {
        this.channels.createIfMissing(p.processid, name, p.initiatorid, '');
      } catch {
        // Over the per-process channel limit the server logs and carries on.
      }
    }
    if (!p.waitforparents) this.events.signal(p);
    return p;
  }

  /**
   * The server's candidate query (README "Why is it waiting?"): type equal, executornames empty (or `["*"]`, as the
   * default distributed assign reads it) or naming the executor, location empty or equal ignoring case, resources
   * within the offer and the 127 ceiling. gpu, storage, walltime and the function registry are not compared.
   */
  private matches(p: ProcessRec, colonyName: string, executor: ExecutorRec, offer: Offer): boolean {
    const c = p.spec.conditions;
    if (p.state !== ProcessState.WAITING || p.isassigned || p.waitforparents) return false;
    if (c.colonyname !== colonyName || c.executortype !== executor.executortype) return false;
    if (c.locationname && String(c.locationname).toLowerCase() !== String(executor.locationname ?? '').toLowerCase()) return false;
    if (!fitsOffer(c, offer)) return false;
    const names: string[] | null = c.executornames;
    return !names || names.length === 0 || (names.length === 1 && names[0] === '*') || names.includes(executor.executorname);
  }

  select(colonyName: string, executor: ExecutorRec, offer: Offer = {}): ProcessRec | undefined {
    let best: ProcessRec | undefined;
    for (const p of this.state.processes.values()) {
      if (this.matches(p, colonyName, executor, offer) && (!best || p.prioritytime < best.prioritytime)) best = p;
    }
    return best;
  }

  /** Assigns and returns the reply JSON (which still shows the pre-assignment exec deadline). */
  private assignTo(p: ProcessRec, executorId: string): Record<string, unknown> {
    const previousDeadline = p.execdeadline;
    const now = nowNs();
    p.starttime = now;
    p.isassigned = true;
    p.assignedexecutorid = executorId;
    p.state = ProcessState.RUNNING;
    if (p.spec.maxexectime > 0) p.execdeadline = now + BigInt(p.spec.maxexectime) * SECOND_NS;
    this.channels.setExecutor(p.processid, executorId);
    const graph = p.processgraphid ? this.state.graphs.get(p.processgraphid) : undefined;
    if (graph) {
      resolveGraph(this.state, graph);
      if (p.parents.length > 0) {
        const input: unknown[] = [];
        for (const parentId of p.parents) input.push(...(this.state.processes.get(parentId)?.out ?? []));
        p.in = input.length > 0 ? input : null;
      }
    }
    this.events.signal(p);
    return processJson(p, { execdeadline: previousDeadline });
  }

  private waitForResume(colonyName: string, abort: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const set = this.resumeWaiters.get(colonyName) ?? new Set();
      this.resumeWaiters.set(colonyName, set);
      const done = (): void => {
        set.delete(done);
        abort.removeEventListener('abort', done);
        resolve();
      };
      set.add(done);
      abort.addEventListener('abort', done, { once: true });
    });
  }

  /** Waits for one wake-up as a general listener of (type, WAITING, location); resolves on wake-up or abort. */
  private waitForProcess(executor: ExecutorRec, abort: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let reg: { dispose(): void } | undefined;
      const done = (): void => {
        reg?.dispose();
        abort.removeEventListener('abort', done);
        resolve();
      };
      if (abort.aborted) return resolve();
      reg = this.events.register(executor.executortype, ProcessState.WAITING, executor.locationname, { deliver: done });
      abort.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * The assign loop: timeout > 0 long-polls (404 after the timeout), timeout < 0 tries once. `abort` fires when the
   * timeout elapses or the client goes away.
   */
  async assign(executor: ExecutorRec, colonyName: string, timeoutSec: number, clientGone: AbortSignal, offer: Offer = {}): Promise<Record<string, unknown>> {
    const ctl = new AbortController();
    const onGone = (): void => ctl.abort();
    clientGone.addEventListener('abort', onGone, { once: true });
    const timer = timeoutSec > 0 ? setTimeout(() => ctl.abort(), timeoutSec * 1000) : undefined;
    try {
      for (;;) {
        executor.lastheardfromtime = formatNs(nowNs());
        if (this.state.paused.has(colonyName)) {
          if (timeoutSec > 0) {
            await this.waitForResume(colonyName, ctl.signal);
            if (ctl.signal.aborted) throw new RpcError(408, 'Assignment timeout: colony assignments are paused');
            continue;
          }
          throw new RpcError(503, 'No processes available: colony assignments are paused');
        }
        const p = this.select(colonyName, executor, offer);
        if (p) return this.assignTo(p, executor.executorid);
        if (timeoutSec > 0 && !ctl.signal.aborted) {
          await this.waitForProcess(executor, ctl.signal);
          if (!ctl.signal.aborted) continue;
        }
        throw notFound('No process available for assignment');
      }
    } finally {
      if (timer) clearTimeout(timer);
      clientGone.removeEventListener('abort', onGone);
    }
  }

  /**
   * As a real server does: the process is read first, then the output stored (even when the close is then
   * refused) and the process marked successful; the event carries that first copy with only `state` changed
   * (old `out`, `endtime`, attribute states). Only when the assigned executor registered a function with this
   * funcname is the process read again, to fold the run into the function's statistics, and the event is fresh.
   */
  closeSuccessful(p: ProcessRec, out: unknown[] | null): void {
    const stale = processSnapshot(p);
    if (out && out.length > 0) p.out = out;
    if (p.state === ProcessState.FAILED) throw badRequest('Tried to set failed process as successful');
    if (p.state === ProcessState.CANCELLED) throw badRequest('Tried to set cancelled process as successful');
    if (p.state === ProcessState.WAITING) throw badRequest('Tried to set waiting process as successful without being running');
    p.endtime = nowNs();
    p.state = ProcessState.SUCCESS;
    settleAttributes(p);
    const graph = p.processgraphid ? this.state.graphs.get(p.processgraphid) : undefined;
    if (graph) {
      resolveGraph(this.state, graph);
      this.notifyChildren(p);
    }
    stale.state = ProcessState.SUCCESS;
    let event = stale;
    const executor = this.state.executorById(p.assignedexecutorid);
    const functions = executor
      ? this.state.functionsWhere({ colonyname: p.spec.conditions.colonyname, executorname: executor.executorname, funcname: p.spec.funcname })
      : [];
    if (functions.length > 0) {
      event = p;
      recordFunctionRun(functions, durationSeconds(p.submissiontime, p.starttime), durationSeconds(p.starttime, p.endtime));
    }
    this.channels.cleanupProcess(p.processid);
    this.events.signal(event);
  }

  private notifyChildren(p: ProcessRec): void {
    const done = p.parents.filter((id) => this.state.processes.get(id)?.state === ProcessState.SUCCESS).length;
    if (done !== p.parents.length) return;
    for (const childId of p.children) {
      const child = this.state.processes.get(childId);
      if (child) this.events.signal(child);
    }
  }

  closeFailed(p: ProcessRec, errors: string[] | null): void {
    if (p.state === ProcessState.SUCCESS) throw badRequest('Tried to set successful process as failed');
    if (p.state === ProcessState.FAILED) throw badRequest('Tried to set failed process as failed');
    if (p.state === ProcessState.CANCELLED) throw badRequest('Tried to set cancelled process as failed');
    p.endtime = nowNs();
    p.state = ProcessState.FAILED;
    settleAttributes(p);
    p.errors = errors;
    const graph = p.processgraphid ? this.state.graphs.get(p.processgraphid) : undefined;
    if (graph) resolveGraph(this.state, graph);
    this.channels.cleanupProcess(p.processid);
    this.events.signal(p);
  }

  private markCancelled(p: ProcessRec): void {
    if (p.state === ProcessState.SUCCESS) throw badRequest('Tried to cancel successful process');
    if (p.state === ProcessState.FAILED) throw badRequest('Tried to cancel failed process');
    if (p.state === ProcessState.CANCELLED) throw badRequest('Tried to cancel already cancelled process');
    p.endtime = nowNs();
    p.state = ProcessState.CANCELLED;
    settleAttributes(p);
  }

  cancel(p: ProcessRec): void {
    this.markCancelled(p);
    this.channels.cleanupProcess(p.processid);
    this.events.signal(p);
  }

  /** Exec-deadline expiry with retries left: back to the queue; channels keep their (old) executor slot. */
  unassign(p: ProcessRec): void {
    const now = nowNs();
    p.endtime = now;
    p.state = ProcessState.WAITING;
    p.retries += 1;
    p.isassigned = false;
    p.assignedexecutorid = '';
    settleAttributes(p);
    if (p.spec.maxwaittime > 0) p.waitdeadline = now + BigInt(p.spec.maxwaittime) * SECOND_NS;
    this.events.signal(p);
  }

  cancelGraph(g: GraphRec): void {
    for (const id of g.processids) {
      const p = this.state.processes.get(id);
      if (p && (p.state === ProcessState.WAITING || p.state === ProcessState.RUNNING)) {
        this.markCancelled(p);
        this.channels.cleanupProcess(id);
      }
    }
    setGraphState(g, ProcessState.CANCELLED);
  }

  removeProcess(id: string): void {
    this.state.processes.delete(id);
    this.channels.cleanupProcess(id);
  }

  /** removeexecutormsg: marks it UNREGISTERED, drops its registered functions, puts its running processes back in the queue. */
  unregisterExecutor(e: ExecutorRec): void {
    e.state = ExecutorState.UNREGISTERED;
    this.state.removeFunctionsWhere({ colonyname: e.colonyname, executorname: e.executorname });
    for (const p of this.state.processes.values()) {
      if (p.assignedexecutorid === e.executorid && p.state === ProcessState.RUNNING) {
        p.isassigned = false;
        p.starttime = undefined;
        p.endtime = undefined;
        p.assignedexecutorid = '';
        p.state = ProcessState.WAITING;
      }
    }
  }

  submitWorkflow(spec: GoStruct, callerId: string): GraphRec {
    const colonyName: string = spec.colonyname;
    const initiatorName = this.initiatorName(colonyName, callerId);
    if (initiatorName === undefined) throw internal('Could not derive InitiatorName');
    const graph: GraphRec = {
      processgraphid: newId(),
      initiatorid: callerId,
      initiatorname: initiatorName,
      colonyname: colonyName,
      rootprocessids: [],
      state: ProcessState.WAITING,
      processids: [],
    };
    const byNode = new Map<string, ProcessRec>();
    for (const fs of (spec.functionspecs ?? []) as GoStruct[]) {
      if (fs.nodename === '') throw internal('Nodename is missing, check function spec for errors');
      if (fs.maxexectime === 0) fs.maxexectime = -1;
      const p = this.newProcess(fs, callerId, initiatorName);
      const deps: string[] = fs.conditions.dependencies ?? [];
      if (deps.length === 0) graph.rootprocessids.push(p.processid);
      else p.waitforparents = true;
      graph.processids.push(p.processid);
      p.processgraphid = graph.processgraphid;
      fs.conditions.colonyname = colonyName;
      if (byNode.has(fs.nodename)) throw internal(`Duplicate nodename: ${fs.nodename}`);
      byNode.set(fs.nodename, p);
    }
    for (const p of byNode.values()) {
      for (const dep of (p.spec.conditions.dependencies ?? []) as string[]) {
        const parent = byNode.get(dep);
        if (!parent) {
          // A real server stores the graph before it checks dependencies and never removes it: an empty waiting graph
          // stays listed (docs/protocol.md §4.8).
          this.state.graphs.set(graph.processgraphid, { ...graph, rootprocessids: [], processids: [], submissiontime: nowNs() });
          throw internal('Failed to submit workflow, invalid dependencies, are you depending on a nodename that does not exits?');
        }
        p.parents.push(parent.processid);
        parent.children.push(p.processid);
      }
    }
    graph.submissiontime = nowNs();
    this.state.graphs.set(graph.processgraphid, graph);
    for (const p of byNode.values()) this.addProcess(p);
    return graph;
  }

  pause(colonyName: string): void {
    this.state.paused.add(colonyName);
  }

  resume(colonyName: string): void {
    this.state.paused.delete(colonyName);
    for (const wake of [...(this.resumeWaiters.get(colonyName) ?? [])]) wake();
    this.resumeWaiters.delete(colonyName);
  }
}
