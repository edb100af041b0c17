// The hover over a `funcname`, `conditions.executortype` or `conditions.executornames` value: what the catalog knows
// about that function (description, args, calls with wait and execution times), type or executor. Pure (no `vscode`
// import). Server text only ever goes in `text` parts, which the provider escapes (base/format.ts escapeMarkdown) into
// untrusted Markdown without HTML; `md` parts hold only this file's own Markdown.
import { countOf, formatDuration, relativeTime } from '../base/format';
import { executorStateName, type ColonyFunction, type Executor } from '../colonies/types';
import type { CatalogSnapshot } from '../store/colonyCatalog';
import type { CatalogPlace } from './catalogPlace';
import { argsFor, executorTypes, functionGroups } from './catalogSuggest';

export type HoverPart = { kind: 'md'; value: string } | { kind: 'text'; value: string };

/** Caps on what one hover shows (the catalog already caps each string; these keep the hover readable). */
export const HOVER_LIMITS = { text: 300, description: 1000, groups: 3, executors: 8, functions: 20, args: 16 };

class Parts {
  readonly parts: HoverPart[] = [];
  md(value: string): this {
    this.parts.push({ kind: 'md', value });
    return this;
  }
  /** Server text, capped; on one line unless `keepLines` (a line break would end the list item it is in). */
  text(value: string, max: number = HOVER_LIMITS.text, keepLines = false): this {
    const capped = value.length > max ? `${value.slice(0, max)}…` : value;
    const flat = keepLines ? capped : capped.replace(/\s*[\r\n]+\s*/g, ' ');
    this.parts.push({ kind: 'text', value: flat });
    return this;
  }
  /** A list of server strings, comma-separated, at most `max` of them. */
  list(values: readonly string[], max: number): this {
    const shown = values.slice(0, max);
    shown.forEach((v, i) => this.text(v).md(i < shown.length - 1 ? ', ' : ''));
    if (values.length > max) this.md(` and ${values.length - max} more`);
    return this;
  }
}

/** "1.2 s / 3.4 s / 9 s" (min / avg / max). */
function minAvgMax(min: number, avg: number, max: number): string {
  return [min, avg, max].map(formatDuration).join(' / ');
}

function statsLine(f: ColonyFunction): string {
  const n = Number.isFinite(f.counter) ? f.counter : 0;
  if (n <= 0) return 'no successful run counted yet';
  return `${countOf(n, 'call')} · wait ${minAvgMax(f.minwaittime, f.avgwaittime, f.maxwaittime)} · exec ${minAvgMax(f.minexectime, f.avgexectime, f.maxexectime)}`;
}

function lastHeard(e: Executor, now: number): string {
  const t = Date.parse(e.lastheardfromtime);
  // Go's zero time ("0001-01-01…"): never heard from.
  return Number.isFinite(t) && t > 0 ? `heard from ${relativeTime(t, now)}` : 'never heard from';
}

function footer(p: Parts, snapshot: CatalogSnapshot, colony: string, now: number): void {
  p.md('\n\n---\n\n*Colony ').text(colony).md(`, as of ${relativeTime(snapshot.fetchedAt, now)}${snapshot.restored ? ' (saved, not refreshed yet)' : ''}*`);
}

