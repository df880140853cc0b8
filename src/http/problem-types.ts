/**
 * The problem types of the HTTP API (RFC 9457): one per error code, each with a stable `type`
 * URI (`/problems/SLUG`, where a short page explains it), its HTTP status and a title.
 */
export interface ProblemType {
  code: string;
  slug: string;
  status: number;
  title: string;
  titleFr: string;
  /** What it means and what to do, in a sentence or two (served at the type's URI). */
  explanation: string;
  explanationFr: string;
}

const TYPES: ProblemType[] = [
  {
    code: 'ADDRESS_INVALID',
    slug: 'address-invalid',
    status: 400,
    title: 'Not a list address',
    titleFr: 'Adresse de liste invalide',
    explanation: 'The value is not an address of the form name@domain, or is longer than 254 octets.',
    explanationFr: 'La valeur n’est pas une adresse de la forme nom@domaine, ou dépasse 254 octets.',
  },
  {
    code: 'UNKNOWN_DOMAIN',
    slug: 'unknown-domain',
    status: 404,
    title: 'No family serves this domain',
    titleFr: 'Aucune famille ne sert ce domaine',
    explanation: 'No list family of this server serves the domain of the address. GET /v1/families lists the domains served.',
    explanationFr: 'Aucune famille de listes de ce serveur ne sert le domaine de l’adresse. GET /v1/families donne les domaines servis.',
  },
  {
    code: 'NO_SUCH_LIST',
    slug: 'no-such-list',
    status: 404,
    title: 'No such list',
    titleFr: 'Liste inexistante',
    explanation:
      'The address is in a served domain but the naming charter gives it no meaning. `column` is where the name goes wrong, `expected` what the charter accepts there, `suggestions` valid addresses close to it.',
    explanationFr:
      'L’adresse est dans un domaine servi mais la charte de nommage ne lui donne pas de sens. `column` indique où le nom cesse d’être valide, `expected` ce que la charte y accepte, `suggestions` des adresses valides proches.',
  },
  {
    code: 'ADDRESS_TOO_LONG',
    slug: 'address-too-long',
    status: 404,
    title: 'The name of the list is too long',
    titleFr: 'Le nom de la liste est trop long',
    explanation: 'The part before @ is longer than any list name may be (AUTOLIST_LOCAL_PART_MAX octets, 64 by default as in RFC 5321): no list has this address.',
    explanationFr: 'La partie avant @ dépasse la longueur permise aux noms de listes (AUTOLIST_LOCAL_PART_MAX octets, 64 par défaut comme dans la RFC 5321) : aucune liste n’a cette adresse.',
  },
  {
    code: 'ADDRESS_TOO_COMPLEX',
    slug: 'address-too-complex',
    status: 422,
    title: 'The address is too complex to read',
    titleFr: 'L’adresse est trop complexe à lire',
    explanation:
      'Reading this name by its family’s charter would take more work than the server allows for one address (the charter can read some names in very many ways). `family` names the family; `autolist check` shows what in its charter to correct.',
    explanationFr:
      'Lire ce nom selon la charte de sa famille demanderait plus de travail que le serveur n’en accorde à une adresse (la charte peut lire certains noms d’un très grand nombre de façons). `family` nomme la famille ; `autolist check` montre quoi corriger dans sa charte.',
  },
  {
    code: 'LIST_AMBIGUOUS',
    slug: 'list-ambiguous',
    status: 409,
    title: 'The address names a list two ways',
    titleFr: 'L’adresse désigne une liste de deux façons',
    explanation: 'Two families, or two readings of one charter, give this address different meanings. The charters must be corrected.',
    explanationFr: 'Deux familles, ou deux lectures d’une même charte, donnent des sens différents à cette adresse. Les chartes doivent être corrigées.',
  },
  {
    code: 'CHARTER_INVALID',
    slug: 'charter-invalid',
    status: 422,
    title: 'A charter does not compile',
    titleFr: 'Une charte ne compile pas',
    explanation: 'Each of `diagnostics` is a problem at file:line:column. On a reload, the families already in service keep serving.',
    explanationFr: 'Chaque élément de `diagnostics` est un problème à fichier:ligne:colonne. Lors d’un rechargement, les familles en service continuent de servir.',
  },
  {
    code: 'NO_SUCH_FAMILY',
    slug: 'no-such-family',
    status: 404,
    title: 'No such family',
    titleFr: 'Famille inexistante',
    explanation: 'No family of this name is in service. GET /v1/families lists them.',
    explanationFr: 'Aucune famille de ce nom n’est en service. GET /v1/families les énumère.',
  },
  {
    code: 'FAMILY_NOT_PUBLIC',
    slug: 'family-not-public',
    status: 403,
    title: 'The family is not public',
    titleFr: 'La famille n’est pas publique',
    explanation: 'Only the lists of a family whose charter says `public yes` go into address books. `family` names the family.',
    explanationFr: 'Seules les listes d’une famille dont la charte dit `public yes` vont dans les carnets d’adresses. `family` nomme la famille.',
  },
  {
    code: 'EXPORT_TOO_LARGE',
    slug: 'export-too-large',
    status: 422,
    title: 'The address book would be too large to make',
    titleFr: 'Le carnet d’adresses serait trop grand à produire',
    explanation:
      'The family has more names to examine than `limit` (the query’s, 200,000 by default), or the directory more values for an open token class than can be listed; an address book with lists left out is not given. Raise `limit`, or narrow the charter.',
    explanationFr:
      'La famille a plus de noms à examiner que `limit` (celle de la requête, 200 000 par défaut), ou l’annuaire plus de valeurs pour une classe de jetons ouverte qu’il n’est possible d’en énumérer ; un carnet d’adresses amputé de listes n’est pas donné. Augmentez `limit`, ou resserrez la charte.',
  },
  {
    code: 'EXPORT_BAD_BASE',
    slug: 'export-bad-base',
    status: 400,
    title: 'The base is not a distinguished name',
    titleFr: 'La base n’est pas un nom distinctif',
    explanation: 'The DN the LDIF entries go under (`base`, else AUTOLIST_EXPORT_BASE) must be an RFC 4514 distinguished name, such as ou=lists,dc=example,dc=org.',
    explanationFr: 'Le DN sous lequel vont les entrées LDIF (`base`, sinon AUTOLIST_EXPORT_BASE) doit être un nom distinctif RFC 4514, comme ou=lists,dc=example,dc=org.',
  },
  {
    code: 'HELD_NOT_FOUND',
    slug: 'held-not-found',
    status: 404,
    title: 'No such held message',
    titleFr: 'Aucun message retenu de ce nom',
    explanation: 'No message waiting for moderation has this id: it was never held, or was decided and forgotten once expired. GET /v1/lists/{address}/held lists those waiting.',
    explanationFr:
      'Aucun message en attente de modération n’a cet identifiant : il n’a jamais été retenu, ou a été décidé puis oublié à son expiration. GET /v1/lists/{address}/held énumère ceux qui attendent.',
  },
  {
    code: 'ALREADY_DECIDED',
    slug: 'already-decided',
    status: 409,
    title: 'The held message was already decided',
    titleFr: 'Le message retenu a déjà été décidé',
    explanation: 'The first decision on a held message counts; this one changed nothing. `state`, `decidedBy` and `decidedAt` say which decision was taken, by whom and when.',
    explanationFr: 'La première décision sur un message retenu compte ; celle-ci n’a rien changé. `state`, `decidedBy` et `decidedAt` disent quelle décision a été prise, par qui et quand.',
  },
  {
    code: 'BAD_REQUEST',
    slug: 'bad-request',
    status: 400,
    title: 'Bad request parameters',
    titleFr: 'Paramètres de requête invalides',
    explanation: 'A path, query or body value does not fit the route’s schema (see /openapi.json); `errors` says which and why.',
    explanationFr: 'Une valeur du chemin, de la requête ou du corps ne respecte pas le schéma de la route (voir /openapi.json) ; `errors` dit laquelle et pourquoi.',
  },
  {
    code: 'UNAUTHORIZED',
    slug: 'unauthorized',
    status: 401,
    title: 'A bearer token is required',
    titleFr: 'Un jeton d’accès est requis',
    explanation: 'Send `Authorization: Bearer TOKEN` with the read token (or the admin token) configured on the server.',
    explanationFr: 'Envoyez `Authorization: Bearer JETON` avec le jeton de lecture (ou d’administration) configuré sur le serveur.',
  },
  {
    code: 'FORBIDDEN',
    slug: 'forbidden',
    status: 403,
    title: 'The admin token is required',
    titleFr: 'Le jeton d’administration est requis',
    explanation: 'This route changes the server’s state (caches, families): it takes the admin token, not the read token.',
    explanationFr: 'Cette route modifie l’état du serveur (caches, familles) : elle exige le jeton d’administration, pas celui de lecture.',
  },
  {
    code: 'NOT_FOUND',
    slug: 'not-found',
    status: 404,
    title: 'No such route',
    titleFr: 'Route inexistante',
    explanation: 'No route answers this method and path. /openapi.json describes every route.',
    explanationFr: 'Aucune route ne répond à cette méthode et ce chemin. /openapi.json décrit toutes les routes.',
  },
  {
    code: 'PAYLOAD_TOO_LARGE',
    slug: 'payload-too-large',
    status: 413,
    title: 'Request body too large',
    titleFr: 'Corps de requête trop volumineux',
    explanation: 'The body is larger than AUTOLIST_HTTP_BODY_LIMIT bytes.',
    explanationFr: 'Le corps dépasse AUTOLIST_HTTP_BODY_LIMIT octets.',
  },
  {
    code: 'URI_TOO_LONG',
    slug: 'uri-too-long',
    status: 414,
    title: 'Path parameter too long',
    titleFr: 'Paramètre de chemin trop long',
    explanation: 'A path parameter is longer than any valid value could be.',
    explanationFr: 'Un paramètre du chemin est plus long que toute valeur valide.',
  },
  {
    code: 'HEADERS_TOO_LARGE',
    slug: 'headers-too-large',
    status: 431,
    title: 'Request headers too large',
    titleFr: 'En-têtes de requête trop volumineux',
    explanation: 'The request line and headers together are larger than AUTOLIST_HTTP_HEADER_LIMIT bytes.',
    explanationFr: 'La ligne de requête et les en-têtes dépassent ensemble AUTOLIST_HTTP_HEADER_LIMIT octets.',
  },
  {
    code: 'REQUEST_TIMEOUT',
    slug: 'request-timeout',
    status: 408,
    title: 'Request not received in time',
    titleFr: 'Requête non reçue à temps',
    explanation: 'The client did not finish sending its request in time; the connection is closed.',
    explanationFr: 'Le client n’a pas fini d’envoyer sa requête à temps ; la connexion est fermée.',
  },
  {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    slug: 'unsupported-media-type',
    status: 415,
    title: 'Unsupported body type',
    titleFr: 'Type de corps non pris en charge',
    explanation: 'Send the body as application/json (or text/plain where the route says so).',
    explanationFr: 'Envoyez le corps en application/json (ou text/plain quand la route le permet).',
  },
  {
    code: 'MEMBERSHIP_BAD_CURSOR',
    slug: 'bad-cursor',
    status: 400,
    title: 'Bad page cursor',
    titleFr: 'Curseur de page invalide',
    explanation: 'Pass back the `nextCursor` of the previous page of the same list, unchanged.',
    explanationFr: 'Renvoyez tel quel le `nextCursor` de la page précédente de la même liste.',
  },
  {
    code: 'MEMBERSHIP_BAD_LIMIT',
    slug: 'bad-limit',
    status: 400,
    title: 'Bad page size',
    titleFr: 'Taille de page invalide',
    explanation: '`limit` is a whole number from 1 to 10,000.',
    explanationFr: '`limit` est un entier de 1 à 10 000.',
  },
  directory('DIRECTORY_UNAVAILABLE', 'directory-unavailable', 'The directory cannot be reached', 'L’annuaire est injoignable', 'temporary'),
  directory('DIRECTORY_TIMEOUT', 'directory-timeout', 'The directory did not answer in time', 'L’annuaire n’a pas répondu à temps', 'temporary'),
  directory('DIRECTORY_BUSY', 'directory-busy', 'The directory is busy', 'L’annuaire est surchargé', 'temporary'),
  directory(
    'DIRECTORY_LIMIT_EXCEEDED',
    'directory-limit-exceeded',
    'The directory cut its answer at a size or time limit',
    'L’annuaire a tronqué sa réponse (limite de taille ou de durée)',
    'temporary',
  ),
  directory('DIRECTORY_ERROR', 'directory-error', 'The directory failed', 'L’annuaire a échoué', 'temporary'),
  directory('MEMBERSHIP_DIRECTORY_UNEXPECTED', 'directory-unexpected', 'The directory search failed unexpectedly', 'La recherche dans l’annuaire a échoué de façon inattendue', 'temporary'),
  directory('DIRECTORY_BAD_FILTER', 'directory-bad-filter', 'The directory refused the filter', 'L’annuaire a refusé le filtre', 'refused'),
  directory('DIRECTORY_NO_SUCH_BASE', 'directory-no-such-base', 'The search base does not exist', 'La base de recherche n’existe pas', 'refused'),
  directory('DIRECTORY_BAD_CREDENTIALS', 'directory-bad-credentials', 'The directory refused autolist’s credentials', 'L’annuaire a refusé les identifiants d’autolist', 'refused'),
  directory(
    'DIRECTORY_REFUSED',
    'directory-refused',
    'The directory refuses autolist (access rights, TLS, or a control it does not support)',
    'L’annuaire refuse autolist (droits d’accès, TLS, ou un contrôle qu’il ne prend pas en charge)',
    'refused',
  ),
  directory(
    'DIRECTORY_CERTIFICATE',
    'directory-certificate',
    'The directory’s TLS certificate does not verify (unknown CA, expired, or another name)',
    'Le certificat TLS de l’annuaire n’est pas vérifiable (AC inconnue, expiré, ou autre nom)',
    'refused',
  ),
  directory('DIRECTORY_DATA_INVALID', 'directory-data-invalid', 'The embedded directory’s LDIF file cannot be read', 'Le fichier LDIF de l’annuaire embarqué est illisible', 'refused'),
  {
    code: 'STUDIO_NO_SUCH_VERSION',
    slug: 'studio-no-such-version',
    status: 404,
    title: 'No such version of the family',
    titleFr: 'Version de la famille introuvable',
    explanation: 'The studio keeps the versions of a family that installs replaced (the last 50); this one is not among them. GET /v1/studio/families/{name}/versions lists them.',
    explanationFr:
      'Le studio garde les versions d’une famille que des installations ont remplacées (les 50 dernières) ; celle-ci n’en fait pas partie. GET /v1/studio/families/{name}/versions les énumère.',
  },
  {
    code: 'STUDIO_INSTALL_CONFLICT',
    slug: 'studio-install-conflict',
    status: 409,
    title: 'The family was being installed by another request',
    titleFr: 'La famille était installée par une autre requête',
    explanation: 'Another install of the same family put its folder in place while this one was written; this one was not put in place. Check the family, then install again.',
    explanationFr: 'Une autre installation de la même famille a mis son dossier en place pendant l’écriture de celle-ci, qui n’a pas été mise en place. Vérifiez la famille, puis installez à nouveau.',
  },
  {
    code: 'TOKEN_INVALID',
    slug: 'token-invalid',
    status: 400,
    title: 'The link is not valid',
    titleFr: 'Le lien n’est pas valable',
    explanation: 'autolist did not sign this link or token for this use, or it was altered (cut short when copied, for one). Use the link of the message as it came.',
    explanationFr: 'autolist n’a pas signé ce lien ou ce jeton pour cet usage, ou il a été altéré (coupé lors d’un copier-coller, par exemple). Utilisez le lien du message tel qu’il est arrivé.',
  },
  {
    code: 'TOKEN_EXPIRED',
    slug: 'token-expired',
    status: 410,
    title: 'The link has expired',
    titleFr: 'Le lien a expiré',
    explanation: 'The link or token was good until a date now past. A one-click unsubscribe link lasts 90 days: use the link of a more recent message, or write `unsubscribe` to LIST-request.',
    explanationFr:
      'Le lien ou le jeton était valable jusqu’à une date maintenant passée. Un lien de désabonnement en un clic dure 90 jours : utilisez celui d’un message plus récent, ou écrivez « désabonnement » à LISTE-request.',
  },
  {
    code: 'OPT_STORE_UNAVAILABLE',
    slug: 'opt-store-unavailable',
    status: 503,
    title: 'The exclusions and additions cannot be read or written now',
    titleFr: 'Les exclusions et ajouts ne peuvent être lus ni écrits pour l’instant',
    explanation: 'autolist’s state folder (AUTOLIST_RELAY_STATE_DIR/opt) cannot be read or written: read-only, permission refused or an I/O error. Try again later.',
    explanationFr: 'Le dossier d’état d’autolist (AUTOLIST_RELAY_STATE_DIR/opt) ne peut être lu ni écrit : lecture seule, permission refusée ou erreur d’entrée-sortie. Réessayez plus tard.',
  },
  {
    code: 'OPT_STORE_FULL',
    slug: 'opt-store-full',
    status: 503,
    title: 'The disk of the exclusions and additions is full',
    titleFr: 'Le disque des exclusions et ajouts est plein',
    explanation: 'autolist’s state folder (AUTOLIST_RELAY_STATE_DIR/opt) is on a full disk. Try again once there is room.',
    explanationFr: 'Le dossier d’état d’autolist (AUTOLIST_RELAY_STATE_DIR/opt) est sur un disque plein. Réessayez une fois de la place libérée.',
  },
  {
    code: 'RATE_LIMITED',
    slug: 'rate-limited',
    status: 429,
    title: 'Too many requests',
    titleFr: 'Trop de requêtes',
    explanation:
      'This bearer token, or this client address without a token, sent more requests in a minute than AUTOLIST_HTTP_RATE_LIMIT allows. Wait `retryAfter` seconds (also the Retry-After header), then slow down.',
    explanationFr:
      'Ce jeton, ou cette adresse de client sans jeton, a envoyé plus de requêtes en une minute que AUTOLIST_HTTP_RATE_LIMIT ne le permet. Attendez `retryAfter` secondes (aussi dans l’en-tête Retry-After), puis ralentissez.',
  },
  {
    code: 'SHUTTING_DOWN',
    slug: 'shutting-down',
    status: 503,
    title: 'The server is shutting down',
    titleFr: 'Le serveur s’arrête',
    explanation: 'The server is stopping; send the request again after Retry-After seconds (to it or to another instance).',
    explanationFr: 'Le serveur s’arrête ; renvoyez la requête après Retry-After secondes (à lui ou à une autre instance).',
  },
  {
    code: 'STORE_UNAVAILABLE',
    slug: 'store-unavailable',
    status: 503,
    title: 'The shared store does not answer',
    titleFr: 'Le stockage partagé ne répond pas',
    explanation: 'Redis (AUTOLIST_REDIS_URL), where the replicas share their state, did not answer in time; send the request again after Retry-After seconds.',
    explanationFr: 'Redis (AUTOLIST_REDIS_URL), où les répliques partagent leur état, n’a pas répondu à temps ; renvoyez la requête après Retry-After secondes.',
  },
  {
    code: 'INTERNAL',
    slug: 'internal',
    status: 500,
    title: 'Internal error',
    titleFr: 'Erreur interne',
    explanation: 'Something failed inside the server. Details are in its log under the request id given in the problem.',
    explanationFr: 'Une erreur s’est produite dans le serveur. Le détail est dans son journal, sous l’identifiant de requête donné dans le problème.',
  },
];

