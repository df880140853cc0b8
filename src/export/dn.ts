/**
 * An attribute value as RFC 4514 writes it in a DN's string form: `"`, `+`, `,`, `;`, `<`, `>` and
 * `\` escaped with a backslash, a leading space or `#` and a trailing space too, NUL as `\00`; and
 * `=`, which RFC 4514 lets go unescaped but some DN readers (the embedded directory's) refuse bare.
 */
export function escapeDnValue(value: string): string {
  const chars = [...value];
  const last = chars.length - 1;
  return chars
    .map((ch, i) => {
      if (ch === '\0') return '\\00';
      if ('"+,;<>\\='.includes(ch) || (i === 0 && (ch === ' ' || ch === '#')) || (i === last && ch === ' ')) return `\\${ch}`;
      return ch;
    })
    .join('');
}
