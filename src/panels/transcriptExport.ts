// Export formats for a transcript: Markdown for people, JSON Lines for tools. Pure functions, no `vscode`.
// Everything an executor or a server controls (type, sender, times, error texts, payloads, and the channel and
// function names) is escaped in Markdown: inline text cannot start a heading, a list or HTML, and payloads sit in code
// fences they cannot close.
import type { ChannelEntry } from '../colonies/types';
import { countOf } from '../base/format';
import { visibleControls } from './entryLimits';
import { MAX_PRETTY_JSON_INPUT, rowKey, hexPreview, payloadText, prettyBudget, senderOf, type Parties } from './entryView';
import { prettyJson } from './jsonPretty';
import type { TranscriptMeta } from './transcriptLimits';

/** A fence longer than any backtick run inside `text`, so payloads cannot break out of their code block. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * Untrusted text as inline Markdown: one line (controls, line breaks and bidi characters shown as `\u{…}`, so it can
 * never start a line of its own), and every character that means something inline backslash-escaped (CommonMark lets
 * any ASCII punctuation be escaped), so it renders as the characters it is: no emphasis, code spans, links, images,
 * HTML, entities, strikethrough, table cells or math.
 */
export function markdownInline(text: string): string {
  return visibleControls(text).replace(/[\\`*_[\]()<>!&~|{}$]/g, (c) => `\\${c}`);
}

/** Payload text inside a fence: line breaks normalised (a lone CR is a line break in Markdown too). */
function fenceBody(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export function transcriptToMarkdown(entries: readonly ChannelEntry[], meta: TranscriptMeta, parties: Parties, exportedAt = new Date(), dropped = 0): string {
  const md = markdownInline;
  const lines: string[] = [];
  lines.push(`# Channel ${md(meta.channel)} of ${meta.funcname ? md(meta.funcname) : 'process'} ${md(meta.processId)}`, '');
  if (meta.colonyName) lines.push(`- Colony: ${md(meta.colonyName)}`);
  lines.push(`- Process: ${md(meta.processId)}`);
  if (meta.finalState) lines.push(`- Final state: ${md(meta.finalState)}`);
  lines.push(`- Messages: ${entries.length}`);
  if (dropped > 0) lines.push(`- Older messages dropped by the transcript limits: ${dropped}`);
  lines.push(`- Exported: ${exportedAt.toISOString()}`, '');
  for (const e of entries) lines.push(...entryToMarkdown(e, parties), '');
  return lines.join('\n');
}

function entryToMarkdown(e: ChannelEntry, parties: Parties): string[] {
  const md = markdownInline;
  const { label } = senderOf(e.senderid, parties);
  const parts = [`**${md(label)}**`, md(e.timestamp), md(`#${e.sequence}`)];
  if (e.inreplyto) parts.push(md(`reply to #${e.inreplyto}`));
  if (e.type && e.type !== 'data') parts.push(`type: ${md(e.type)}`);
  const out = [`### ${parts.join(' · ')}`];
  if (e.error) out.push(`> server error: ${md(e.error)}`);
  const bytes = e.payload ?? new Uint8Array();
  const text = bytes.length ? payloadText(bytes) : '';
  if (text === undefined) {
    out.push(`_binary payload, ${countOf(bytes.length, 'byte')}:_ \`${hexPreview(bytes)}\``);
  } else if (text) {
    // The full text, not the display-truncated one; JSON indented when that stays within its budget.
    const trimmed = text.trim();
    let body = text;
    let lang = '';
    if (bytes.length <= MAX_PRETTY_JSON_INPUT && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
      const pretty = prettyJson(trimmed, prettyBudget(trimmed.length, Number.MAX_SAFE_INTEGER));
      if (pretty.valid) {
        lang = 'json';
        if ('text' in pretty) body = pretty.text;
      }
    }
    body = fenceBody(body);
    const fence = fenceFor(body);
    out.push(`${fence}${lang}`, body, fence);
  }
  return out;
}

export function transcriptToJsonl(entries: readonly ChannelEntry[], parties: Parties): string {
  return entries
    .map((e) => {
      const text = payloadText(e.payload);
      const line: Record<string, unknown> = {
        key: rowKey(e),
        sequence: e.sequence,
        inreplyto: e.inreplyto || 0,
        timestamp: e.timestamp,
        senderid: e.senderid,
        sender: senderOf(e.senderid, parties).label,
        type: e.type || 'data',
        error: e.error || '',
      };
      if (text !== undefined) line.payload = text;
      else line.payload_base64 = Buffer.from(e.payload).toString('base64');
      return `${JSON.stringify(line)}\n`;
    })
    .join('');
}

/** Plain text of one message, for the clipboard. */
export function entryToClipboardText(e: ChannelEntry): string {
  const text = payloadText(e.payload);
  if (text !== undefined) return text;
  return `<binary payload, ${countOf(e.payload.length, 'byte')}, base64: ${Buffer.from(e.payload).toString('base64')}>`;
}

/** The whole conversation as plain text, for the clipboard. */
export function transcriptToPlainText(entries: readonly ChannelEntry[], parties: Parties): string {
  return entries
    .map((e) => {
      const { label } = senderOf(e.senderid, parties);
      const type = e.type && e.type !== 'data' ? ` [${e.type}]` : '';
      return `[${e.timestamp}] ${label}${type}: ${entryToClipboardText(e)}`;
    })
    .join('\n');
}
