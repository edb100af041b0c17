// Owns the messages from the host (src/panels/protocol.ts): each is checked, then applied to the list, status and composer.
import { parseHostMessage, type HostMessage } from '../../src/panels/protocol';
import { onSendResult, restoreDraft } from './composer';
import { transcriptChangedForFind } from './findBar';
import { list, updateJump } from './list';
import { post, ui } from './page';
import { renderReplyChip } from './reply';
import { saveState } from './savedState';
import { state } from './state';
import { renderEmpty, renderTitle, setStatus } from './status';

/** Listens for the host's messages; an error while applying one is reported to the host. */
export function wireHostMessages(): void {
  window.addEventListener('message', (event: MessageEvent) => {
    // Rows are checked one by one: a row the host should not have sent is shown cut down, never dropped with its batch.
    const m = parseHostMessage(event.data);
    if (!m) return;
    try {
      onHostMessage(m);
    } catch (err) {
      post({ type: 'webviewError', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
    }
  });
}

function onHostMessage(m: HostMessage): void {
  switch (m.type) {
    case 'init': {
      state.info = m.info;
      renderTitle();
      const wasFollowing = state.following;
      list.setItems(m.entries);
      if (state.firstInit) {
        state.firstInit = false;
        restoreDraft();
        const anchorKey = state.persisted?.anchorKey;
        const anchor = anchorKey ? list.indexOf(anchorKey) : -1;
        state.pendingAnchor = anchor < 0 ? anchorKey : undefined;
        if (anchor >= 0) {
          state.following = false;
          list.scrollToIndex(anchor, 'nearest');
        } else {
          list.scrollToBottom();
        }
      } else if (wasFollowing) {
        list.scrollToBottom();
      }
      setStatus(m.status, m.composer); // renders the composer and its reply chip
      renderEmpty();
      transcriptChangedForFind();
      saveState();
      return;
    }
    case 'entries': {
      if (m.mode === 'replace') {
        list.setItems(m.entries);
      } else {
        const before = list.length;
        if (m.mode === 'append') list.append(m.entries);
        else if (!list.splice(m.start, m.deleteCount, m.entries)) {
          // Out of step with the host (a lost message): ask for the whole state again.
          post({ type: 'webviewError', message: `splice at ${m.start} (${m.deleteCount} rows) does not fit ${before} shown rows; resyncing` });
          post({ type: 'ready' });
          return;
        }
        if (m.mode === 'splice' && m.deleteCount === 0 && m.entries.length > 0) {
          // Older rows sent after the newest (a long transcript arrives newest first): quotes in the rows shown may
          // name a parent that only now exists.
          const inserted = new Set(m.entries.map((v) => v.key));
          list.refreshWhere((v) => v.parentKey !== undefined && inserted.has(v.parentKey));
          if (state.pendingAnchor && inserted.has(state.pendingAnchor)) {
            state.following = false;
            list.scrollToIndex(list.indexOf(state.pendingAnchor), 'nearest');
            state.pendingAnchor = undefined;
            return finishEntries();
          }
        } else {
          state.pendingAnchor = undefined;
        }
        if (state.following) list.followBottom();
        else state.unread += Math.max(0, list.length - before);
      }
      return finishEntries();
    }
    case 'status':
      setStatus(m.status, m.composer);
      renderEmpty();
      return;
    case 'dropped':
      ui.dropped.hidden = m.count === 0;
      ui.dropped.textContent = m.count === 0 ? '' : m.text;
      return;
    case 'sendResult':
      onSendResult(m);
      return;
  }
}

function finishEntries(): void {
  transcriptChangedForFind();
  renderEmpty();
  renderReplyChip();
  updateJump();
}
