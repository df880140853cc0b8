import { parseFilterTemplate, parseTextTemplate, placeholdersOf, type Placeholder, type ValueTemplate } from '../filter/index.js';
import type { Lexicon } from './lexicon.js';
import type { CharterMessage } from './messages.js';
import type { CompiledAlternative, CompiledEntry, CompiledItem, CompiledRule } from './model.js';
import type { Problems } from './problems.js';
import { regexRules } from './regex-rules.js';
import { tokenLanguage } from './enumerate.js';
import type { Alternative, Item, Position, RuleStatement, Text } from './syntax.js';

export interface CompiledGrammar {
  rules: CompiledRule[];
  start: string;
  /** Rule name -> the rules and tables reachable from it (itself included), for placeholder checks. */
  reach: Map<string, Reach>;
}

interface Reach {
  rules: Set<string>;
  tables: Set<string>;
}

/**
 * Compiles the address grammar: the first rule is the address; every rule must be defined once and
 * used; tables, token classes, filters and labels must be valid; placeholders must name a part.
 */
export function compileRules(statements: RuleStatement[], lexicons: Map<string, Lexicon>, problems: Problems): CompiledGrammar {
  const byName = new Map<string, RuleStatement>();
  for (const s of statements) {
    const previous = byName.get(s.name);
    if (previous) problems.add(s, { key: 'rule.repeated', values: { rule: s.name, line: previous.line } });
    else byName.set(s.name, s);
  }
  const first = statements[0];
  if (!first) {
    problems.add({ line: 1, col: 1 }, { key: 'rule.none' });
    return { rules: [], start: '', reach: new Map() };
  }
  const usedTables = new Set<string>();
  const entries = new Map<string, CompiledEntry[]>();
  // Checked once every rule is compiled: the words must be ones the repeated part reads.
  const exclusiveSets: Array<{ repeat: Extract<CompiledItem, { type: 'repeat' }>; words: Text[][] }> = [];

  const item = (syntax: Item, id: string): CompiledItem | undefined => {
    switch (syntax.type) {
      case 'literal':
        if (syntax.value === '') problems.add(syntax, { key: 'rule.empty-literal' });
        return { type: 'literal', value: syntax.value.toLowerCase(), at: positionOf(syntax) };
      case 'reference':
        if (!byName.has(syntax.name)) problems.add(syntax, { key: 'rule.undefined', values: { rule: syntax.name } });
        return { type: 'reference', name: syntax.name, at: positionOf(syntax) };
      case 'token-class':
        problems.guard(syntax, () => regexRules(syntax.source, 'check'));
        return { type: 'token-class', id, source: syntax.source, bounds: syntax.bounds, at: positionOf(syntax) };
      case 'table': {
        usedTables.add(syntax.name);
        const lexicon = lexicons.get(syntax.name);
        if (!lexicon) {
          problems.add(syntax, { key: 'rule.no-lexicon', values: { table: syntax.name } });
          return undefined;
        }
        return { type: 'table', name: syntax.name, entries: compiledEntries(lexicon), at: positionOf(syntax) };
      }
      case 'optional':
        return { type: 'optional', id, alternatives: syntax.alternatives.map((a, i) => alternative(a, `${id}.${i + 1}`)), at: positionOf(syntax) };
      case 'repeat': {
        const inner = item(syntax.item, `${id}.1`);
        if (!inner) return undefined;
        const exclusive = syntax.exclusive.map((set) => set.map((word) => word.value.toLowerCase()));
        const compiled = {
          type: 'repeat',
          id,
          item: inner,
          separator: (syntax.separator ?? '').toLowerCase(),
          combine: syntax.combine,
          exclusive,
          order: syntax.order,
          at: positionOf(syntax),
        } as const;
        if (syntax.exclusive.length > 0) exclusiveSets.push({ repeat: compiled, words: syntax.exclusive });
        return compiled;
      }
    }
  };

  const compiledEntries = (lexicon: Lexicon): CompiledEntry[] => {
    const cached = entries.get(lexicon.name);
    if (cached) return cached;
    const list = lexicon.entries.map((entry): CompiledEntry => {
      const at = { line: entry.line, col: 1 };
      const ofEntry = (problem: CharterMessage): CharterMessage => ({ key: 'rule.entry', values: { token: entry.token, problem } });
      const compiled: CompiledEntry = { entry, table: lexicon.name, label: [], order: Number(entry.columns.order ?? 0) || 0 };
      if (entry.filter !== '') {
        const filter = problems.guard(at, () => parseFilterTemplate(entry.filter, { placeholders: true }), ofEntry, lexicon.file);
        if (filter) compiled.filter = filter;
      }
      compiled.label = problems.guard(at, () => parseTextTemplate(entry.label), ofEntry, lexicon.file) ?? [];
      for (const p of [...(compiled.filter ? placeholdersOf(compiled.filter) : []), ...holes(compiled.label)]) {
        if (p.part !== 'text') problems.add(at, { key: 'rule.entry-placeholder', values: { token: entry.token, placeholder: p.source } }, lexicon.file);
      }
      return compiled;
    });
    entries.set(lexicon.name, list);
    return list;
  };

  const alternative = (syntax: Alternative, id: string): CompiledAlternative => {
    const compiled: CompiledAlternative = {
      id,
      items: syntax.items.map((it, i) => item(it, `${id}:${i + 1}`)).filter((it): it is CompiledItem => it !== undefined),
      position: { line: syntax.line, col: syntax.col },
    };
    if (syntax.filter) {
      const text = syntax.filter;
      const filter = problems.guard(text, () => parseFilterTemplate(text.value, { placeholders: true }));
      if (filter) compiled.filter = filter;
    }
    if (syntax.label) {
      const text = syntax.label;
      const label = problems.guard({ line: text.line, col: text.col + 1 }, () => parseTextTemplate(text.value));
      if (label) compiled.label = label;
    }
    return compiled;
  };

  const rules: CompiledRule[] = [...byName.values()].map((s) => ({
    name: s.name,
    position: { line: s.line, col: s.col },
    alternatives: s.alternatives.map((a, i) => alternative(a, `${s.name}#${i + 1}`)),
  }));

  const reach = reachability(rules);
  const fromStart = reach.get(first.name);
  for (const s of byName.values()) {
    if (!fromStart?.rules.has(s.name)) problems.add(s, { key: 'rule.unused', values: { rule: s.name, first: first.name } });
  }
  for (const name of lexicons.keys()) {
    if (!usedTables.has(name)) problems.add({ line: 1, col: 1 }, { key: 'rule.lexicon-unused', values: { table: name } }, lexicons.get(name)?.file);
  }
  for (const rule of rules) checkPlaceholders(rule, reach, lexicons, problems);
  const byRule = new Map(rules.map((r) => [r.name, r]));
  for (const { repeat, words } of exclusiveSets) checkExclusive(repeat, words, byRule, problems);
  return { rules, start: first.name, reach };
}

