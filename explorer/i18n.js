// The explorer's words in English and French; elements carry data-i18n="key" (text) or
// data-i18n-placeholder / data-i18n-aria-label (attributes). The language is the visitor's choice;
// else that of the family of the list shown (its rights and reasons come in that language, and the
// page around them follows, so that nothing reads in two languages); else the browser's (French
// users first: anything starting with "fr").

const STRINGS = {
  en: {
    title: 'autolist · list explorer',
    familiesTitle: 'autolist · families',
    skip: 'Skip to content',
    navExplorer: 'Lists',
    navFamilies: 'Families',
    navStudio: 'Studio',
    navApi: 'API',
    switchLanguage: 'Français',
    intro: 'Type a list address to see who it reaches and who may write to it.',
    addressLabel: 'List address',
    addressPlaceholder: 'liste.chefs-56@lists.example.org',
    show: 'Show',
    suggestions: 'Suggestions',
    loading: 'Loading…',
    description: 'Description',
    family: 'Family',
    subject: 'Subject tag',
    filter: 'LDAP filter',
    rights: 'Rights',
    members: 'Members',
    memberCount: (n) => `${n.toLocaleString('en')} member${n === 1 ? '' : 's'}`,
    firstMembers: (n) => `The first ${n}`,
    noMembers: 'This list has no members.',
    unreachable: (n) => `${n} entr${n === 1 ? 'y has' : 'ies have'} no address.`,
    fromCache: (age) => `From the cache, ${age} s old.`,
    fresh: 'Just read from the directory.',
    stale: 'Stale: the directory could not be asked again.',
    noSuchList: 'No such list',
    column: (c) => `The name goes wrong at column ${c}.`,
    expected: 'Expected there:',
    didYouMean: 'Did you mean:',
    whyTitle: 'Is this person a member, and why?',
    personLabel: 'Person’s address',
    check: 'Check',
    isMember: 'is a member',
    isNotMember: 'is not a member',
    part: 'Part of the list',
    satisfied: 'Satisfied',
    yes: 'yes',
    no: 'no',
    rightsTitle: 'May this sender…?',
    senderLabel: 'Sender',
    senderPlaceholder: 'jean.dupont@example.org',
    actionLabel: 'Action',
    send: 'send',
    review: 'see the members',
    subscribe: 'subscribe',
    unsubscribe: 'unsubscribe',
    decide: 'Decide',
    allow: 'Allowed',
    deny: 'Denied',
    defer: 'Deferred: the directory could not answer, try again later',
    rule: 'Rule',
    tokenLabel: 'Access token',
    tokenHelp: 'This server asks for a token. It is kept in this tab only.',
    save: 'Use',
    error: 'Error',
    familiesIntro: 'Each family turns a naming charter into lists: its grammar, its lexicons, its rights and examples.',
    domains: 'Domains',
    grammar: 'Grammar',
    lexicons: 'Lexicons',
    examples: 'Examples',
    refused: 'refused',
    token: 'Token',
    label: 'Label',
  },
  fr: {
    title: 'autolist · explorateur de listes',
    familiesTitle: 'autolist · familles',
    skip: 'Aller au contenu',
    navExplorer: 'Listes',
    navFamilies: 'Familles',
    navStudio: 'Studio',
    navApi: 'API',
    switchLanguage: 'English',
    intro: 'Saisissez l’adresse d’une liste pour voir qui elle atteint et qui peut y écrire.',
    addressLabel: 'Adresse de la liste',
    addressPlaceholder: 'liste.chefs-56@lists.example.org',
    show: 'Afficher',
    suggestions: 'Suggestions',
    loading: 'Chargement…',
    description: 'Description',
    family: 'Famille',
    subject: 'Préfixe de sujet',
    filter: 'Filtre LDAP',
    rights: 'Droits',
    members: 'Membres',
    memberCount: (n) => `${n.toLocaleString('fr')} membre${n > 1 ? 's' : ''}`,
    firstMembers: (n) => `Les ${n} premiers`,
    noMembers: 'Cette liste n’a aucun membre.',
    unreachable: (n) => `${n} entrée${n > 1 ? 's n’ont' : ' n’a'} pas d’adresse.`,
    fromCache: (age) => `Depuis le cache, il y a ${age} s.`,
    fresh: 'Lu à l’instant dans l’annuaire.',
    stale: 'Périmé : l’annuaire n’a pas pu être interrogé à nouveau.',
    noSuchList: 'Liste inexistante',
    column: (c) => `Le nom cesse d’être valide à la colonne ${c}.`,
    expected: 'Attendu à cet endroit :',
    didYouMean: 'Vouliez-vous dire :',
    whyTitle: 'Cette personne est-elle membre, et pourquoi ?',
    personLabel: 'Adresse de la personne',
    check: 'Vérifier',
    isMember: 'est membre',
    isNotMember: 'n’est pas membre',
    part: 'Partie de la liste',
    satisfied: 'Satisfaite',
    yes: 'oui',
    no: 'non',
    rightsTitle: 'Cet expéditeur peut-il… ?',
    senderLabel: 'Expéditeur',
    senderPlaceholder: 'jean.dupont@example.org',
    actionLabel: 'Action',
    send: 'écrire',
    review: 'voir les membres',
    subscribe: 's’abonner',
    unsubscribe: 'se désabonner',
    decide: 'Décider',
    allow: 'Autorisé',
    deny: 'Refusé',
    defer: 'Différé : l’annuaire n’a pas pu répondre, réessayez plus tard',
    rule: 'Règle',
    tokenLabel: 'Jeton d’accès',
    tokenHelp: 'Ce serveur demande un jeton. Il n’est conservé que dans cet onglet.',
    save: 'Utiliser',
    error: 'Erreur',
    familiesIntro: 'Chaque famille fait des listes à partir d’une charte de nommage : sa grammaire, ses lexiques, ses droits et ses exemples.',
    domains: 'Domaines',
    grammar: 'Grammaire',
    lexicons: 'Lexiques',
    examples: 'Exemples',
    refused: 'refusée',
    token: 'Mot',
    label: 'Libellé',
  },
};

