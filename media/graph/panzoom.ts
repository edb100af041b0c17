// Owns the view transform: wheel to zoom around the pointer, drag to pan, buttons and keys, fit-to-view.
import type { ViewTransform } from '../../src/panels/graphProtocol';
import { ui } from './page';

const MIN_K = 0.02;
const MAX_K = 4;
let t: ViewTransform = { x: 0, y: 0, k: 1 };
let content = { width: 0, height: 0 };
let onChange: (t: ViewTransform) => void = () => undefined;

function apply(): void {
  ui.viewport.setAttribute('transform', `translate(${t.x.toFixed(1)} ${t.y.toFixed(1)}) scale(${t.k.toFixed(4)})`);
  onChange(t);
}

export function transform(): ViewTransform {
  return { ...t };
}

export function setTransform(next: ViewTransform): void {
  t = { x: next.x, y: next.y, k: Math.min(MAX_K, Math.max(MIN_K, next.k)) };
  apply();
}

/** The size of what is drawn, in graph units (for fit). */
export function setContentSize(width: number, height: number): void {
  content = { width, height };
}

/** Scales and centres the whole graph in the stage; never zooms in past 1. */
export function fit(): void {
  const w = ui.stage.clientWidth || 1;
  const h = ui.stage.clientHeight || 1;
  if (content.width <= 0 || content.height <= 0) return setTransform({ x: 0, y: 0, k: 1 });
  const k = Math.min(1, (w - 16) / content.width, (h - 16) / content.height);
  setTransform({ x: (w - content.width * k) / 2, y: Math.max(8, (h - content.height * k) / 2), k: Math.max(MIN_K, k) });
}

function zoomAt(factor: number, px: number, py: number): void {
  const k = Math.min(MAX_K, Math.max(MIN_K, t.k * factor));
  const f = k / t.k;
  setTransform({ x: px - (px - t.x) * f, y: py - (py - t.y) * f, k });
}

function zoomCentre(factor: number): void {
  zoomAt(factor, ui.stage.clientWidth / 2, ui.stage.clientHeight / 2);
}

/** Scrolls so the node box (graph units) is in view, keeping the zoom. */
export function centreOn(x: number, y: number): void {
  setTransform({ x: ui.stage.clientWidth / 2 - x * t.k, y: ui.stage.clientHeight / 2 - y * t.k, k: t.k });
}

export function wirePanZoom(changed: (t: ViewTransform) => void): void {
  onChange = changed;
  ui.stage.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const r = ui.stage.getBoundingClientRect();
      // Trackpad pinches arrive as ctrl+wheel with small deltas; a mouse wheel notch is about 100.
      const factor = Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015));
      zoomAt(factor, e.clientX - r.left, e.clientY - r.top);
    },
    { passive: false },
  );
  let drag: { id: number; x: number; y: number; tx: number; ty: number; moved: boolean } | undefined;
  ui.stage.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    drag = { id: e.pointerId, x: e.clientX, y: e.clientY, tx: t.x, ty: t.y, moved: false };
  });
  ui.stage.addEventListener('pointermove', (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!drag.moved) ui.stage.setPointerCapture(e.pointerId);
    drag.moved = true;
    ui.stage.classList.add('dragging');
    setTransform({ x: drag.tx + dx, y: drag.ty + dy, k: t.k });
  });
  const end = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.id) return;
    if (drag.moved) {
      // A drag is not a click on the node it ended over.
      ui.stage.addEventListener('click', (c) => c.stopPropagation(), { capture: true, once: true });
    }
    drag = undefined;
    ui.stage.classList.remove('dragging');
  };
  ui.stage.addEventListener('pointerup', end);
  ui.stage.addEventListener('pointercancel', end);
  ui.zoomIn.addEventListener('click', () => zoomCentre(1.25));
  ui.zoomOut.addEventListener('click', () => zoomCentre(0.8));
  ui.fit.addEventListener('click', fit);
  ui.stage.addEventListener('keydown', (e) => {
    if (e.target !== ui.stage) return;
    const step = 60;
    if (e.key === '+' || e.key === '=') zoomCentre(1.25);
    else if (e.key === '-') zoomCentre(0.8);
    else if (e.key === '0') fit();
    else if (e.key === 'ArrowLeft') setTransform({ ...t, x: t.x + step });
    else if (e.key === 'ArrowRight') setTransform({ ...t, x: t.x - step });
    else if (e.key === 'ArrowUp') setTransform({ ...t, y: t.y + step });
    else if (e.key === 'ArrowDown') setTransform({ ...t, y: t.y - step });
    else return;
    e.preventDefault();
  });
}
