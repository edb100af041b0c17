// Owns replying: picking the message the next send answers, and the chip above the composer that shows it.
import { list } from './list';
import { ui } from './page';
import { seqLabel, summary } from './row';
import { saveState } from './savedState';
import { state } from './state';

export function startReply(key: string): void {
  const view = list.itemAt(list.indexOf(key));
  if (!view || !state.composer.enabled || view.noReply) return;
  state.replyTo = { key, sequence: view.sequence };
  renderReplyChip();
  ui.input.focus();
  saveState();
}

/** Drops the reply: the next send is a plain message. */
export function cancelReply(): void {
  state.replyTo = undefined;
  renderReplyChip();
}

export function renderReplyChip(): void {
  const replyTo = state.replyTo;
  const view = replyTo ? list.itemAt(list.indexOf(replyTo.key)) : undefined;
  ui.replyChip.hidden = !replyTo || !state.composer.enabled;
  if (!replyTo) return;
  ui.replyChipText.textContent = view ? `${view.senderLabel} ${seqLabel(view)}: ${summary(view, 80)}` : `#${replyTo.sequence}`;
}

/** The chip's remove button. */
export function wireReply(): void {
  ui.replyChipRemove.addEventListener('click', () => {
    cancelReply();
    ui.input.focus();
    saveState();
  });
}
