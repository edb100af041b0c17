// A virtualized list with variable row heights: only the rows in view (plus some overscan) exist in the DOM, so a
// 10,000-message transcript stays smooth. Heights start as estimates and are replaced by measurements as rows render;
// the first visible row keeps its place on screen while heights above it change.

export interface VirtualListOptions<T extends { key: string }> {
  scroller: HTMLElement;
  spacer: HTMLElement;
  renderRow: (item: T, index: number) => HTMLElement;
  estimateHeight: (item: T) => number;
  /** Extra pixels rendered above and below the viewport. */
  overscanPx?: number;
  onRendered?: () => void;
  /** Whether the view follows the stream: then a resize (e.g. the composer growing) keeps the bottom in view. */
  following?: () => boolean;
}

/** Synchronous renders (each a forced layout) allowed between two frames before appends wait for the frame. */
const SYNC_FOLLOW_RENDERS_PER_FRAME = 2;

interface Rendered<T> {
  el: HTMLElement;
  item: T;
}

export class VirtualList<T extends { key: string }> {
  private items: T[] = [];
  private heights: number[] = [];
  private offsets = new Float64Array(1);
  private offsetsValidTo = 0; // offsets[0..offsetsValidTo] are correct
  private indexByKey = new Map<string, number>();
  private rendered = new Map<string, Rendered<T>>();
  private rafPending = false;
  /** When set, the next render keeps this row at this distance from the top of the viewport. */
  private anchor: { key: string; delta: number } | undefined;
  /** Stick to the bottom on the next render (follow mode). */
  private pinBottom = false;
  /** Stick to the bottom on the next render, if the view still follows the stream then. */
  private followPending = false;
  /** Synchronous follow renders since the last animation frame began. */
  private followRendersThisFrame = 0;

