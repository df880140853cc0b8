import { defineMessages } from '../i18n/index.js';

/** What moderation tells people: the 250, moderators, authors, late deciders, in the family's language. */
export const t = defineMessages({
  en: {
    held: '{list}: your message awaits moderation; its author is told of the decision',
    notifySubject: 'To moderate: a message from {sender} to {list}',
    notifyIntro: '{sender} wrote to {list} ({description}): “{subject}”. The message is attached; it waits for a moderator’s decision until {expires}, after which its author is told it expired.',
    notifyLink: 'To approve or reject it (with a reason if you wish): {link}',
    notifyReply: 'Or reply to this message, keeping its subject: write approve on the first line to approve it, or reject followed by a reason to reject it.',
    notifyList: 'Every message waiting for the moderators of {list}: {link}',
    notifyFirst: 'The first decision counts; every moderator of the list got this message.',
    rejectedSubject: 'Your message to {list} was rejected',
    rejectedBody: 'Your message “{subject}” to {list} of {heldAt} was rejected by a moderator; it went to nobody.',
    rejectedReason: 'The moderator’s reason: {reason}',
    expiredSubject: 'Your message to {list} expired unmoderated',
    expiredBody: 'Your message “{subject}” to {list} of {heldAt} waited for a moderator’s decision until {expires}; nobody decided, so it went to nobody.',
    lateSubject: 'Already decided: the message from {sender} to {list}',
    lateBody:
      'The message “{subject}” from {sender} to {list} was already {state, select, approved {approved} rejected {rejected} other {left to expire}} by {by} at {at}: the first decision counts, yours was not taken.',
    decidedSubject: 'Done: the message from {sender} to {list} is {state, select, approved {approved} other {rejected}}',
    decidedBody:
      'You {state, select, approved {approved} other {rejected}} the message “{subject}” from {sender} to {list}.{state, select, approved { It goes to the list’s members.} other { Its author is told.}}',
    administrator: 'an administrator',
    expiry: 'nobody (it expired)',
    noSubject: '(no subject)',
    signature: 'This is an automatic message from {request}.',
    replySubject: 'Your moderation reply about {list}',
    replyReason: 'Your reason, told to its author: {reason}',
    replyNoVerb:
      'Your reply about the message “{subject}” from {sender} to {list} says no decision: nothing was done. Write approve on its first line to approve it, or reject followed by a reason to reject it.',
    replyNotModerator: 'This moderation token was given to another moderator, and a reply decides only from the address it was sent to: nothing was done.',
    replyOtherList: 'This moderation token is for a message held for another list: nothing was done.',
    replyGone: 'This message is no longer held (decided and forgotten after its expiry): nothing was done.',
    replyNoModeration: 'Held messages are not decided by mail here: nothing was done. Use the link of the notification.',
  },
  fr: {
    held: '{list} : votre message attend la modération ; son auteur sera informé de la décision',
    notifySubject: 'À modérer : un message de {sender} pour {list}',
    notifyIntro:
      '{sender} a écrit à {list} ({description}) : « {subject} ». Le message est joint ; il attend la décision d’un modérateur jusqu’au {expires}, après quoi son auteur apprendra qu’il a expiré.',
    notifyLink: 'Pour l’approuver ou le rejeter (avec un motif si vous le souhaitez) : {link}',
    notifyReply: 'Ou répondez à ce message en gardant son objet : écrivez approuver en première ligne pour l’approuver, ou rejeter suivi d’un motif pour le rejeter.',
    notifyList: 'Tous les messages qui attendent les modérateurs de {list} : {link}',
    notifyFirst: 'La première décision compte ; chaque modérateur de la liste a reçu ce message.',
    rejectedSubject: 'Votre message pour {list} a été rejeté',
    rejectedBody: 'Votre message « {subject} » pour {list} du {heldAt} a été rejeté par un modérateur ; il n’a été envoyé à personne.',
    rejectedReason: 'Le motif du modérateur : {reason}',
    expiredSubject: 'Votre message pour {list} a expiré sans modération',
    expiredBody: 'Votre message « {subject} » pour {list} du {heldAt} a attendu la décision d’un modérateur jusqu’au {expires} ; personne n’a décidé, il n’a donc été envoyé à personne.',
    lateSubject: 'Déjà décidé : le message de {sender} pour {list}',
    lateBody:
      'Le message « {subject} » de {sender} pour {list} a déjà été {state, select, approved {approuvé} rejected {rejeté} other {laissé expirer}} par {by} le {at} : la première décision compte, la vôtre n’a pas été prise.',
    decidedSubject: 'C’est fait : le message de {sender} pour {list} est {state, select, approved {approuvé} other {rejeté}}',
    decidedBody:
      'Vous avez {state, select, approved {approuvé} other {rejeté}} le message « {subject} » de {sender} pour {list}.{state, select, approved { Il part aux membres de la liste.} other { Son auteur en est informé.}}',
    administrator: 'un administrateur',
    expiry: 'personne (il a expiré)',
    noSubject: '(sans objet)',
    signature: 'Ceci est un message automatique de {request}.',
    replySubject: 'Votre réponse de modération pour {list}',
    replyReason: 'Votre motif, transmis à son auteur : {reason}',
    replyNoVerb:
      'Votre réponse au sujet du message « {subject} » de {sender} pour {list} ne dit aucune décision : rien n’a été fait. Écrivez approuver en première ligne pour l’approuver, ou rejeter suivi d’un motif pour le rejeter.',
    replyNotModerator: 'Ce jeton de modération a été donné à un autre modérateur, et une réponse ne décide que depuis l’adresse à laquelle il a été envoyé : rien n’a été fait.',
    replyOtherList: 'Ce jeton de modération concerne un message retenu pour une autre liste : rien n’a été fait.',
    replyGone: 'Ce message n’est plus retenu (décidé puis oublié après son expiration) : rien n’a été fait.',
    replyNoModeration: 'Les messages retenus ne se décident pas par courrier ici : rien n’a été fait. Utilisez le lien de la notification.',
  },
});
