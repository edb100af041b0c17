// What a channel controller (channelController.ts) is given: its channel, file and webview, and for each connect the
// client, key and process store of the panel's own connection.
import type { ColoniesClient } from '../colonies/client';
import type { Process } from '../colonies/types';
import type { ConnectionProcesses } from '../store/processStore';
import type { HostMessage, PanelInfo } from './protocol';
import type { TranscriptFile } from './transcriptFile';
import type { ChannelLimits } from './transcriptLimits';
import type { ControllerActions, ControllerLog } from './webviewRequests';

export interface ConnectedSession {
  client: ColoniesClient;
  prvkey: string;
  myId: string;
  /**
   * The process store seen through this panel's own connection: the process's state comes from there (one read, then
   * the store's shared watch). Without it (tests that drive a controller alone) the controller keeps a private store.
   */
  processes?: ConnectionProcesses;
}

export interface ChannelControllerOptions {
  processId: string;
  channel: string;
  file: TranscriptFile;
  /** Sends to the webview. Messages may be dropped while the webview is hidden; resync() repairs that. */
  post: (message: HostMessage) => void;
  actions: ControllerActions;
  log: ControllerLog;
  /** Unused: the process store's watch says when an executor takes the process (kept so old callers compile). */
  waitingPollMs?: number;
  /** Unused: the process store's watch says when the process finished (kept so old callers compile). */
  pollStateMs?: number;
  /** Fired when the title information (funcname) becomes known or changes. */
  onInfoChanged?: (info: PanelInfo) => void;
  /** Fired after a message of this type was appended from the composer (the walkthrough's chat step). */
  onSent?: (kind: 'data' | 'end' | 'error') => void;
  /** What this channel keeps (read as entries arrive, so a settings change applies to the next ones). */
  limits?: () => ChannelLimits;
  /** Why the process waits, in one sentence (src/store/whyWaiting.ts), shown in the waiting status; synchronous. */
  whyWaiting?: (p: Process) => string | undefined;
}
