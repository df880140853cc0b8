/** The family the studio's tests write. */
/** A family written from scratch in the studio: teams of a trade in a département, its trades in a lexicon. */
export const EQUIPES = {
  name: 'equipes',
  charter: `family       equipes
domain       teams.example.org
base         "dc=example,dc=org"
description  "{who.label} du département {dept}"
subject      "[{who}-{dept}]"
senders      any

<address> ::= <who> '-' <dept>
<who>     ::= table metiers
<dept>    ::= /[0-9][0-9]/ in 1..95   filter (departmentNumber={text})

rights send
  allow if member
  otherwise deny

example chefs-56 => (&(title=chef)(departmentNumber=56))
`,
  lexicons: { metiers: 'token\tfilter\tlabel\nchefs\t(title=chef)\tChefs\ngendarmes\t(title=gendarme)\tGendarmes\n' },
};
