import { filterCatalog, type FilterMessageKey } from '../filter/index.js';
import { defineMessages, formatMessage, type Language, type Message } from '../i18n/index.js';

/**
 * What a charter check and an address resolution say, in English and French. The compiler and
 * the resolver never choose a language: a problem carries its key and values (a `CharterMessage`),
 * and the edge puts it in words (`autolist` by LANG; the HTTP API in English).
 *
 * Each section is the part of the compiler that raises its keys: a new diagnostic adds its key to
 * both languages here (the type refuses a key missing from either), in its section or a new one.
 * Names from the charter (`<rule>`, `"quoted"`, `/regex/`, keywords) are notation, the same in both.
 * In ICU templates a straight apostrophe before a brace quotes it (`'{text}'` prints {text}; `''` is
 * one apostrophe): French prose uses the typographic apostrophe ’, which needs no care.
 */
const en = {
  // Lists and small words that messages share.
  or: '{a} or {b}',
  'one-of': 'one of {items}',
  'nothing-more': 'nothing more',
  position: 'line {line}, column {col}',

  // The charter's syntax (parse-charter.ts, syntax.ts).
  'syntax.unexpected': 'unexpected {found}; expected {expected}',
  'syntax.unexpected-end': 'unexpected end of file; expected {expected}',
  'syntax.filter-unclosed': 'this LDAP filter is not closed: {count, plural, one {a ")" is missing} other {# ")" are missing}}',
  'syntax.this': 'this',
  'syntax.token.regex': 'a /regular expression/',
  'syntax.token.rule': 'a <rule> name',
  'syntax.token.string': 'a quoted string',
  'syntax.token.range': 'a range such as 1..95',
  'syntax.token.word': 'a word',
  'syntax.token.filter': 'an LDAP filter in parentheses',
  'syntax.annotation-twice': 'this alternative already has a {annotation}',
  'syntax.empty-range': 'the range {range} is empty',
  'syntax.separator-twice': 'the separator of this repetition is given twice',
  'syntax.matching-twice': 'the combine of this repetition is given twice',
  'syntax.order-twice': 'the order of this repetition is given twice',
  'syntax.label-twice': 'this condition already has a label',

  // A family folder and the shared conditions file (load.ts, compile.ts).
  'folder.charters': 'a family folder holds exactly one .charter file; found {count}',
  'shared.only-conditions': 'this file holds only "condition NAME = ..." statements',

  // The header (compile-header.ts).
  'header.repeated': '"{key}" is already given at line {line}',
  'header.one-value': '"{key}" takes one value',
  'header.missing': 'the header must say "{key}" ({what})',
  'header.what.family': 'the family name',
  'header.what.domain': 'the mail domain of the lists',
  'header.what.base': 'the directory base DN, quoted',
  'header.whole-number': '"{key}" must be a whole number from {low} to {high}',
  'header.template': 'in "{key}": {problem}',
  'header.folder': 'the family is called "{name}" but its folder is "{folder}"',
  'header.domain': '"{domain}" is not a mail domain',
  'header.scope': 'scope must be one of base, one, sub',
  'header.attribute': '"{name}" is not an attribute name',
  'header.either': '"{key}" is {first} or {second}',
  'header.one-of': '"{key}" is one of {choices}',
  'header.duration': '"{value}" is no duration: a whole number and s, m, h or d (e.g. 7d), from 1s to 366d',

  // Lexicon tables (lexicon.ts).
  'lexicon.columns': 'the header line must name the columns {required} (tab-separated); missing: {missing}',
  'lexicon.cells': 'expected {count} tab-separated columns ({columns}), found {found}',
  'lexicon.empty-token': 'empty token',
  'lexicon.repeated-token': 'token "{token}" is already defined at line {line}',
  'lexicon.empty': 'empty lexicon: expected a header line (token, filter, label) and entries',
  'lexicon.no-entries': 'the lexicon has no entries',

  // The address grammar (compile-rules.ts, regex-rules.ts).
  'rule.repeated': '<{rule}> is already defined at line {line}',
  'rule.none': 'the charter defines no rule: the first rule (e.g. <address> ::= ...) is the address',
  'rule.empty-literal': 'an empty literal matches nothing: use [ ... ] for an optional part',
  'rule.undefined': '<{rule}> is used but not defined',
  'rule.unused': '<{rule}> is defined but never used (the first rule, <{first}>, is the address)',
  'rule.no-lexicon': 'no lexicon "{table}": expected a file {table}.tsv beside the charter',
  'rule.lexicon-unused': 'the lexicon "{table}" is never used by a "table {table}"',
  'rule.entry': '"{token}": {problem}',
  'rule.entry-placeholder': '"{token}": a lexicon entry may only use \'{text}\', not {placeholder}',
  'rule.exclusive-twice': '"{word}" is already in this exclusive set',
  'rule.exclusive-word': '"{word}" is not a word the repeated part reads (it reads {words})',
  'placeholder.text-field': '{placeholder}: \'{text}\' has only the field "label"',
  'placeholder.no-part': '{placeholder} names no part of the grammar here (parts: {parts})',
  'placeholder.no-field': '{placeholder}: <{part}> has no field "{field}" (fields: {fields})',
  'regex.invalid': 'invalid regular expression /{source}/: {reason}',
  'regex.repeat-count': 'the repetition "{raw}" counts up to {count}; at most {max} (the longest name) may be written',
  'regex.backreference': 'backreference "{raw}" is not supported in a token class (use characters, classes, groups, | and quantifiers)',
  'regex.assertion': 'assertion "{raw}" is not supported in a token class (use characters, classes, groups, | and quantifiers)',

  // Names read in many ways (ambiguity.ts); constructs are named as messages say them.
  'ambiguity.recursion': '<{rule}> refers to itself ({cycle}): rules cannot recurse; write a repetition with +',
  'ambiguity.too-large':
    'the address grammar is too large to check that it reads each name in few ways (more than {places} characters, {pairs} pairs or {triples} triples of them): use smaller lexicons or fewer counted repetitions',
  'ambiguity.empty-loop': '{loop} repeats a part that can be empty: one name could be read in endlessly many ways',
  'ambiguity.empty-twice': '{part} can read the empty text in two ways, inside {loop} ({at}): each repetition doubles the readings of a name',
  'ambiguity.loop-of-loop': '{loop} can read a name in exponentially many ways: it repeats {inner} ({at}), which already repeats the same characters',
  'ambiguity.loop-of-part': '{loop} can read a name in exponentially many ways: it repeats a part that already repeats the same characters',
  'ambiguity.exponential': '{construct} can read a name in exponentially many ways: {word} can be read in two ways, and each repetition of it doubles the readings',
  'ambiguity.exponential-separator':
    "{construct} can read a name in exponentially many ways: its repeated part can contain the separator ''{separator}'', so {word} can be read in two ways, and each repetition of it doubles the readings",
  'ambiguity.polynomial': '{first} and {second} ({at}) can read a name in polynomially many ways: both repeat {word}, so the characters between can go to either',
  'construct.start': 'the start',
  'construct.in-rule': '{item} in <{rule}>',
  'construct.in-class': '"{part}" in /{source}/',
  'construct.optional': 'the optional part [...] in <{rule}>',
  'construct.separator': "the separator ''{separator}''",

  // Conditions and rights (compile-rights.ts).
  'condition.shared-placeholder': '{placeholder}: a shared condition has no list to take parts from',
  'condition.result': '{kind} results are {results}',
  'condition.unknown': 'no condition named "{name}" (define it with: condition {name} = ...)',
  'condition.repeated': 'the condition "{name}" is already defined',
  'condition.label-empty': 'the label is empty: say what the sender is when the condition holds, e.g. label "a chef"',
  'condition.label-placeholder': "a condition's label is plain text: it has no '{placeholders}'",
  'rights.unknown-action': 'unknown action "{action}" (actions: {actions})',
  'rights.repeated': 'rights for "{action}" are already given at line {line}',
  'rights.moderate-not-send': 'only messages are moderated: "moderate by" is an outcome of send, not of {action}',
  'rights.moderators': 'moderators are @owners or a quoted list such as "liste.chefs-\'{where}\'", not @{name}',
  'rights.moderators-address': '"{template}" is no list address: write a list\'s local part or address, e.g. "liste.chefs-\'{where}\'"',

  // Examples (compile.ts); the resolver's reason for a name that is no list.
  'example.domain': '{domain} is not a domain of this family',
  'example.not-refused': '{name} must be refused, but it is a list: {filter}',
  'example.no-name': '{name} is not a name of this family: {reason}',
  'example.two-readings': '{name} can be read two ways: {a} and {b}',
  'example.filter': '{name} compiles to {actual}, not {expected}',
  'example.too-complex': '{name}: the name is too complex to read in the family {family}: its charter reads some names in too many ways',
  'failure.out-of-bounds': 'at column {column}: <{part}> "{text}" is out of bounds ({bounds})',
  'failure.unexpected': 'at column {column}, found {found}, expected {expected}',
  'failure.end-of-name': 'the end of the name',
  'failure.repeated': 'at column {column}: "{token}" is already in the name (a word is written once)',
  'failure.exclusive': 'at column {column}: "{token}" and "{other}" exclude each other (a name holds one of them at most)',
  'failure.order': "at column {column}: the words are not in the charter's order (the list's name is {canonical})",
  'example.not-canonical': '{name} is the list {canonical}: write its canonical name',
} as const;