/**
 * An exclusive set names two words or more, each once, each a word the repeated part reads (when
 * its words can be listed: a token class without bounds reads too many).
 */
function checkExclusive(repeat: Extract<CompiledItem, { type: 'repeat' }>, sets: Text[][], rules: Map<string, CompiledRule>, problems: Problems): void {
  const readable = wordsOf(repeat.item, rules, []);
  for (const set of sets) {
    const seen = new Set<string>();
    for (const word of set) {
      const value = word.value.toLowerCase();
      if (seen.has(value)) problems.add(word, { key: 'rule.exclusive-twice', values: { word: value } });
      else if (readable !== undefined && !readable.includes(value)) {
        problems.add(word, { key: 'rule.exclusive-word', values: { word: value, words: readable.slice(0, 12).join(', ') + (readable.length > 12 ? ', …' : '') } });
      }
      seen.add(value);
    }
  }
}

/** Past this many words a repeated part is not listed (its exclusive words are then not checked). */
const MAX_WORDS = 10_000;

/** Every text an item reads, or undefined when they cannot be listed (too many, recursion, a repetition). */
function wordsOf(item: CompiledItem, rules: Map<string, CompiledRule>, stack: string[]): string[] | undefined {
  const sequence = (items: CompiledItem[], path: string[]): string[] | undefined => {
    let texts = [''];
    for (const it of items) {
      const part = wordsOf(it, rules, path);
      if (part === undefined || texts.length * part.length > MAX_WORDS) return undefined;
      texts = texts.flatMap((t) => part.map((p) => t + p));
    }
    return texts;
  };
  const choices = (alternatives: CompiledAlternative[], path: string[]): string[] | undefined => {
    const texts: string[] = [];
    for (const alt of alternatives) {
      const more = sequence(alt.items, path);
      if (more === undefined) return undefined;
      texts.push(...more);
    }
    return texts;
  };
  switch (item.type) {
    case 'literal':
      return [item.value];
    case 'table':
      return item.entries.map((e) => e.entry.token);
    case 'token-class':
      return tokenLanguage(item.source, item.bounds)?.map((t) => t.toLowerCase());
    case 'optional': {
      const texts = choices(item.alternatives, stack);
      return texts && ['', ...texts];
    }
    case 'reference': {
      const rule = rules.get(item.name);
      if (!rule || stack.includes(item.name)) return undefined;
      return choices(rule.alternatives, [...stack, item.name]);
    }
    case 'repeat':
      return undefined;
  }
}

