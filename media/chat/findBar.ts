// Owns the find bar: opening and closing it, the query, the count, and moving between matches (search logic: find.ts).
import { countLabel, findAll, keepPosition, type FindQuery } from './find';
import { list, setActive, updateJump } from './list';
import { ui } from './page';
import { currentMatch, state } from './state';

const findState = state.find;

function openFind(): void {
  ui.find.hidden = false;
  const selected = window.getSelection()?.toString() ?? '';
  if (selected && !selected.includes('\n') && selected.length <= 200) ui.findInput.value = selected;
  ui.findInput.focus();
  ui.findInput.select();
  runFind(true);
}

function closeFind(): void {
  if (ui.find.hidden) return;
  ui.find.hidden = true;
  const shown = currentMatch();
  findState.query = undefined;
  findState.matches = [];
  findState.current = -1;
  list.rerenderAll();
  if (shown) setActive(shown.key, true);
  // The match's row may have scrolled out of the rendered window since: the list itself takes the focus then.
  if (!ui.list.contains(document.activeElement)) ui.list.focus();
}

/** Searches the whole transcript for the input's text and shows the result; `reveal` scrolls to the match. */
function runFind(reveal: boolean): void {
  search();
  showFind(reveal);
}

/** Finds every match of the input's text and picks the current one; shows nothing. */
function search(): void {
  const text = ui.findInput.value;
  const query: FindQuery | undefined = text ? { text, matchCase: ui.findCase.getAttribute('aria-pressed') === 'true' } : undefined;
  const previous = currentMatch();
  const sameQuery = query && findState.query && query.text === findState.query.text && query.matchCase === findState.query.matchCase;
  findState.query = query;
  const result = query ? findAll(list.all, query) : { matches: [], capped: false };
  findState.matches = result.matches;
  findState.capped = result.capped;
  findState.stale = false;
  // A refresh keeps its place. A new query searches on from where the user is: the current match's row, or the first
  // row on screen (wrapping to the newest match when nothing follows).
  if (sameQuery) findState.current = keepPosition(result.matches, previous, (k) => list.indexOf(k));
  else {
    const at = previous ? list.indexOf(previous.key) : -1;
    const from = at >= 0 ? at : list.firstVisibleIndex();
    const fromStart = at >= 0 ? previous!.start : 0;
    const next = result.matches.findIndex((m) => m.index > from || (m.index === from && m.start >= fromStart));
    findState.current = next >= 0 ? next : result.matches.length - 1;
  }
}

/** The count, the marks in the rows on screen, and (with `reveal`) the current match scrolled into view. */
function showFind(reveal: boolean): void {
  renderFindCount();
  list.rerenderAll();
  if (reveal) revealMatch();
}

function moveFind(delta: 1 | -1): void {
  if (findState.stale) search();
  const n = findState.matches.length;
  if (n > 0) findState.current = (findState.current + delta + n) % n;
  showFind(n > 0);
}

function revealMatch(): void {
  const m = currentMatch();
  if (!m) return;
  list.scrollToIndex(list.indexOf(m.key), 'center');
  // A match near the end can leave the view at the bottom: then it keeps following the stream.
  state.following = list.isAtBottom();
  setActive(m.key, false);
  updateJump();
}

function renderFindCount(): void {
  const text = findState.query ? countLabel(findState.current, findState.matches.length, findState.capped) : '';
  ui.findCount.textContent = text;
  ui.find.classList.toggle('no-results', !!findState.query && findState.matches.length === 0);
  ui.findPrev.disabled = ui.findNext.disabled = findState.matches.length === 0;
}

let findRecountTimer: ReturnType<typeof setTimeout> | undefined;
/** The transcript changed under an open find: recount soon, keeping the current match, without moving the view. */
export function transcriptChangedForFind(): void {
  if (!findState.query) return;
  findState.stale = true;
  if (findRecountTimer) return;
  findRecountTimer = setTimeout(() => {
    findRecountTimer = undefined;
    if (findState.query && findState.stale) runFind(false);
  }, 150);
}

/** The find bar's buttons and keys, and Ctrl+F / F3 anywhere in the panel. */
export function wireFind(): void {
  ui.findOpen.addEventListener('click', openFind);
  ui.findClose.addEventListener('click', closeFind);
  ui.findNext.addEventListener('click', () => moveFind(1));
  ui.findPrev.addEventListener('click', () => moveFind(-1));
  ui.findInput.addEventListener('input', () => runFind(true));
  ui.findCase.addEventListener('click', () => {
    ui.findCase.setAttribute('aria-pressed', ui.findCase.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
    runFind(true);
  });
  ui.find.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target === ui.findInput) moveFind(e.shiftKey ? -1 : 1);
    else if (e.key === 'Escape') closeFind();
    else if (e.altKey && (e.key === 'c' || e.key === 'C')) ui.findCase.click();
    else return;
    e.preventDefault();
    e.stopPropagation();
  });
  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.key === 'f' || e.key === 'F')) openFind();
    else if (e.key === 'F3' && !ui.find.hidden) moveFind(e.shiftKey ? -1 : 1);
    else return;
    e.preventDefault();
  });
}