function functionHover(p: Parts, snapshot: CatalogSnapshot, place: CatalogPlace, name: string): void {
  const named = functionGroups(snapshot).filter((g) => g.funcname === name);
  const ofType = named.filter((g) => g.executortype === place.executortype);
  const groups = ofType.length ? ofType : named;
  if (groups.length === 0) {
    p.md('**Function** ').text(name).md('\n\nNo executor has registered a function of this name.');
    return;
  }
  groups.slice(0, HOVER_LIMITS.groups).forEach((g, i) => {
    if (i > 0) p.md('\n\n---\n\n');
    p.md('**Function** ').text(g.funcname).md(' · executor type ').text(g.executortype || '(none)');
    const description = g.entries.find((f) => f.description)?.description;
    if (description) p.md('\n\n').text(description, HOVER_LIMITS.description, true);
    const args = argsFor(snapshot, g.funcname, g.executortype);
    if (args.length) {
      p.md('\n\n**Args (kwargs)**');
      for (const a of args.slice(0, HOVER_LIMITS.args)) {
        p.md('\n- ').text(a.name).md(' (').text(typeof a.type === 'string' && a.type ? a.type : 'any').md(a.required ? ', required)' : ')');
        if (typeof a.description === 'string' && a.description) p.md(': ').text(a.description);
      }
      if (args.length > HOVER_LIMITS.args) p.md(`\n- and ${args.length - HOVER_LIMITS.args} more`);
    }
    p.md(`\n\n**Registered by ${countOf(g.entries.length, 'executor')}**`);
    for (const f of g.entries.slice(0, HOVER_LIMITS.executors)) p.md('\n- ').text(f.executorname).md(`: ${statsLine(f)}`);
    if (g.entries.length > HOVER_LIMITS.executors) p.md(`\n- and ${g.entries.length - HOVER_LIMITS.executors} more`);
  });
  if (groups.length > HOVER_LIMITS.groups) p.md(`\n\n(and ${groups.length - HOVER_LIMITS.groups} more executor types)`);
  p.md('\n\n*Times: min / avg / max of successful runs.*');
}

function executorLine(p: Parts, e: Executor, now: number): void {
  p.text(e.executorname).md(` — ${executorStateName(e.state)}`);
  if (e.locationname) p.md(', at ').text(e.locationname);
  p.md(`, ${lastHeard(e, now)}`);
}

function typeHover(p: Parts, snapshot: CatalogSnapshot, type: string, now: number): void {
  const summary = executorTypes(snapshot).find((t) => t.executortype === type);
  p.md('**Executor type** ').text(type);
  if (!summary || summary.executors.length === 0) {
    p.md('\n\nNo executor of this type is registered: a process for it waits until one is.');
  } else {
    p.md(`\n\n**${countOf(summary.executors.length, 'executor')}**`);
    for (const e of summary.executors.slice(0, HOVER_LIMITS.executors)) executorLine(p.md('\n- '), e, now);
    if (summary.executors.length > HOVER_LIMITS.executors) p.md(`\n- and ${summary.executors.length - HOVER_LIMITS.executors} more`);
  }
  const names = [...new Set(snapshot.functions.filter((f) => f.executortype === type).map((f) => f.funcname))].sort();
  if (names.length) p.md('\n\n**Functions** ').list(names, HOVER_LIMITS.functions);
}

function executorHover(p: Parts, snapshot: CatalogSnapshot, name: string, now: number): void {
  const e = snapshot.executors.find((x) => x.executorname === name);
  p.md('**Executor** ').text(name);
  if (!e) {
    p.md('\n\nNo executor of this name is registered.');
    return;
  }
  p.md('\n\nType ').text(e.executortype).md(` · ${executorStateName(e.state)}`);
  if (e.locationname) p.md(' · at ').text(e.locationname);
  p.md(` · ${lastHeard(e, now)}`);
  const names = [...new Set(snapshot.functions.filter((f) => f.executorname === name).map((f) => f.funcname))].sort();
  if (names.length) p.md('\n\n**Functions** ').list(names, HOVER_LIMITS.functions);
  else p.md('\n\nRegistered no functions.');
}

/** The hover at `place` (which must be on a string), or undefined where there is none. */
export function catalogHover(snapshot: CatalogSnapshot, place: CatalogPlace, colony: string, now: number): HoverPart[] | undefined {
  const value = place.node?.value;
  if (!value) return undefined;
  const p = new Parts();
  if (place.slot === 'funcname') functionHover(p, snapshot, place, value);
  else if (place.slot === 'executortype') typeHover(p, snapshot, value, now);
  else if (place.slot === 'executorname') executorHover(p, snapshot, value, now);
  else return undefined;
  footer(p, snapshot, colony, now);
  return p.parts;
}
