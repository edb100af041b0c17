// Executor payloads are untrusted: markup and scripts must show as text and never run, under the real page's CSP.
import * as assert from 'node:assert/strict';
import { useChatPage, EXECUTOR, ME, entry, init, views, type ChatPage } from './harness';

const HOSTILE = [
  '<img src=x onerror="window.__pwned = \'img\'">',
  '<script>window.__pwned = "script"</script>',
  '<a href="javascript:window.__pwned=\'link\'">click me</a>',
  '<svg onload="window.__pwned=\'svg\'"></svg>',
  '<style>body { display: none }</style>',
  '{"html": "<img src=x onerror=window.__pwned=\'json\'>"}',
];

describe('chat webview: untrusted payloads', function () {
  this.timeout(60_000);
  const { chat: page } = useChatPage();
  let chat: ChatPage;
  beforeEach(async () => {
    chat = page();
  });

  it('shows markup payloads as text and never executes them', async () => {
    const entries = HOSTILE.map((p, i) => entry(i % 2 ? ME : EXECUTOR, i + 1, p));
    // A reply quoting a hostile parent, and a hostile server error text, take other rendering paths.
    entries.push(entry(ME, 20, '<b>bold?</b>', { inreplyto: 1 }));
    entries.push(entry(EXECUTOR, 21, '', { error: '<img src=x onerror="window.__pwned=\'err\'">' }));
    await chat.send(init(views(entries)));
    const page = chat.page;
    await page.waitForFunction((n) => document.querySelectorAll('#list .row').length === n, entries.length);

    const text = await page.locator('#list').innerText();
    for (const p of HOSTILE.slice(0, 4)) assert.ok(text.includes(p), `payload not shown as text: ${p}`);
    assert.ok(text.includes('"html": "<img src=x onerror=window.__pwned=\'json\'>"'), 'JSON payload not shown pretty as text');
    assert.ok(text.includes('<b>bold?</b>'));

    const counts = await page.evaluate(() => ({
      img: document.querySelectorAll('#list img').length,
      a: document.querySelectorAll('#list a').length,
      svg: document.querySelectorAll('#list svg').length,
      style: document.querySelectorAll('#list style').length,
      scripts: document.querySelectorAll('script').length,
      b: document.querySelectorAll('#list b').length,
      pwned: (window as any).__pwned,
      bodyVisible: getComputedStyle(document.body).display !== 'none',
    }));
    assert.deepEqual(counts, { img: 0, a: 0, svg: 0, style: 0, scripts: 1, b: 0, pwned: undefined, bodyVisible: true });

    // Clicking the would-be link does nothing either.
    await page.getByText('click me').first().click();
    assert.equal(await page.evaluate(() => (window as any).__pwned), undefined);
    assert.equal(new URL(page.url()).pathname, '/index.html');
  });

  it('shows the channel title from the host as text', async () => {
    await chat.send({
      type: 'init',
      info: { processId: 'p'.repeat(64), shortId: 'pppppppppppp', channel: '<img src=x onerror=window.__pwned=1>', funcname: '<script>x</script>', colonyName: 'dev' },
      entries: [],
      status: { kind: 'live' },
      composer: { enabled: true },
    });
    assert.equal(await chat.page.locator('#title-channel').innerText(), '<img src=x onerror=window.__pwned=1>');
    assert.match(await chat.page.locator('#title-process').innerText(), /<script>x<\/script>/);
    assert.equal(await chat.page.evaluate(() => document.querySelectorAll('img').length), 0);
  });

  it('ignores malformed host messages without breaking', async () => {
    await chat.send({ type: 'init', entries: 'nope' });
    await chat.send({ type: 'entries', mode: 'append', entries: [{ key: 1 }] });
    await chat.send({ type: 'unknown' });
    await chat.send(init(views([entry(EXECUTOR, 1, 'still works')])));
    assert.equal(await chat.page.locator('#list .row').count(), 1);
    assert.match(await chat.page.locator('#list').innerText(), /still works/);
  });
});
