import type { Language } from './language.js';

/** A moment as a person reads it in their language, in UTC (said so): `4 December 2026 at 03:50 UTC`, `4 décembre 2026 à 03:50 UTC`. */
export function shownDate(language: Language, date: Date): string {
  return `${new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(date)} UTC`;
}
