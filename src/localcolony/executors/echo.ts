// The echo chat executor: answers every client message on the `chat` channel with "You said: <text>"
// (threaded with inreplyto) and closes the process successfully when the client sends an `end` message.

import { ChannelSession, entryText, type ChannelEntry, type Process } from '../../colonies/index';
import { startExecutor, type ExecutorFunction, type ExecutorHandle, type ExecutorOptions, type ProcessContext } from './runner';

export const ECHO_EXECUTOR_TYPE = 'echo';
export const CHAT_CHANNEL = 'chat';

export function echoReply(text: string): string {
  return `You said: ${text}`;
}

async function handleChat(process: Process, ctx: ProcessContext): Promise<void> {
  if (!(process.spec.channels ?? []).includes(CHAT_CHANNEL)) {
    throw new Error(`The echo executor needs a function spec with a "${CHAT_CHANNEL}" channel`);
  }
  const session = new ChannelSession(ctx.client, { processId: process.processid, channel: CHAT_CHANNEL, prvkey: ctx.prvkey });
  let answered = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const onStop = () => resolve();
      ctx.signal.addEventListener('abort', onStop, { once: true });
      const finish = (fn: () => void) => {
        ctx.signal.removeEventListener('abort', onStop);
        fn();
      };
      const handle = async (entries: ChannelEntry[]) => {
        for (const e of entries) {
          if (e.senderid === session.myId) continue;
          if (e.type === 'end') {
            await ctx.client.close(process.processid, [`Chat ended after ${answered} message${answered === 1 ? '' : 's'}`], ctx.prvkey);
            return finish(resolve);
          }
          if (e.type === 'data') {
            await session.send(echoReply(entryText(e)), { inReplyTo: e.sequence });
            answered++;
          }
        }
      };
      // Replies go out in the order messages arrived, even when a send is retried.
      let chain = Promise.resolve();
      session.onDidChange(({ added }) => {
        chain = chain.then(() => handle(added)).catch((err: unknown) => finish(() => reject(err instanceof Error ? err : new Error(String(err)))));
      });
      session.onStatus((s) => {
        if (s.kind === 'ended') finish(resolve); // cancelled or closed elsewhere
        else if (s.kind === 'error' && s.fatal) finish(() => reject(new Error(s.message)));
      });
      session.start();
    });
  } finally {
    session.dispose();
  }
}

/** What the echo executor registers (it runs any funcname the same way; "chat" is the one the demo uses). */
export const ECHO_FUNCTIONS: ExecutorFunction[] = [
  {
    funcname: 'chat',
    description: `A chat on the "${CHAT_CHANNEL}" channel: answers each message with "You said: …" and closes the process when you end the conversation.`,
    args: [],
  },
];

export function startEchoExecutor(opts: ExecutorOptions): Promise<ExecutorHandle> {
  return startExecutor(opts, ECHO_EXECUTOR_TYPE, handleChat, ECHO_FUNCTIONS);
}
