/** The languages person-facing texts are written in: a family's `language`, the CLI's LANG. */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(text: string): text is Language {
  return (LANGUAGES as readonly string[]).includes(text);
}

/**
 * The language of a POSIX locale as LANG, LC_ALL or LC_MESSAGES give it (`fr_FR.UTF-8`, `fr`,
 * `en_US`): French for `fr*`, English otherwise (C, POSIX, unset, or a language autolist lacks).
 */
export function languageOfLocale(locale: string | undefined): Language {
  return locale?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** The CLI's language, as gettext reads it: LC_ALL, then LC_MESSAGES, then LANG. */
export function languageOfEnvironment(env: Record<string, string | undefined> = process.env): Language {
  return languageOfLocale(env.LC_ALL || env.LC_MESSAGES || env.LANG);
}
