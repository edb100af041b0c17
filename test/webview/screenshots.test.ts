// Screenshots of the panel in dark and light themes, for people to look at (.artifacts/webview/*.png).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChannelEntry } from '../../src/colonies/types';
import { ARTIFACTS, ChatBrowser, DARK_THEME, EXECUTOR, LIGHT_THEME, ME, entry, init, views } from './harness';

function conversation(): ChannelEntry[] {
  const list = [
    entry(EXECUTOR, 1, 'Hello! I am the echo executor. Send me anything and I will repeat it.'),
    entry(ME, 1, 'Can you summarise the last training run?'),
    entry(EXECUTOR, 2, 'Epoch 12/12 finished.\nValidation loss: 0.0421\nAccuracy: 98.7 %', { inreplyto: 1 }),
    entry(EXECUTOR, 3, '{"epoch":12,"loss":0.0421,"metrics":{"accuracy":0.987,"f1":0.981},"checkpoint":"s3://runs/42/ckpt-12"}'),
    entry(EXECUTOR, 4, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x02, 0x00])),
    entry(ME, 2, 'Thanks, that looks <b>great</b>. Please also export the confusion matrix.', { inreplyto: 3 }),
    entry(EXECUTOR, 5, 'confusion matrix export failed: disk quota exceeded', { type: 'error' }),
    entry(EXECUTOR, 6, '', { type: 'end' }),
  ];
  // Recent times, so the relative times read like a live conversation.
  const now = Date.now();
  return list.map((e, i) => ({ ...e, timestamp: new Date(now - (list.length - i) * 47_000).toISOString() }));
}

describe('chat webview: screenshots', function () {
  this.timeout(90_000);
  const browser = new ChatBrowser();
  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await browser.launch();
  });
  after(async () => browser.close());

  for (const [name, theme, themeClass] of [
    ['dark', DARK_THEME, 'vscode-dark'],
    ['light', LIGHT_THEME, 'vscode-light'],
  ] as const) {
    it(`renders a conversation in the ${name} theme`, async () => {
      const chat = await browser.open({ theme, themeClass });
      await chat.send(init(views(conversation())));
      // Clicked in the page: a Playwright click would scroll the list to the button first.
      await chat.page.evaluate(() => (document.querySelectorAll('#list .row')[2].querySelector('[data-action="reply"]') as HTMLElement).click());
      await chat.page.locator('#list .row').nth(6).hover();
      await chat.page.locator('#input').fill('Which checkpoint should I use for the demo?');
      const file = path.join(ARTIFACTS, `chat-${name}.png`);
      await chat.page.screenshot({ path: file });
      assert.ok(fs.statSync(file).size > 10_000);

      await chat.send({ type: 'status', status: { kind: 'waiting' }, composer: { enabled: true, hint: 'Queued for the executor: it will read the channel history when it starts.' } });
      await chat.send(init(views([]), { kind: 'waiting' }, { enabled: true, hint: 'Queued for the executor: it will read the channel history when it starts.' }));
      await chat.page.screenshot({ path: path.join(ARTIFACTS, `chat-${name}-waiting.png`) });

      await chat.send(
        init(views(conversation()), { kind: 'finished', state: 'Successful' }, {
          enabled: false,
          reason: 'The process has finished (Successful). The server deletes channels when a process closes; this transcript is kept locally.',
        }),
      );
      await chat.page.screenshot({ path: path.join(ARTIFACTS, `chat-${name}-finished.png`) });
      await chat.close();
      assert.deepEqual(chat.problems, []);
    });
  }
});