const positionOf = (p: Position): Position => ({ line: p.line, col: p.col });

function holes(value: ValueTemplate): Placeholder[] {
  return value.filter((p): p is Placeholder => typeof p !== 'string');
}

/** Items of an alternative, and of the alternatives nested in its brackets and repetitions. */
function itemsUnder(items: CompiledItem[]): CompiledItem[] {
  return items.flatMap((it) => {
    if (it.type === 'optional') return [it, ...it.alternatives.flatMap((a) => itemsUnder(a.items))];
    if (it.type === 'repeat') return [it, ...itemsUnder([it.item])];
    return [it];
  });
}

function reachability(rules: CompiledRule[]): Map<string, Reach> {
  const direct = new Map<string, Reach>();
  for (const rule of rules) {
    const reach: Reach = { rules: new Set([rule.name]), tables: new Set() };
    for (const it of itemsUnder(rule.alternatives.flatMap((a) => a.items))) {
      if (it.type === 'reference') reach.rules.add(it.name);
      if (it.type === 'table') reach.tables.add(it.name);
    }
    direct.set(rule.name, reach);
  }
  const closed = new Map<string, Reach>();
  for (const name of direct.keys()) {
    const all: Reach = { rules: new Set(), tables: new Set() };
    const stack = [name];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (all.rules.has(next)) continue;
      all.rules.add(next);
      const d = direct.get(next);
      if (!d) continue;
      for (const t of d.tables) all.tables.add(t);
      stack.push(...d.rules);
    }
    closed.set(name, all);
  }
  return closed;
}

/** The parts a template may name from where it stands, and the fields of each. */
export function checkPlaceholder(p: Placeholder, partsInScope: Set<string>, reach: Map<string, Reach>, lexicons: Map<string, Lexicon>, at: Position, problems: Problems): void {
  if (p.part === 'text') {
    if (p.field !== undefined && p.field !== 'label') problems.add(at, { key: 'placeholder.text-field', values: { placeholder: p.source } });
    return;
  }
  if (!partsInScope.has(p.part)) {
    problems.add(at, { key: 'placeholder.no-part', values: { placeholder: p.source, parts: ['text', ...partsInScope] } });
    return;
  }
  if (p.field === undefined || p.field === 'text' || p.field === 'label') return;
  const columns = new Set([...(reach.get(p.part)?.tables ?? [])].flatMap((t) => lexicons.get(t)?.columns ?? []));
  if (!columns.has(p.field)) {
    problems.add(at, { key: 'placeholder.no-field', values: { placeholder: p.source, part: p.part, field: p.field, fields: ['text', 'label', ...columns] } });
  }
}

function checkPlaceholders(rule: CompiledRule, reach: Map<string, Reach>, lexicons: Map<string, Lexicon>, problems: Problems): void {
  const visit = (alt: CompiledAlternative): void => {
    const inScope = new Set<string>();
    for (const it of itemsUnder(alt.items)) {
      if (it.type === 'reference') for (const r of reach.get(it.name)?.rules ?? []) inScope.add(r);
      if (it.type === 'optional') it.alternatives.forEach(visit);
    }
    const used = [...(alt.filter ? placeholdersOf(alt.filter) : []), ...(alt.label ? holes(alt.label) : [])];
    for (const p of used) checkPlaceholder(p, inScope, reach, lexicons, alt.position, problems);
  };
  rule.alternatives.forEach(visit);
}
