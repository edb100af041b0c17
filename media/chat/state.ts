// Owns the state the webview's modules share: one object; each field names the module that owns it (and any other that writes it).
import {
  parsePersistedState,
  type ComposerView,
  type PanelInfo,
  type SendKind,
  type StatusView,
  type WebviewPersistedState,
} from '../../src/panels/protocol';
import type { FindMatch, FindQuery } from './find';
import { vscode } from './page';

const persisted: WebviewPersistedState | undefined = parsePersistedState(vscode.getState());

export const state: {
  /** The panel's process and channel, from the host's init (hostMessages.ts). */
  info?: PanelInfo;
  /** The connection state shown in the status strip (status.ts). */
  status: StatusView;
  /** Whether and how the user can send now, as the host says (status.ts). */
  composer: ComposerView;
  /** What was last saved for a window reload (loaded here; savedState.ts). */
  persisted?: WebviewPersistedState;
  /** The message the next send replies to (reply.ts; cleared by composer.ts after a send). */
  replyTo?: { key: string; sequence: number };
  /** The view sticks to the newest message (list.ts; also set where the view is moved: findBar.ts, hostMessages.ts). */
  following: boolean;
  /** Messages that arrived while not following (list.ts; counted by hostMessages.ts). */
  unread: number;
  /** The row the keyboard acts on (list.ts). */
  activeKey?: string;
  /** The row briefly highlighted after a jump to it (list.ts). */
  highlightKey?: string;
  /** The send waiting for the host's answer (composer.ts). */
  sending?: { requestId: string; text: string; kind: SendKind; inReplyTo: number };
  /** The last send that failed, for Retry (composer.ts). */
  failedSend?: { text: string; kind: SendKind; inReplyTo: number };
  /** No init has arrived yet (hostMessages.ts). */
  firstInit: boolean;
  /** The saved scroll anchor, when it is among older rows that the host sends after the newest ones (hostMessages.ts). */
  pendingAnchor?: string;
  /** The open find query and its matches, over every message (findBar.ts). */
  find: { query?: FindQuery; matches: FindMatch[]; capped: boolean; current: number; stale: boolean };
} = {
  status: { kind: 'connecting' },
  composer: { enabled: false, reason: 'Loading…' },
  persisted,
  replyTo: persisted?.replyTo,
  following: true,
  unread: 0,
  firstInit: true,
  find: { matches: [], capped: false, current: -1, stale: false },
};

/** The find match shown as current, if any. */
export function currentMatch(): FindMatch | undefined {
  return state.find.matches[state.find.current];
}
