import { addressErrorText } from '../charter/address-messages.js';
import { CharterError, formatDiagnostic } from '../charter/errors.js';
import { AutolistError } from '../errors.js';
import { defineMessages, languageOfEnvironment, type MessageValues } from '../i18n/index.js';

/**
 * What `autolist` says, in the language of its environment (LC_ALL, LC_MESSAGES, LANG: French for
 * fr*, English otherwise). Words only: exit codes, JSON output and the `file:line:col:` of
 * diagnostics are the same in every language. Usage texts (`--help`) are in English.
 */
const en = {
  'usage.unknown-command': 'unknown command "{name}"',
  'usage.unknown-option': 'unknown option {option}',
  'usage.option-value': 'the option {option} takes a value',
  'usage.whole-number': '--{option} takes a whole number of at least 1',
  'usage.no-arguments': '{command} takes no arguments',
  'usage.one': '{command} takes one {argument}',
  'usage.rights': 'rights takes ADDRESS ACTION SENDER',
  'usage.list-address': '--list takes a list address',
  'usage.unknown-action': 'unknown action "{action}" (actions: {actions})',
  'usage.front': '--fronts: "{name}" is not a front ({fronts})',
  'usage.postfix': '--fronts postfix: set AUTOLIST_POSTFIX_POLICY_PORT or AUTOLIST_POSTFIX_SOCKETMAP_PORT',
  'error.suggestions': 'did you mean: {addresses}?',
  'error.temporary': 'this is temporary: try again later',
  'check.ok':
    'ok    {family} ({file}): {rules, plural, one {# rule} other {# rules}}, domain {domains}; {examples, plural, =0 {no example} one {# example} other {# examples}} and {refusals, plural, =0 {no refusal} one {# refusal} other {# refusals}} {total, plural, one {holds} other {hold}}',
  'check.failed': 'FAIL  {dir}',
  'check.summary': '{compiled} of {total} families compiled in {ms} ms',
  'enumerate.no-family': 'no family "{name}" (families: {families})',
  'enumerate.infinite': 'the family {family} has infinitely many names ({open}); give --limit N',
  'examples.refused': 'refused: {reason}',
  'bounces.none': 'no bounces recorded',
  'bounces.more': '({count} more; --limit to see them)',
  'bounces.last': 'last {at}',
  'bounces.lists': 'lists {lists}',
  'config.header': 'VARIABLE|FROM|VALUE',
  'config.set': 'set',
  'config.default': 'default',
  'config.none': '(none)',
  'config.file': '{value} (first line of {file})',
  'resolve.labels': 'address|family|description|subject|filter|params|rights',
  'rights.labels': 'decision|list|action|sender|rule|reasons',
  'rights.empty-sender': '<> (empty: a bounce)',
  'usage.person': '--{option} takes a person’s address (name@domain)',
  'held.labels': 'ID|SENDER|SUBJECT|RECEIVED|EXPIRES|STATE',
  'held.none': 'no message awaits moderation on {list}',
  'held.state': '{state, select, held {waiting} approved {approved} rejected {rejected} other {expired}}',
  'held.no-subject': '(no subject)',
  'held.not-found': 'no held message {id}',
  'held.approved': '{id} approved: it went to the members of {list}',
  'held.rejected': '{id} rejected: its author {sender} is told{reason, select, none {} other {, with the reason}}',
  'held.already': '{id} was already {state, select, approved {approved} rejected {rejected} other {left to expire}} by {by} at {at}: the first decision counts, this one was not taken',
  'overrides.labels': 'ADDRESS|KIND|WHEN|HOW|RULE',
  'overrides.none': 'no exclusion or addition on {list}',
  'overrides.kind': '{kind, select, exclusion {exclusion} other {addition{admitted, select, no { (no longer admitted: counts for nothing)} other {}}}}',
  'overrides.how': '{how, select, mail {mail} other {one-click}}',
  'overrides.undone': '{kind, select, exclusion {the exclusion} other {the addition}} of {address} on {list} is undone: the directory alone decides again',
  'overrides.not-found': '{address} has neither an exclusion nor an addition on {list}',
} as const;

type CliMessageKey = keyof typeof en;

