/** What a Grafana dashboard (its JSON model) asks Prometheus: each panel's PromQL expressions, and the metrics they name. */

interface Panel {
  title?: string;
  targets?: Array<{ expr?: string }>;
  /** A collapsed row holds its panels. */
  panels?: Panel[];
}

/** Every target's expression, with its panel's title, rows' panels included. */
export function dashboardExpressions(dashboard: { panels?: Panel[] }): Array<{ panel: string; expr: string }> {
  const found: Array<{ panel: string; expr: string }> = [];
  const visit = (panels: Panel[] = []): void => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) if (target.expr !== undefined) found.push({ panel: panel.title ?? '', expr: target.expr });
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  return found;
}

/** PromQL's words that are no metric: aggregation clauses, operators, modifiers. */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset']);

/**
 * The metric names an expression reads: what is left once strings, label matchers, ranges and the
 * label lists of `by (...)` are taken out, besides function names (followed by a parenthesis),
 * keywords and numbers.
 */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const functionName = /^\s*\(/.test(bare.slice((match.index ?? 0) + word.length));
    if (!functionName && !KEYWORDS.has(word)) names.add(word);
  }
  return [...names];
}