/**
 * A directory that cannot answer now, and nothing cached recent enough to serve instead (503: try
 * again), or that refuses the question for good (502: the configuration or a charter must be corrected).
 */
function directory(code: string, slug: string, title: string, titleFr: string, answer: 'temporary' | 'refused'): ProblemType {
  const temporary = answer === 'temporary';
  return {
    code,
    slug,
    status: temporary ? 503 : 502,
    title,
    titleFr,
    explanation: temporary
      ? `${title}, and no cached answer recent enough (AUTOLIST_MEMBERS_MAX_STALE) can be served. Try again after Retry-After seconds.`
      : `${title}: trying again will not help; the server’s configuration (AUTOLIST_LDAP_*, AUTOLIST_DIRECTORY_LDIF) or the family’s charter must be corrected.`,
    explanationFr: temporary
      ? `${titleFr}, et aucune réponse en cache assez récente (AUTOLIST_MEMBERS_MAX_STALE) ne peut être servie. Réessayez après Retry-After secondes.`
      : `${titleFr} : réessayer n’y changera rien ; la configuration du serveur (AUTOLIST_LDAP_*, AUTOLIST_DIRECTORY_LDIF) ou la charte de la famille doit être corrigée.`,
  };
}

export const PROBLEM_TYPES: ReadonlyMap<string, ProblemType> = new Map(TYPES.map((t) => [t.code, t]));
export const PROBLEM_TYPES_BY_SLUG: ReadonlyMap<string, ProblemType> = new Map(TYPES.map((t) => [t.slug, t]));

/** The problem type of a code (INTERNAL for a code the API does not know). */
export function problemType(code: string): ProblemType {
  return PROBLEM_TYPES.get(code) ?? (PROBLEM_TYPES.get('INTERNAL') as ProblemType);
}

export function typeUri(type: ProblemType): string {
  return `/problems/${type.slug}`;
}