const fr: Record<CliMessageKey, string> = {
  'usage.unknown-command': 'commande inconnue "{name}"',
  'usage.unknown-option': 'option inconnue {option}',
  'usage.option-value': 'l’option {option} prend une valeur',
  'usage.whole-number': '--{option} prend un nombre entier d’au moins 1',
  'usage.no-arguments': '{command} ne prend aucun argument',
  'usage.one': '{command} prend un seul {argument}',
  'usage.rights': 'rights prend ADDRESS ACTION SENDER',
  'usage.list-address': '--list prend l’adresse d’une liste',
  'usage.unknown-action': 'action inconnue "{action}" (actions : {actions})',
  'usage.front': '--fronts : "{name}" n’est pas un front ({fronts})',
  'usage.postfix': '--fronts postfix : définissez AUTOLIST_POSTFIX_POLICY_PORT ou AUTOLIST_POSTFIX_SOCKETMAP_PORT',
  'error.suggestions': 'vouliez-vous dire : {addresses} ?',
  'error.temporary': 'c’est temporaire : réessayez plus tard',
  'check.ok':
    'ok    {family} ({file}) : {rules, plural, one {# règle} other {# règles}}, domaine {domains} ; {examples, plural, =0 {aucun exemple} one {# exemple} other {# exemples}} et {refusals, plural, =0 {aucun refus} one {# refus} other {# refus}} {total, plural, one {vérifié} other {vérifiés}}',
  'check.failed': 'ÉCHEC {dir}',
  'check.summary': '{compiled, plural, one {# famille sur {total} compilée} other {# familles sur {total} compilées}} en {ms} ms',
  'enumerate.no-family': 'pas de famille "{name}" (familles : {families})',
  'enumerate.infinite': 'la famille {family} a une infinité de noms ({open}) ; donnez --limit N',
  'examples.refused': 'refusée : {reason}',
  'bounces.none': 'aucun rejet enregistré',
  'bounces.more': '({count} de plus ; --limit pour les voir)',
  'bounces.last': 'dernier {at}',
  'bounces.lists': 'listes {lists}',
  'config.header': 'VARIABLE|SOURCE|VALEUR',
  'config.set': 'définie',
  'config.default': 'défaut',
  'config.none': '(aucune)',
  'config.file': '{value} (première ligne de {file})',
  'resolve.labels': 'adresse|famille|description|sujet|filtre|paramètres|droits',
  'rights.labels': 'décision|liste|action|expéditeur|règle|raisons',
  'rights.empty-sender': '<> (vide : un avis de non-remise)',
  'usage.person': '--{option} prend l’adresse d’une personne (nom@domaine)',
  'held.labels': 'ID|EXPÉDITEUR|OBJET|REÇU|EXPIRE|ÉTAT',
  'held.none': 'aucun message n’attend la modération sur {list}',
  'held.state': '{state, select, held {en attente} approved {approuvé} rejected {rejeté} other {expiré}}',
  'held.no-subject': '(sans objet)',
  'held.not-found': 'aucun message retenu {id}',
  'held.approved': '{id} approuvé : il est parti aux membres de {list}',
  'held.rejected': '{id} rejeté : son auteur {sender} en est informé{reason, select, none {} other {, avec le motif}}',
  'held.already': '{id} a déjà été {state, select, approved {approuvé} rejected {rejeté} other {laissé expirer}} par {by} le {at} : la première décision compte, celle-ci n’a pas été prise',
  'overrides.labels': 'ADRESSE|TYPE|QUAND|COMMENT|RÈGLE',
  'overrides.none': 'aucune exclusion ni aucun ajout sur {list}',
  'overrides.kind': '{kind, select, exclusion {exclusion} other {ajout{admitted, select, no { (plus admis : ne compte pas)} other {}}}}',
  'overrides.how': '{how, select, mail {courriel} other {un clic}}',
  'overrides.undone': '{kind, select, exclusion {l’exclusion de {address} sur {list} est annulée} other {l’ajout de {address} à {list} est annulé}} : seul l’annuaire décide à nouveau',
  'overrides.not-found': '{address} n’a ni exclusion ni ajout sur {list}',
};

const t = defineMessages({ en, fr });

/** The language `autolist` speaks: its environment's, read once. */
export const language = languageOfEnvironment();

/** A message of the command line, in its language. */
export function say(key: CliMessageKey, values?: MessageValues): string {
  return t(language, key, values);
}

/** The words of a table's column labels (`resolve.labels`), in order. */
export function labels(key: 'resolve.labels' | 'rights.labels' | 'config.header' | 'held.labels' | 'overrides.labels'): string[] {
  return say(key).split('|');
}

/**
 * An error as the command line says it: a charter's diagnostics and an address's refusal in its
 * language (the address as the user gave it), any other error by its message.
 */
export function errorText(error: Error, address?: string): string {
  if (error instanceof CharterError) return error.diagnostics.map((d) => formatDiagnostic(d, language)).join('\n');
  if (address !== undefined && error instanceof AutolistError) return addressErrorText(error, address, language);
  return error.message;
}