type OwnKey = keyof typeof en;

const fr: Record<OwnKey, string> = {
  or: '{a} ou {b}',
  'one-of': 'l’un de {items}',
  'nothing-more': 'rien de plus',
  position: 'ligne {line}, colonne {col}',

  'syntax.unexpected': '{found} inattendu ; attendu : {expected}',
  'syntax.unexpected-end': 'fin de fichier inattendue ; attendu : {expected}',
  'syntax.filter-unclosed': 'ce filtre LDAP n’est pas fermé : {count, plural, one {il manque une ")"} other {il manque # ")"}}',
  'syntax.this': 'élément',
  'syntax.token.regex': 'une /expression régulière/',
  'syntax.token.rule': 'un nom de <règle>',
  'syntax.token.string': 'une chaîne entre guillemets',
  'syntax.token.range': 'un intervalle comme 1..95',
  'syntax.token.word': 'un mot',
  'syntax.token.filter': 'un filtre LDAP entre parenthèses',
  'syntax.annotation-twice': 'cette alternative a déjà une annotation {annotation}',
  'syntax.empty-range': 'l’intervalle {range} est vide',
  'syntax.separator-twice': 'le séparateur de cette répétition est donné deux fois',
  'syntax.matching-twice': 'le "matching" de cette répétition est donné deux fois',
  'syntax.order-twice': 'l’ordre de cette répétition est donné deux fois',
  'syntax.label-twice': 'cette condition a déjà une étiquette (label)',

  'folder.charters': 'un dossier de famille contient exactement un fichier .charter ; trouvés : {count}',
  'shared.only-conditions': 'ce fichier ne contient que des déclarations "condition NOM = ..."',

  'header.repeated': '"{key}" est déjà donné à la ligne {line}',
  'header.one-value': '"{key}" ne prend qu’une valeur',
  'header.missing': 'l’en-tête doit indiquer "{key}" ({what})',
  'header.what.family': 'le nom de la famille',
  'header.what.domain': 'le domaine de messagerie des listes',
  'header.what.base': 'le DN de base de l’annuaire, entre guillemets',
  'header.whole-number': '"{key}" doit être un nombre entier de {low} à {high}',
  'header.template': 'dans "{key}" : {problem}',
  'header.folder': 'la famille s’appelle "{name}" mais son dossier est "{folder}"',
  'header.domain': '"{domain}" n’est pas un domaine de messagerie',
  'header.scope': 'scope doit valoir base, one ou sub',
  'header.attribute': '"{name}" n’est pas un nom d’attribut',
  'header.either': '"{key}" vaut {first} ou {second}',
  'header.one-of': '"{key}" vaut l’un de {choices}',
  'header.duration': '"{value}" n’est pas une durée : un nombre entier suivi de s, m, h ou d (par exemple 7d), de 1s à 366d',

  'lexicon.columns': 'la ligne d’en-tête doit nommer les colonnes {required} (séparées par des tabulations) ; manquantes : {missing}',
  'lexicon.cells': '{count} colonnes séparées par des tabulations attendues ({columns}), {found, plural, one {# trouvée} other {# trouvées}}',
  'lexicon.empty-token': 'jeton vide',
  'lexicon.repeated-token': 'le jeton "{token}" est déjà défini à la ligne {line}',
  'lexicon.empty': 'lexique vide : une ligne d’en-tête (token, filter, label) et des entrées sont attendues',
  'lexicon.no-entries': 'le lexique n’a aucune entrée',

  'rule.repeated': '<{rule}> est déjà définie à la ligne {line}',
  'rule.none': 'la charte ne définit aucune règle : la première règle (par exemple <address> ::= ...) est l’adresse',
  'rule.empty-literal': 'un littéral vide ne lit rien : écrivez [ ... ] pour une partie facultative',
  'rule.undefined': '<{rule}> est utilisée mais pas définie',
  'rule.unused': '<{rule}> est définie mais jamais utilisée (la première règle, <{first}>, est l’adresse)',
  'rule.no-lexicon': 'pas de lexique "{table}" : un fichier {table}.tsv est attendu à côté de la charte',
  'rule.lexicon-unused': 'le lexique "{table}" n’est utilisé par aucun "table {table}"',
  'rule.entry': '"{token}" : {problem}',
  'rule.entry-placeholder': '"{token}" : une entrée de lexique ne peut utiliser que \'{text}\', pas {placeholder}',
  'rule.exclusive-twice': '"{word}" est déjà dans cet ensemble exclusif',
  'rule.exclusive-word': '"{word}" n’est pas un mot que lit la partie répétée (elle lit {words})',
  'placeholder.text-field': '{placeholder} : \'{text}\' n’a que le champ "label"',
  'placeholder.no-part': '{placeholder} ne nomme ici aucune partie de la grammaire (parties : {parts})',
  'placeholder.no-field': '{placeholder} : <{part}> n’a pas de champ "{field}" (champs : {fields})',
  'regex.invalid': 'expression régulière invalide /{source}/ : {reason}',
  'regex.repeat-count': 'la répétition "{raw}" compte jusqu’à {count} ; on peut écrire au plus {max} (le nom le plus long)',
  'regex.backreference': 'la référence arrière "{raw}" n’est pas permise dans une classe de jetons (utilisez des caractères, des classes, des groupes, | et des quantificateurs)',
  'regex.assertion': 'l’assertion "{raw}" n’est pas permise dans une classe de jetons (utilisez des caractères, des classes, des groupes, | et des quantificateurs)',

  'ambiguity.recursion': '<{rule}> se désigne elle-même ({cycle}) : les règles ne peuvent pas être récursives ; écrivez une répétition avec +',
  'ambiguity.too-large':
    'la grammaire des adresses est trop grande pour vérifier qu’elle lit chaque nom de peu de façons (plus de {places} caractères, {pairs} paires ou {triples} triplets de caractères) : utilisez des lexiques plus petits ou moins de répétitions comptées',
  'ambiguity.empty-loop': '{loop} répète une partie qui peut être vide : un même nom pourrait se lire d’une infinité de façons',
  'ambiguity.empty-twice': '{part} peut lire le texte vide de deux façons, dans {loop} ({at}) : chaque répétition double le nombre de lectures d’un nom',
  'ambiguity.loop-of-loop': '{loop} peut lire un nom d’un nombre exponentiel de façons : elle répète {inner} ({at}), qui répète déjà les mêmes caractères',
  'ambiguity.loop-of-part': '{loop} peut lire un nom d’un nombre exponentiel de façons : elle répète une partie qui répète déjà les mêmes caractères',
  'ambiguity.exponential': '{construct} peut lire un nom d’un nombre exponentiel de façons : {word} se lit de deux façons, et chacune de ses répétitions double le nombre de lectures',
  'ambiguity.exponential-separator':
    "{construct} peut lire un nom d’un nombre exponentiel de façons : sa partie répétée peut contenir le séparateur ''{separator}'', donc {word} se lit de deux façons, et chacune de ses répétitions double le nombre de lectures",
  'ambiguity.polynomial':
    '{first} et {second} ({at}) peuvent lire un nom d’un nombre polynomial de façons : les deux répètent {word}, et les caractères entre elles peuvent aller à l’une ou à l’autre',
  'construct.start': 'le début',
  'construct.in-rule': '{item} dans <{rule}>',
  'construct.in-class': '"{part}" dans /{source}/',
  'construct.optional': 'la partie facultative [...] dans <{rule}>',
  'construct.separator': "le séparateur ''{separator}''",

  'condition.shared-placeholder': '{placeholder} : une condition partagée n’a pas de liste dont prendre les parties',
  'condition.result': 'les résultats {kind} sont {results}',
  'condition.unknown': 'aucune condition nommée "{name}" (définissez-la par : condition {name} = ...)',
  'condition.repeated': 'la condition "{name}" est déjà définie',
  'condition.label-empty': 'l’étiquette est vide : dites ce qu’est l’expéditeur quand la condition est remplie, par exemple label "un chef"',
  'condition.label-placeholder': "l’étiquette d’une condition est du texte simple : elle n’a pas de '{variables}'",
  'rights.unknown-action': 'action inconnue "{action}" (actions : {actions})',
  'rights.repeated': 'les droits de "{action}" sont déjà donnés à la ligne {line}',
  'rights.moderate-not-send': 'seuls les messages sont modérés : "moderate by" est un résultat de send, pas de {action}',
  'rights.moderators': 'les modérateurs sont @owners ou une liste entre guillemets comme "liste.chefs-\'{where}\'", pas @{name}',
  'rights.moderators-address': '"{template}" n’est pas une adresse de liste : écrivez la partie locale ou l’adresse d’une liste, par exemple "liste.chefs-\'{where}\'"',

  'example.domain': '{domain} n’est pas un domaine de cette famille',
  'example.not-refused': '{name} doit être refusé, mais c’est une liste : {filter}',
  'example.no-name': '{name} n’est pas un nom de cette famille : {reason}',
  'example.two-readings': '{name} se lit de deux façons : {a} et {b}',
  'example.filter': '{name} donne le filtre {actual}, pas {expected}',
  'example.too-complex': '{name} : le nom est trop complexe à lire dans la famille {family} : sa charte lit certains noms de trop de façons',
  'failure.out-of-bounds': 'à la colonne {column} : <{part}> "{text}" est hors des bornes ({bounds})',
  'failure.unexpected': 'à la colonne {column}, trouvé {found}, attendu {expected}',
  'failure.end-of-name': 'la fin du nom',
  'failure.repeated': 'à la colonne {column} : "{token}" figure déjà dans le nom (un mot ne s’écrit qu’une fois)',
  'failure.exclusive': 'à la colonne {column} : "{token}" et "{other}" s’excluent (un nom en contient un au plus)',
  'failure.order': 'à la colonne {column} : les mots ne sont pas dans l’ordre de la charte (le nom de la liste est {canonical})',
  'example.not-canonical': '{name} est la liste {canonical} : écrivez son nom canonique',
};

/** Every key a charter problem or a resolution error may carry: the charter's own and the filter's. */
export type CharterMessageKey = OwnKey | FilterMessageKey;

/** A charter problem or a resolution error, not yet in words. */
export type CharterMessage = Message<CharterMessageKey>;

/** Both catalogs, as defineMessages compiled them (tests read the keys). */
export const charterCatalog = { en: { ...filterCatalog.en, ...en }, fr: { ...filterCatalog.fr, ...fr } };

const t = defineMessages<CharterMessageKey>(charterCatalog);

/** A charter message in `language`. */
export function formatCharterMessage(language: Language, message: CharterMessage): string {
  return formatMessage(t, language, message);
}

/** `{a} or {b} or ...`: the choices of a message, joined in the reader's language. */
export function eitherOf(items: ReadonlyArray<string | CharterMessage>): string | CharterMessage {
  const [first = '', ...rest] = items;
  return rest.reduce<string | CharterMessage>((a, b) => ({ key: 'or', values: { a, b } }), first);
}
