/** Rows as aligned columns, two spaces apart; the last column is not padded (it may be long). */
export function columns(rows: readonly (readonly string[])[]): string {
  const count = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: count - 1 }, (_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column < widths.length ? cell.padEnd((widths[column] as number) + cell.length - [...cell].length) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A moment in a table: ISO 8601 to the second, in UTC. */
export function moment(at: string | Date): string {
  return `${(typeof at === 'string' ? at : at.toISOString()).slice(0, 19)}Z`;
}
