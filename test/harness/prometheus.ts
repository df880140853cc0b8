/** Prometheus's text exposition format (what /metrics answers), read as series: a name, labels, a value. */

export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every series of the text (comments skipped). */
export function parseSeries(text: string): Series[] {
  const series: Series[] = [];
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (match === null) continue;
    const [, name, labelText = '', value] = match as unknown as [string, string, string | undefined, string];
    const labels: Record<string, string> = {};
    for (const [, label, text] of labelText.matchAll(LABEL)) labels[label as string] = (text as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    series.push({ name, labels, value: Number(value) });
  }
  return series;
}

/** The sum of the values of the series of this name that carry these labels (others may differ); 0 when none does. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  return parseSeries(text)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** The series of this name, with their labels. */
export function seriesOf(text: string, name: string): Series[] {
  return parseSeries(text).filter((s) => s.name === name);
}