  constructor(private readonly o: VirtualListOptions<T>) {
    o.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => {
      // Wrapped text changes height with the width: what is shown is remeasured, the rest keeps its estimates.
      if (o.following?.()) this.pinBottom = true;
      else this.captureAnchor();
      this.renderNow();
    }).observe(o.scroller);
  }

  get length(): number {
    return this.items.length;
  }

  get all(): readonly T[] {
    return this.items;
  }

  itemAt(index: number): T | undefined {
    return this.items[index];
  }

  indexOf(key: string): number {
    return this.indexByKey.get(key) ?? -1;
  }

  elementFor(key: string): HTMLElement | undefined {
    return this.rendered.get(key)?.el;
  }

  renderedCount(): number {
    return this.rendered.size;
  }

  setItems(items: T[]): void {
    const keepBottom = this.isAtBottom();
    if (!keepBottom) this.captureAnchor();
    const old = new Map(this.items.map((it, i) => [it.key, this.heights[i]]));
    this.items = items.slice();
    this.heights = this.items.map((it) => old.get(it.key) ?? this.o.estimateHeight(it));
    this.indexByKey = new Map(this.items.map((it, i) => [it.key, i]));
    for (const [key, r] of this.rendered) {
      const i = this.indexByKey.get(key);
      if (i === undefined || this.items[i] !== r.item) {
        r.el.remove();
        this.rendered.delete(key);
      }
    }
    this.invalidateFrom(0);
    if (keepBottom) this.pinBottom = true;
    this.renderNow();
  }

  append(items: T[]): void {
    if (items.length === 0) return;
    const start = this.items.length;
    for (const it of items) {
      this.indexByKey.set(it.key, this.items.length);
      this.items.push(it);
      this.heights.push(this.o.estimateHeight(it));
    }
    this.invalidateFrom(start);
    this.schedule();
  }

  /**
   * Like Array.prototype.splice: rows inserted, removed or replaced anywhere. Rows after `start` move down; the
   * first visible row keeps its place on screen. Renders on the next frame. Returns false when the range does not
   * fit the list (the caller is out of step with its source).
   */
  splice(start: number, deleteCount: number, items: T[]): boolean {
    if (start > this.items.length || start + deleteCount > this.items.length) return false;
    if (!this.pinBottom && !this.followPending && start <= this.firstVisibleIndex()) this.captureAnchor();
    const measured = new Map<string, number>();
    for (let i = start; i < start + deleteCount; i++) measured.set(this.items[i].key, this.heights[i]);
    const end = start + deleteCount;
    const removed = this.items.slice(start, end);
    const heights = items.map((it) => measured.get(it.key) ?? this.o.estimateHeight(it));
    // concat, not splice(...items): a spread of thousands of arguments can overflow the stack.
    this.items = this.items.slice(0, start).concat(items, this.items.slice(end));
    this.heights = this.heights.slice(0, start).concat(heights, this.heights.slice(end));
    for (const it of removed) this.indexByKey.delete(it.key);
    for (let i = start; i < this.items.length; i++) this.indexByKey.set(this.items[i].key, i);
    for (const [key, r] of this.rendered) {
      const i = this.indexByKey.get(key);
      if (i === undefined || this.items[i] !== r.item) {
        r.el.remove();
        this.rendered.delete(key);
      }
    }
    this.invalidateFrom(start);
    this.schedule();
    return true;
  }

  /** Re-renders one row (its content changed, e.g. highlight). */
  refresh(key: string): void {
    const r = this.rendered.get(key);
    if (!r) return;
    r.el.remove();
    this.rendered.delete(key);
    this.schedule();
  }

  /** Re-renders every row on screen now, keeping the view where it is (what all rows show changed, e.g. find marks). */
  rerenderAll(): void {
    for (const r of this.rendered.values()) r.el.remove();
    this.rendered.clear();
    this.renderNow();
  }

  /** Re-renders the rendered rows that match (what they show depends on rows that just arrived). */
  refreshWhere(match: (item: T) => boolean): void {
    for (const [key, r] of this.rendered) if (match(r.item)) this.refresh(key);
  }

  isAtBottom(slackPx = 4): boolean {
    const s = this.o.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight <= slackPx;
  }

  scrollToBottom(): void {
    this.pinBottom = true;
    this.renderNow();
  }

  /**
   * Follow mode for streamed rows: keeps the newest row in view. The first calls between two frames render at once
   * (an ordinary stream shows each message without waiting); later ones wait for one render in the next frame,
   * however many appends arrive (a render per message would force a layout each time: 10,000 took seconds).
   */
  followBottom(): void {
    this.followPending = true;
    if (this.followRendersThisFrame >= SYNC_FOLLOW_RENDERS_PER_FRAME) {
      this.schedule();
      return;
    }
    if (this.followRendersThisFrame++ === 0) requestAnimationFrame(() => (this.followRendersThisFrame = 0));
    this.renderNow();
  }

  /** Brings a row into view ('center' for jumps, 'nearest' for keyboard moves). */
  scrollToIndex(index: number, align: 'center' | 'nearest' = 'nearest'): void {
    if (index < 0 || index >= this.items.length) return;
    this.pinBottom = false;
    this.anchor = undefined;
    const s = this.o.scroller;
    for (let pass = 0; pass < 3; pass++) {
      const top = this.offsetOf(index);
      const h = this.heights[index];
      let target = s.scrollTop;
      if (align === 'center') target = top - (s.clientHeight - h) / 2;
      else if (top < s.scrollTop) target = top;
      else if (top + h > s.scrollTop + s.clientHeight) target = top + h - s.clientHeight;
      s.scrollTop = Math.max(0, target);
      this.renderNow(false);
    }
  }

  /** The first row whose bottom is below the top of the viewport. */
  firstVisibleIndex(): number {
    return this.indexAtOffset(this.o.scroller.scrollTop);
  }

  schedule(): void {
    if (this.rafPending) return;
    this.rafPending = true;
    requestAnimationFrame(() => {
      this.rafPending = false;
      this.renderNow();
    });
  }

  renderNow(keepAnchor = true): void {
    const s = this.o.scroller;
    if (this.followPending) {
      this.followPending = false;
      // The user may have scrolled up since the append: then the anchor wins.
      if (this.o.following?.() ?? true) this.pinBottom = true;
    }
    if (keepAnchor && !this.pinBottom && !this.anchor && this.items.length > 0) this.captureAnchor();
    // Measuring can change heights, which moves rows: settle in a few passes.
    for (let pass = 0; pass < 4; pass++) {
      this.o.spacer.style.height = `${this.totalHeight()}px`;
      if (this.pinBottom) s.scrollTop = s.scrollHeight;
      else if (this.anchor) {
        const i = this.indexByKey.get(this.anchor.key);
        if (i !== undefined) s.scrollTop = Math.max(0, this.offsetOf(i) + this.anchor.delta);
      }
      if (!this.layoutPass()) break;
    }
    this.o.spacer.style.height = `${this.totalHeight()}px`;
    if (this.pinBottom) s.scrollTop = s.scrollHeight;
    this.pinBottom = false;
    this.anchor = undefined;
    this.o.onRendered?.();
  }

  /** Renders the rows in view; returns true when a measured height differed from what was assumed. */
  private layoutPass(): boolean {
    const s = this.o.scroller;
    const overscan = this.o.overscanPx ?? Math.max(400, s.clientHeight);
    const top = Math.max(0, s.scrollTop - overscan);
    const bottom = s.scrollTop + s.clientHeight + overscan;
    const first = this.indexAtOffset(top);
    const wanted = new Set<string>();
    const fresh: { el: HTMLElement; index: number }[] = [];
    for (let i = first; i < this.items.length && this.offsetOf(i) < bottom; i++) {
      const item = this.items[i];
      wanted.add(item.key);
      let r = this.rendered.get(item.key);
      if (!r) {
        r = { el: this.o.renderRow(item, i), item };
        this.rendered.set(item.key, r);
        this.o.scroller.appendChild(r.el);
      }
      r.el.style.transform = `translateY(${this.offsetOf(i)}px)`;
      // Inserted rows above shift the index of a rendered row.
      if (r.el.dataset.index !== String(i)) r.el.dataset.index = String(i);
      fresh.push({ el: r.el, index: i });
    }
    for (const [key, r] of this.rendered) {
      if (!wanted.has(key)) {
        r.el.remove();
        this.rendered.delete(key);
      }
    }
    let changed = false;
    for (const { el, index } of fresh) {
      const h = el.offsetHeight;
      if (h > 0 && Math.abs(h - this.heights[index]) > 0.5) {
        this.heights[index] = h;
        this.invalidateFrom(index);
        changed = true;
      }
    }
    if (changed) {
      for (const { el, index } of fresh) el.style.transform = `translateY(${this.offsetOf(index)}px)`;
    }
    return changed;
  }

  private captureAnchor(): void {
    if (this.items.length === 0) return;
    const i = this.firstVisibleIndex();
    const item = this.items[i];
    if (item) this.anchor = { key: item.key, delta: this.o.scroller.scrollTop - this.offsetOf(i) };
  }

  /** Offsets up to and including `index` stay valid (offsets[i + 1] depends on heights[i]). */
  private invalidateFrom(index: number): void {
    this.offsetsValidTo = Math.min(this.offsetsValidTo, index);
  }

  private ensureOffsets(upTo: number): void {
    if (this.offsets.length < this.items.length + 1) {
      const grown = new Float64Array(Math.max(this.items.length + 1, this.offsets.length * 2));
      grown.set(this.offsets.subarray(0, this.offsetsValidTo + 1));
      this.offsets = grown;
    }
    for (let i = this.offsetsValidTo; i < upTo && i < this.items.length; i++) this.offsets[i + 1] = this.offsets[i] + this.heights[i];
    this.offsetsValidTo = Math.max(this.offsetsValidTo, Math.min(upTo, this.items.length));
  }

  private offsetOf(index: number): number {
    this.ensureOffsets(index);
    return this.offsets[index];
  }

  private totalHeight(): number {
    return this.offsetOf(this.items.length);
  }

  private indexAtOffset(y: number): number {
    if (this.items.length === 0) return 0;
    this.ensureOffsets(this.items.length);
    let lo = 0;
    let hi = this.items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid + 1] <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
