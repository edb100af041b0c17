// Two local colonies, a channel panel open on A, the active connection switched to B: the panel keeps talking to A
// (through the process store, under A's key), its status stays right, and no request about A's process goes to B.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ColoniesClient, crypto, entryText, funcSpec } from '../../../src/colonies/index';
import { Emitter } from '../../../src/colonies/events';
import { ECHO_EXECUTOR_TYPE, echoReply } from '../../../src/localcolony/executors/index';
import { startLocalColony, type LocalColony } from '../../../src/localcolony/index';
import { identityKey } from '../../../src/connection/identity';
import type { ConnectionChange, ConnectionProfile, ConnectionState, Session } from '../../../src/connection/types';
import { ChannelController } from '../../../src/panels/channelController';
import { PanelConnection, type PanelConnectionSource } from '../../../src/panels/panelConnection';
import type { HostMessage, StatusView } from '../../../src/panels/protocol';
import { TranscriptStore } from '../../../src/panels/transcriptStore';
import { ProcessStore, connectionKey } from '../../../src/store/processStore';
import { until } from '../helpers';

/** Records the arguments of every call made through the client (to see which process ids it was asked about). */
function recording(client: ColoniesClient, calls: string[]): ColoniesClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.push(`${String(prop)} ${args.filter((a) => typeof a === 'string').join(' ')}`);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** The connection service as a panel sees it, switching between two sessions as the status bar would. */
class TwoConnections implements PanelConnectionSource {
  private readonly emitter = new Emitter<ConnectionChange>();
  readonly onDidChange = this.emitter.event;
  private active = 0;
  retained = new Map<ColoniesClient, number>();
  constructor(private readonly sessions: Session[]) {}
  get client(): ColoniesClient {
    return this.sessions[this.active].client;
  }
  get state(): ConnectionState {
    return { kind: 'connected', myId: this.sessions[this.active].myId };
  }
  async requireSession(): Promise<Session> {
    return this.sessions[this.active];
  }
  retainClient(client: ColoniesClient) {
    this.retained.set(client, (this.retained.get(client) ?? 0) + 1);
    return { dispose: () => this.retained.set(client, (this.retained.get(client) ?? 1) - 1) };
  }
  switchTo(i: number): void {
    this.active = i;
    this.emitter.fire({ profile: true, client: true, state: false });
    this.emitter.fire({ profile: false, client: false, state: true });
  }
}

describe('integration: a panel keeps the connection it was opened on', function () {
  this.timeout(60_000);
  let a: LocalColony;
  let b: LocalColony;
  let dir: string;
  const stops: Array<() => unknown> = [];

  before(async () => {
    a = await startLocalColony({ port: 0, demo: true });
    b = await startLocalColony({ port: 0, demo: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-multi-'));
  });
  after(async () => {
    for (const fn of stops.splice(0).reverse()) await fn();
    await a?.stop();
    await b?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function session(colony: LocalColony, calls: string[]): Session {
    const client = recording(new ColoniesClient({ host: '127.0.0.1', port: colony.port, timeoutMs: 10_000 }), calls);
    stops.push(() => client.dispose());
    const profile: ConnectionProfile = { name: colony.url, host: '127.0.0.1', port: colony.port, tls: false, colonyName: colony.colonyName };
    return { client, profile, prvkey: colony.userPrvKey, myId: crypto.id(colony.userPrvKey), key: connectionKey(identityKey(profile), client) };
  }

  it('switching the active connection to B leaves the panel on A live, then finished, and asks B nothing about it', async () => {
    const callsA: string[] = [];
    const callsB: string[] = [];
    const sA = session(a, callsA);
    const sB = session(b, callsB);
    const connections = new TwoConnections([sA, sB]);
    const processes = new ProcessStore({ subscriptionSeconds: 5 });
    stops.push(() => processes.dispose());

    const p = await sA.client.submitFuncSpec(funcSpec({ funcname: 'chat', colonyname: a.colonyName, executortype: ECHO_EXECUTOR_TYPE, channels: ['chat'] }), sA.prvkey);
    const posted: HostMessage[] = [];
    const logs: string[] = [];
    const controller = new ChannelController({
      processId: p.processid,
      channel: 'chat',
      file: new TranscriptStore(dir).open(p.processid, 'chat'),
      post: (m) => posted.push(structuredClone(m)),
      actions: { savePayload: async () => undefined, copyText: async () => undefined, exportTranscript: async () => undefined },
      log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    });
    const panel = new PanelConnection(connections, controller, processes);
    stops.push(() => (panel.dispose(), controller.dispose()));
    const status = (): StatusView | undefined => {
      const last = [...posted].reverse().find((m) => m.type === 'status' || m.type === 'init');
      return last && (last.type === 'status' || last.type === 'init') ? last.status : undefined;
    };
    await controller.load();
    await controller.handleMessage({ type: 'ready' });
    await panel.connect();
    await until(() => status()?.kind === 'live', 'the panel on A to be live (the echo executor took the process)');
    assert.equal(processes.get(sA.key, p.processid)?.processid, p.processid, 'the store holds the process under A');
    assert.equal(connections.retained.get(sA.client), 1, "the panel holds A's client open");

    connections.switchTo(1);
    // Still talking to A: a message is answered by A's echo executor.
    await controller.send('still there?', 'data');
    await until(() => controller.transcript.some((e) => entryText(e) === echoReply('still there?')), "the echo from A's executor");
    assert.equal(status()?.kind, 'live');
    assert.equal(panel.held?.client, sA.client);

    // The end closes the process on A; the store's watch on A says so, and the panel shows it finished.
    await controller.send('', 'end');
    await until(() => status()?.kind === 'finished', 'the panel to show the process finished');
    assert.deepEqual(status(), { kind: 'finished', state: 'Successful' });
    assert.ok(!posted.some((m) => m.type === 'status' && m.status.kind === 'error'), 'no red error was ever shown');
    assert.ok(!logs.some((l) => /Failed to get process/i.test(l)), logs.join('\n'));
    assert.deepEqual(callsB.filter((c) => c.includes(p.processid)), [], 'B was asked nothing about the process on A');
    assert.ok(callsA.some((c) => c.startsWith('getProcess') && c.includes(p.processid)));
    assert.equal(processes.get(sB.key, p.processid), undefined);
  });
});
