// Export formats for a transcript: Markdown for people, JSON Lines for tools. Pure functions, no `vscode`.
import type { ChannelEntry } from '../colonies/types';
import { describeBody, entryKey, payloadText, senderOf, type Parties } from './entryView';
import type { TranscriptMeta } from './transcriptStore';

/** A fence longer than any backtick run inside `text`, so payloads cannot break out of their code block. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

export function transcriptToMarkdown(entries: readonly ChannelEntry[], meta: TranscriptMeta, parties: Parties, exportedAt = new Date()): string {
  const lines: string[] = [];
  lines.push(`# Channel \`${meta.channel}\` of ${meta.funcname ? `\`${meta.funcname}\`` : 'process'} ${meta.processId}`, '');
  if (meta.colonyName) lines.push(`- Colony: ${meta.colonyName}`);
  lines.push(`- Process: ${meta.processId}`);
  if (meta.finalState) lines.push(`- Final state: ${meta.finalState}`);
  lines.push(`- Messages: ${entries.length}`, `- Exported: ${exportedAt.toISOString()}`, '');
  for (const e of entries) lines.push(...entryToMarkdown(e, parties), '');
  return lines.join('\n');
}

function entryToMarkdown(e: ChannelEntry, parties: Parties): string[] {
  const { label } = senderOf(e.senderid, parties);
  const parts = [`**${label}**`, e.timestamp, `#${e.sequence}`];
  if (e.inreplyto) parts.push(`reply to #${e.inreplyto}`);
  if (e.type && e.type !== 'data') parts.push(`type: ${e.type}`);
  const out = [`### ${parts.join(' · ')}`];
  if (e.error) out.push(`> server error: ${e.error.replace(/\n/g, ' ')}`);
  const body = describeBody(e.payload);
  if (body.kind === 'binary') {
    out.push(`_binary payload, ${body.size} bytes:_ \`${body.hex}\``);
  } else if (body.kind !== 'empty') {
    // The full text, not the display-truncated one.
    const text = body.kind === 'json' ? body.text : (payloadText(e.payload) ?? '');
    const fence = fenceFor(text);
    out.push(body.kind === 'json' ? `${fence}json` : fence, text, fence);
  }
  return out;
}

export function transcriptToJsonl(entries: readonly ChannelEntry[], parties: Parties): string {
  return entries
    .map((e) => {
      const text = payloadText(e.payload);
      const line: Record<string, unknown> = {
        key: entryKey(e),
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
  return `<binary payload, ${e.payload.length} bytes, base64: ${Buffer.from(e.payload).toString('base64')}>`;
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
