// A minimal stand-in for the `vscode` module, enough for the tree provider to build its TreeItems in plain Node
// (the tree benchmark). Installed by hooking Node's module loader; nothing here behaves like VS Code beyond
// holding the values the provider sets.
import Module from 'node:module';

class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  event = (listener: (e: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

class MarkdownString {
  constructor(public value = '') {}
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
    return this;
  }
  appendCodeblock(code: string, lang = ''): this {
    this.value += `\n\`\`\`${lang}\n${code}\n\`\`\`\n`;
    return this;
  }
}

export const vscodeStub = {
  EventEmitter,
  MarkdownString,
  TreeItem: class {
    constructor(
      public label: unknown,
      public collapsibleState?: number,
    ) {}
  },
  ThemeIcon: class {
    constructor(
      public id: string,
      public color?: unknown,
    ) {}
  },
  ThemeColor: class {
    constructor(public id: string) {}
  },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  Disposable: class {
    constructor(private readonly fn: () => void) {}
    dispose(): void {
      this.fn();
    }
  },
};

let installed = false;

/** Makes `require('vscode')` return the stub. */
export function installVscodeStub(): void {
  if (installed) return;
  installed = true;
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = mod._load;
  mod._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return vscodeStub;
    return original.call(this, request, ...rest);
  };
}
