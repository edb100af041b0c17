// Builds one message row. Payloads come from executors and are untrusted: every piece of data goes in through
// textContent or an attribute value, never through innerHTML.
import { visibleControls } from '../../src/panels/entryLimits';
import type { EntryView } from '../../src/panels/protocol';
import { appendHighlighted, type FindQuery } from './find';
import { absoluteTime, relativeTime } from './time';

export interface RowContext {
  now: number;
  /** The parent entry of a reply, when it is in the transcript. */
  parent(view: EntryView): EntryView | undefined;
  isHighlighted(key: string): boolean;
  isActive(key: string): boolean;
  /** The open find query, when it should be marked in this row, and where the current match is in it. */
  find(key: string): { query: FindQuery; currentStart?: number } | undefined;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function actionButton(action: string, label: string, title: string, disabledReason?: string): HTMLButtonElement {
  const b = el('button', 'row-action', label);
  b.type = 'button';
  b.title = disabledReason ?? title;
  b.tabIndex = -1;
  if (disabledReason) b.disabled = true;
  else b.dataset.action = action;
  return b;
}

/** The row's sequence as shown: the exact text when the number could not be carried as it is. */
export function seqLabel(view: EntryView): string {
  return `#${view.sequenceText ?? view.sequence}`;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** A one-line summary of a message, for quotes and the reply chip. */
export function summary(view: EntryView, max = 120): string {
  let text: string;
  switch (view.body.kind) {
    case 'text':
    case 'json':
      // One line, with bidi and other invisible controls shown, so a quote cannot reorder the text around it.
      text = visibleControls(view.body.text.slice(0, 4 * max).replace(/\s+/g, ' ').trim());
      break;
    case 'binary':
      text = `binary payload, ${formatSize(view.body.size)}`;
      break;
    default:
      text = view.type === 'end' ? 'stream ended' : '(empty)';
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function timeElement(view: EntryView, now: number): HTMLElement {
  const t = el('time', 'time', view.time ? relativeTime(view.time, now) : '');
  if (view.time) {
    t.dateTime = view.time;
    t.title = absoluteTime(view.time);
  }
  return t;
}

/** A body element holding `text`, with the find query's occurrences marked. */
function textBody(tag: 'div' | 'pre', className: string, text: string, view: EntryView, ctx: RowContext): HTMLElement {
  const found = ctx.find(view.key);
  if (!found) return el(tag, className, text);
  const body = el(tag, className);
  appendHighlighted(body, text, found.query, found.currentStart);
  return body;
}

function bodyElement(view: EntryView, ctx: RowContext): HTMLElement | undefined {
  const b = view.body;
  switch (b.kind) {
    case 'text': {
      const body = textBody('div', 'body body-text', b.text, view, ctx);
      if (b.truncated) body.appendChild(el('div', 'truncated', `… truncated: shown ${formatSize(b.text.length)} of ${formatSize(b.size)}; use Save Payload for the rest.`));
      return body;
    }
    case 'json':
      return textBody('pre', 'body body-json', b.text, view, ctx);
    case 'binary': {
      const box = el('div', 'body body-binary');
      box.appendChild(el('div', 'binary-size', `Binary payload · ${formatSize(b.size)}`));
      box.appendChild(el('code', 'hex', b.hex));
      return box;
    }
    default:
      return undefined;
  }
}

export function renderRow(view: EntryView, index: number, ctx: RowContext): HTMLElement {
  const row = el('div', `row sender-${view.sender} type-${cssType(view.type)}`);
  row.dataset.key = view.key;
  row.dataset.index = String(index);
  row.setAttribute('role', 'article');
  row.tabIndex = ctx.isActive(view.key) ? 0 : -1;
  if (ctx.isHighlighted(view.key)) row.classList.add('highlight');
  if (ctx.isActive(view.key)) row.classList.add('active');
  row.setAttribute('aria-label', `${view.senderLabel}, message ${view.sequenceText ?? view.sequence}${view.type !== 'data' ? `, ${view.type}` : ''}`);

  if (view.type === 'end') {
    const divider = el('div', 'end-divider');
    divider.appendChild(el('span', 'end-line'));
    const label = el('span', 'end-label', `Stream ended · ${view.senderLabel}`);
    divider.appendChild(label);
    divider.appendChild(timeElement(view, ctx.now));
    divider.appendChild(el('span', 'end-line'));
    row.appendChild(divider);
    const notes = notesElement(view);
    if (notes) row.appendChild(notes);
    const body = bodyElement(view, ctx);
    if (body) row.appendChild(body);
    row.appendChild(actions(view, true));
    return row;
  }

  const head = el('div', 'row-head');
  head.appendChild(el('span', `badge badge-${view.sender}`, view.senderLabel));
  if (view.senderId) head.lastElementChild!.setAttribute('title', view.senderId);
  head.appendChild(el('span', 'seq', seqLabel(view)));
  head.appendChild(timeElement(view, ctx.now));
  if (view.type !== 'data') head.appendChild(el('span', `type-tag type-tag-${cssType(view.type)}`, view.type));
  head.appendChild(actions(view, false));
  row.appendChild(head);

  if (view.inReplyTo) row.appendChild(quote(view, ctx));
  const notes = notesElement(view);
  if (notes) row.appendChild(notes);
  if (view.error) row.appendChild(el('div', 'server-error', `Server: ${view.error}`));
  const body = bodyElement(view, ctx);
  if (body) row.appendChild(body);
  else if (!view.error) row.appendChild(el('div', 'body body-empty', '(empty message)'));
  return row;
}

/** What the host changed to show this message (a cut type, an odd time, JSON shown as sent…). */
function notesElement(view: EntryView): HTMLElement | undefined {
  if (!view.notes?.length) return undefined;
  const box = el('div', 'row-notes');
  for (const n of view.notes) box.appendChild(el('div', 'row-note', n));
  return box;
}

function actions(view: EntryView, compact: boolean): HTMLElement {
  const box = el('span', compact ? 'row-actions row-actions-end' : 'row-actions');
  box.appendChild(actionButton('reply', 'Reply', 'Reply to this message (R)', view.noReply));
  box.appendChild(actionButton('copy', 'Copy', 'Copy this message'));
  if (view.savable) box.appendChild(actionButton('save', 'Save Payload', 'Save the payload to a file'));
  return box;
}

function quote(view: EntryView, ctx: RowContext): HTMLElement {
  const parent = ctx.parent(view);
  const q = el('button', 'quote');
  q.type = 'button';
  q.tabIndex = -1;
  if (parent) {
    q.dataset.action = 'jump-parent';
    q.title = 'Show the message this replies to';
    q.appendChild(el('span', 'quote-sender', `${parent.senderLabel} ${seqLabel(parent)}`));
    q.appendChild(el('span', 'quote-text', summary(parent)));
  } else {
    q.disabled = true;
    q.appendChild(el('span', 'quote-sender', `Reply to #${view.inReplyTo}`));
    q.appendChild(el('span', 'quote-text', 'not in this transcript'));
  }
  return q;
}

function cssType(type: string): string {
  return type === 'data' || type === 'end' || type === 'error' ? type : 'other';
}

/** Updates the relative times of a rendered row in place. */
export function refreshTimes(row: HTMLElement, now: number): void {
  for (const t of row.querySelectorAll('time')) {
    if (t.dateTime) t.textContent = relativeTime(t.dateTime, now);
  }
}
