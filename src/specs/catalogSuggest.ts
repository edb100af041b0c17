// What the function catalog offers at a place in a spec (catalogPlace.ts): registered functions, executor types,
// executor names, locations and kwargs keys, from a catalog snapshot (store/colonyCatalog.ts). Pure (no `vscode`
// import). Everything here came from a server: the provider shows labels, details and documentation as plain text.
import { countOf } from '../base/format';
import { executorStateName, type ColonyFunction, type Executor, type FunctionArg } from '../colonies/types';
import type { CatalogSnapshot } from '../store/colonyCatalog';
import type { CatalogPlace } from './catalogPlace';

export type SuggestionKind = 'function' | 'type' | 'executor' | 'location' | 'key';

export interface CatalogSuggestion {
  label: string;
  detail: string;
  /** Plain text for the details pane (server text: never rendered as Markdown). */
  documentation?: string;
  kind: SuggestionKind;
  /** JSON text that replaces the string at the cursor (or goes in at the cursor); a snippet when `snippet`. */
  insertText: string;
  snippet: boolean;
  /** Items that fit the rest of the spec (its executor type) sort first. */
  sortText: string;
}

/** Functions of one name and executor type: one completion item however many executors registered it. */
export interface FunctionGroup {
  funcname: string;
  executortype: string;
  entries: ColonyFunction[];
}

export function functionGroups(snapshot: CatalogSnapshot): FunctionGroup[] {
  const groups = new Map<string, FunctionGroup>();
  for (const f of snapshot.functions) {
    if (!f.funcname) continue;
    const key = JSON.stringify([f.funcname, f.executortype]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { funcname: f.funcname, executortype: f.executortype ?? '', entries: [] }));
    g.entries.push(f);
  }
  return [...groups.values()].sort((a, b) => a.funcname.localeCompare(b.funcname) || a.executortype.localeCompare(b.executortype));
}

export interface TypeSummary {
  executortype: string;
  executors: Executor[];
  functions: number;
}

/** Every executor type seen: of an executor, or of a registered function (whose executor may be gone). */
export function executorTypes(snapshot: CatalogSnapshot): TypeSummary[] {
  const types = new Map<string, TypeSummary>();
  const at = (t: string) => {
    let s = types.get(t);
    if (!s) types.set(t, (s = { executortype: t, executors: [], functions: 0 }));
    return s;
  };
  for (const e of snapshot.executors) if (e.executortype) at(e.executortype).executors.push(e);
  for (const f of snapshot.functions) if (f.executortype) at(f.executortype).functions++;
  return [...types.values()].sort((a, b) => a.executortype.localeCompare(b.executortype));
}

export function locations(snapshot: CatalogSnapshot): string[] {
  const seen = new Set<string>();
  for (const e of snapshot.executors) if (e.locationname) seen.add(e.locationname);
  for (const f of snapshot.functions) if (f.locationname) seen.add(f.locationname);
  return [...seen].sort();
}


function countStates(executors: readonly Executor[]): string {
  const counts = new Map<string, number>();
  for (const e of executors) counts.set(executorStateName(e.state), (counts.get(executorStateName(e.state)) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
}

/** The args of the functions a spec names: of its executor type when that type registered the name, else of any. */
export function argsFor(snapshot: CatalogSnapshot, funcname: string | undefined, executortype: string | undefined): FunctionArg[] {
  if (!funcname) return [];
  const named = snapshot.functions.filter((f) => f.funcname === funcname);
  const ofType = named.filter((f) => f.executortype === executortype);
  const args = new Map<string, FunctionArg>();
  for (const f of ofType.length ? ofType : named) {
    for (const a of f.args ?? []) if (a && typeof a.name === 'string' && a.name && !args.has(a.name)) args.set(a.name, a);
  }
  return [...args.values()];
}

/** Characters with a meaning in VS Code snippets, escaped so server text is inserted as written. */
function snippetText(s: string): string {
  return s.replace(/[\\$}]/g, (c) => `\\${c}`);
}

function valuePlaceholder(type: unknown): string {
  const t = typeof type === 'string' ? type.toLowerCase() : '';
  if (/^(str|string|text)$/.test(t)) return '"$1"';
  if (/^(int|integer|float|double|number|int64|float64)$/.test(t)) return '${1:0}';
  if (/^(bool|boolean)$/.test(t)) return '${1:false}';
  if (/^(array|list|\[\])/.test(t)) return '[$1]';
  if (/^(object|dict|map)/.test(t)) return '{$1}';
  return '$1';
}

function item(kind: SuggestionKind, label: string, detail: string, first: boolean, documentation?: string): CatalogSuggestion {
  return { kind, label, detail, documentation, insertText: JSON.stringify(label), snippet: false, sortText: `${first ? '0' : '1'}${label}` };
}

/** What to offer at `place`, from `snapshot`. */
export function catalogSuggestions(snapshot: CatalogSnapshot, place: CatalogPlace): CatalogSuggestion[] {
  switch (place.slot) {
    case 'funcname':
      return functionGroups(snapshot).map((g) => {
        const executors = new Set(g.entries.map((f) => f.executorname)).size;
        const description = g.entries.find((f) => f.description)?.description;
        return item('function', g.funcname, `${g.executortype || '(no type)'} · ${countOf(executors, 'executor')}`, g.executortype === place.executortype, description);
      });
    case 'executortype':
      return executorTypes(snapshot).map((t) => {
        const parts = [t.executors.length ? `${countOf(t.executors.length, 'executor')} (${countStates(t.executors)})` : 'no executor', countOf(t.functions, 'function')];
        return item('type', t.executortype, parts.join(' · '), t.executors.length > 0);
      });
    case 'executorname':
      return snapshot.executors
        .filter((e) => e.executorname)
        .map((e) => {
          const where = e.locationname ? ` · ${e.locationname}` : '';
          return item('executor', e.executorname, `${e.executortype} · ${executorStateName(e.state)}${where}`, !place.executortype || e.executortype === place.executortype);
        });
    case 'locationname':
      return locations(snapshot).map((l) => {
        const n = snapshot.executors.filter((e) => e.locationname === l && (!place.executortype || e.executortype === place.executortype)).length;
        return item('location', l, place.executortype ? `${countOf(n, 'executor')} of type ${place.executortype}` : countOf(n, 'executor'), n > 0);
      });
    case 'kwargsKey':
      return argsFor(snapshot, place.funcname, place.executortype)
        .filter((a) => !place.presentKeys.includes(a.name))
        .map((a) => {
          const key = JSON.stringify(a.name);
          const detail = [typeof a.type === 'string' && a.type ? a.type : 'any', a.required ? 'required' : 'optional'].join(' · ');
          const choices = Array.isArray(a.enum) && a.enum.length ? `One of: ${a.enum.slice(0, 20).join(', ')}` : '';
          const documentation = [typeof a.description === 'string' ? a.description : '', choices].filter(Boolean).join('\n\n') || undefined;
          const s = item('key', a.name, `${detail} · ${place.funcname ?? ''}`, !!a.required, documentation);
          return place.colonFollows ? s : { ...s, insertText: `${snippetText(key)}: ${valuePlaceholder(a.type)}`, snippet: true };
        });
  }
}
