/** Text as commands in mail are compared: lower case, without accents, the typographic apostrophe as a straight one, trimmed. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[’‘`]/g, "'").toLowerCase().trim();
}
