// What a transcript keeps and what is stored beside it. No `vscode`.

/** What we know about the process, kept beside the transcript so a closed process still has a title. */
export interface TranscriptMeta {
  processId: string;
  channel: string;
  funcname?: string;
  colonyName?: string;
  initiatorId?: string;
  executorId?: string;
  /** The final state's name once the process finished. */
  finalState?: string;
}

/** What one channel keeps: the newest entries within both caps (the oldest go first). */
export interface ChannelLimits {
  maxEntries: number;
  /** Compared with entryWeight (about the bytes of the entry's line in the file). */
  maxBytes: number;
}

/** The defaults of the colonyos.transcripts.* settings. */
export const TRANSCRIPT_DEFAULTS = {
  maxEntriesPerChannel: 10_000,
  maxMBPerChannel: 50,
  maxTotalMB: 500,
  maxAgeDays: 90,
} as const;

export const DEFAULT_CHANNEL_LIMITS: ChannelLimits = {
  maxEntries: TRANSCRIPT_DEFAULTS.maxEntriesPerChannel,
  maxBytes: TRANSCRIPT_DEFAULTS.maxMBPerChannel * 1024 * 1024,
};
