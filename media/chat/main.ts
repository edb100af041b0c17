// The channel panel's webview. It renders what the host sends and posts back only the messages of the shared
// protocol (src/panels/protocol.ts). Data from executors is rendered with textContent only (see row.ts).
// This file wires the modules together; each of them says at its top what it owns:
//   page.ts         the VS Code API and the page's elements
//   state.ts        the state the modules share, with the owner of each field
//   list.ts         the virtualized message list, following, the jump button, the active row
//   findBar.ts      the find bar (its search logic is find.ts)
//   savedState.ts   what is saved for a window reload
//   reply.ts        the message being replied to and its chip
//   composer.ts     the input, Send and Retry
//   status.ts       the title, the status strip, the empty-transcript note
//   hostMessages.ts the messages from the host
import { renderComposer, restoreDraft, wireComposer } from './composer';
import { wireFind } from './findBar';
import { wireHostMessages } from './hostMessages';
import { wireList } from './list';
import { post, ui } from './page';
import { startReply, wireReply } from './reply';
import { saveChannelNow, saveState } from './savedState';

wireFind();
wireHostMessages();
wireReply();
wireComposer();

// ---- toolbar ----
ui.copyAll.addEventListener('click', () => post({ type: 'copyAll' }));
ui.exportBtn.addEventListener('click', () => post({ type: 'exportTranscript' }));

wireList({ startReply, saveState });

window.addEventListener('error', (e) => post({ type: 'webviewError', message: `${e.message} (${e.filename}:${e.lineno})` }));

saveChannelNow();
restoreDraft();
renderComposer();
post({ type: 'ready' });