const KEY = 'autolist-lang';

let familyLanguage; // the language of the family of the list shown, if any

/** The family of the list shown speaks `lang`: the page's own words follow it unless the visitor chose. */
export function followFamily(lang) {
  const before = language();
  familyLanguage = lang === 'fr' || lang === 'en' ? lang : undefined;
  if (language() !== before) translate();
}

export function language() {
  const chosen = localStorage.getItem(KEY);
  if (chosen === 'fr' || chosen === 'en') return chosen;
  if (familyLanguage) return familyLanguage;
  return (navigator.languages ?? [navigator.language]).some((l) => l.toLowerCase().startsWith('fr')) ? 'fr' : 'en';
}

/** The text of a key in the current language; functions take the given arguments. */
export function t(key, ...args) {
  const value = STRINGS[language()][key] ?? STRINGS.en[key] ?? key;
  return typeof value === 'function' ? value(...args) : value;
}

/** A page's own words, added to the shared ones: `{ en: {...}, fr: {...} }`. */
export function addStrings(more) {
  for (const [lang, strings] of Object.entries(more)) Object.assign(STRINGS[lang], strings);
}

/** A problem (RFC 9457) the API answered, in a line. */
export function failure(problem) {
  return `${t('error')}: ${problem.detail ?? problem.title ?? ''}`;
}

/** Writes every data-i18n text and attribute under root, and the page's language. */
export function translate(root = document) {
  document.documentElement.lang = language();
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
}

/** Text the API gave in a family's language (rights, reasons), marked as such for readers and screen readers. */
export function inLanguage(element, lang) {
  if (lang) element.lang = lang;
  return element;
}

/** The language switch: toggles, remembers, and lets the page redraw. Its label is in the other language, and says so. */
export function languageSwitch(button, redraw) {
  const other = () => (language() === 'fr' ? 'en' : 'fr');
  button.lang = other();
  button.addEventListener('click', () => {
    localStorage.setItem(KEY, other());
    translate();
    button.lang = other();
    redraw();
  });
}
