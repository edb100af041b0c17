// What the hostile executor (hostileExecutorProcess.ts) sends, shared with the test that checks what the panel makes
// of it. Each plan is named in the function spec's args: ["<plan>", ...parameters].

/** One channel append as the executor makes it: any sequence, type and reply number it likes. */
export interface HostileAppend {
  sequence: number;
  payload: Uint8Array;
  type?: string;
  inReplyTo?: number;
  /** What the test calls this entry. */
  label: string;
}

const text = (s: string) => new TextEncoder().encode(s);

/** 4 KB of `[[[…]]]`: a few KB that indent to megabytes (the 10 of them made an 8.8-million-character message). */
export function nestedArrays(chars: number): string {
  return '['.repeat(chars / 2) + ']'.repeat(chars / 2);
}

/** Every odd shape of a single entry, in the order the executor sends them. */
export function shapes(): HostileAppend[] {
  return [
    { label: 'plain', sequence: 1, payload: text('hello from a hostile executor') },
    { label: 'seq 2^60', sequence: 2 ** 60, payload: text('my sequence is 2^60') },
    { label: 'giant type', sequence: 2, payload: text('my type has 20,000 characters'), type: 'T'.repeat(20_000) },
    { label: 'negative seq', sequence: -7, payload: text('my sequence is negative') },
    { label: 'zero seq', sequence: 0, payload: text('my sequence is zero') },
    { label: 'invalid utf-8', sequence: 3, payload: new Uint8Array([0x68, 0x69, 0xc3, 0x28, 0xff, 0xfe]) },
    { label: 'control chars', sequence: 4, payload: text('\u001b[31mred\u001b[0m and a bell\u0007') },
    { label: 'rtl override', sequence: 5, payload: text('invoice\u202Efdp.exe and \u2066isolate'), type: 'gnp\u202E.exe\r\n# heading' },
    { label: 'html', sequence: 6, payload: text('<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>') },
    { label: 'reply to 2^60', sequence: 7, payload: text('replying to 2^60'), inReplyTo: 2 ** 60 },
    { label: 'deep nesting', sequence: 8, payload: text(nestedArrays(200_000)) },
    { label: 'nested 4 KB', sequence: 9, payload: text(nestedArrays(4096)) },
    { label: 'last', sequence: 10, payload: text('after the hostile entries') },
  ];
}

/** The order the panel shows them in: one sender's entries by sequence (docs/protocol.md §6). */
export function shapesInLogOrder(): HostileAppend[] {
  return shapes().sort((a, b) => a.sequence - b.sequence);
}

/** A seeded Fisher-Yates shuffle (the test replays it). */
export function shuffled(n: number, seed: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i + 1);
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The appends of a plan, in the order they are made. */
export function planAppends(plan: string, params: number[]): HostileAppend[] {
  switch (plan) {
    case 'shapes':
      return shapes();
    case 'nested': {
      const [count = 500] = params;
      const payload = text(nestedArrays(4096));
      return Array.from({ length: count }, (_, i) => ({ label: `nested ${i + 1}`, sequence: i + 1, payload }));
    }
    case 'decreasing': {
      const [count = 300, size = 64 * 1024] = params;
      return Array.from({ length: count }, (_, i) => {
        const sequence = count - i;
        const head = `message ${sequence} `;
        return { label: `m${sequence}`, sequence, payload: text(head + 'x'.repeat(size - head.length)) };
      });
    }
    case 'shuffled': {
      const [count = 3000, seed = 1] = params;
      return shuffled(count, seed).map((sequence) => ({ label: `s${sequence}`, sequence, payload: text(`shuffled ${sequence}`) }));
    }
    case 'huge': {
      const size = 10 * 1024 * 1024;
      const binary = new Uint8Array(size);
      for (let i = 0; i < size; i++) binary[i] = (i * 2654435761) >>> 24;
      // 5,242,879 zeros: one byte under the limit.
      const json = text(`[${'0,'.repeat((size - 2) / 2 - 1)}0]`);
      return [
        { label: '10 MiB text', sequence: 1, payload: new Uint8Array(size).fill(0x61) },
        { label: '10 MiB binary', sequence: 2, payload: binary },
        { label: '10 MiB JSON', sequence: 3, payload: json },
      ];
    }
    default:
      throw new Error(`unknown hostile plan ${plan}`);
  }
}
