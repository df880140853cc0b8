# The charter language: what a family author writes in families/NAME/NAME.charter.
# Compiled by nearleyc into src/charter/generated/charter-grammar.ts at build time.
@preprocessor typescript
@{%
import { charterLexer as lexer } from '../lexer.js';
import * as cst from '../syntax.js';
%}
@lexer lexer

charter     -> statement:*                                  {% ([statements]) => statements %}

statement   -> header                                       {% id %}
             | rule                                         {% id %}
             | rights                                       {% id %}
             | condition                                    {% id %}
             | example                                      {% id %}

# --- the family header -------------------------------------------------------------------------
header      -> headerKey value ("," value):*                {% ([key, first, rest]) => cst.header(key, [first, ...rest.map((r: any) => r[1])]) %}
headerKey   -> ("family" | "domain" | "base" | "scope" | "member-attribute" | "alternate-addresses"
              | "priority" | "cache-ttl" | "description" | "subject" | "owners" | "empty-lists"
              | "dmarc" | "senders" | "language" | "public" | "moderation-expiry") {% ([[t]]) => t %}
value       -> %word                                        {% id %}
             | %string                                      {% id %}

# --- the address grammar -----------------------------------------------------------------------
rule        -> %rule "::=" alternatives                     {% ([name, , alternatives]) => cst.rule(name, alternatives) %}
alternatives -> alternative ("|" alternative):*             {% ([first, rest]) => [first, ...rest.map((r: any) => r[1])] %}
alternative -> item:+ annotation:*                          {% ([items, annotations]) => cst.alternative(items, annotations) %}
annotation  -> "filter" %filter                             {% ([kw, f]) => cst.annotation('filter', kw, f) %}
             | "label" %string                              {% ([kw, s]) => cst.annotation('label', kw, s) %}

item        -> atom                                         {% id %}
             | atom "+" repeatOption:*                      {% ([atom, plus, options]) => cst.repeat(atom, plus, options) %}
repeatOption -> "separated" "by" %string                    {% ([kw, , s]) => ({ kind: 'separator', token: s, at: kw }) %}
             | "matching" ("all" | "any")                   {% ([kw, [t]]) => ({ kind: 'combine', token: t, at: kw }) %}
             | "exclusive" %word ("," %word):+              {% ([kw, first, rest]) => ({ kind: 'exclusive', words: [first, ...rest.map((r: any) => r[1])], at: kw }) %}
             | "in" ("any" | "canonical") "order"           {% ([kw, [t]]) => ({ kind: 'order', token: t, at: kw }) %}
atom        -> %string                                      {% ([s]) => cst.literal(s) %}
             | %rule                                        {% ([r]) => cst.reference(r) %}
             | %regex bounds:?                              {% ([r, b]) => cst.tokenClass(r, b ?? []) %}
             | "table" %word                                {% ([kw, name]) => cst.table(kw, name) %}
             | "[" alternatives "]"                         {% ([open, alternatives]) => cst.optional(open, alternatives) %}
bounds      -> "in" %range ("," %range):*                   {% ([, first, rest]) => [first, ...rest.map((r: any) => r[1])] %}

# --- rights ------------------------------------------------------------------------------------
rights      -> "rights" %word "closed"                      {% ([kw, action]) => cst.rights(kw, action, [], undefined, true) %}
             | "rights" %word rightsRule:* otherwise:?      {% ([kw, action, rules, otherwise]) => cst.rights(kw, action, rules, otherwise ?? undefined, false) %}
rightsRule  -> outcome "if" condExpr                        {% ([outcome, , condition]) => ({ outcome, condition }) %}
otherwise   -> "otherwise" outcome                          {% ([, outcome]) => outcome %}
outcome     -> ("allow" | "deny")                           {% ([[t]]) => cst.outcome(t) %}
             | "moderate" "by" moderators                 {% ([t, , moderators]) => cst.outcome(t, moderators) %}
moderators  -> "@" %word                                    {% ([, name]) => cst.moderators(name) %}
             | %string                                      {% ([s]) => cst.moderators(s) %}

condition   -> "condition" %word "=" condExpr conditionLabel:* {% ([kw, name, , condition, labels]) => cst.namedCondition(kw, name, condition, labels) %}
conditionLabel -> "label" %string                           {% ([kw, s]) => ({ keyword: kw, value: s }) %}

condExpr    -> "not" condExpr                               {% ([kw, c]) => cst.cond(kw, { kind: 'not', condition: c }) %}
             | ("all" | "any") "(" condList ")"             {% ([[kw], , list]) => cst.cond(kw, { kind: kw.value, conditions: list }) %}
             | "anyone"                                     {% ([kw]) => cst.cond(kw, { kind: 'anyone' }) %}
             | "member"                                     {% ([kw]) => cst.cond(kw, { kind: 'member' }) %}
             | "member" "of" %string                        {% ([kw, , s]) => cst.cond(kw, { kind: 'member-of', template: s }) %}
             | "sender" "in" "directory"                    {% ([kw]) => cst.cond(kw, { kind: 'in-directory' }) %}
             | "sender" "matches" %filter                   {% ([kw, , f]) => cst.cond(kw, { kind: 'sender-matches', filter: f }) %}
             | "sender" "domain" "in" domains               {% ([kw, , , d]) => cst.cond(kw, { kind: 'domain', domains: d }) %}
             | "empty" "sender"                             {% ([kw]) => cst.cond(kw, { kind: 'empty-sender' }) %}
             | "authenticated"                              {% ([kw]) => cst.cond(kw, { kind: 'authenticated' }) %}
             | ("dkim" | "spf" | "dmarc") %word             {% ([[kw], r]) => cst.cond(kw, { kind: kw.value, result: r }) %}
             | "@" %word                                    {% ([kw, name]) => cst.cond(kw, { kind: 'named', name }) %}
condList    -> condExpr ("," condExpr):*                    {% ([first, rest]) => [first, ...rest.map((r: any) => r[1])] %}
domains     -> %word ("," %word):*                          {% ([first, rest]) => [first, ...rest.map((r: any) => r[1])] %}

# --- examples ----------------------------------------------------------------------------------
example     -> "example" %word "=>" %filter                 {% ([kw, address, , f]) => cst.example(kw, address, f) %}
             | "refuse" %word                               {% ([kw, address]) => cst.refusal(kw, address) %}
