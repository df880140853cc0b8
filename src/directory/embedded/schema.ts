import {
  type AttributeTypeRow,
  DEMO_ATTRIBUTE_TYPES,
  DEMO_OBJECT_CLASSES,
  FILE_ATTRIBUTE_TYPES,
  FILE_OBJECT_CLASSES,
  type ObjectClassRow,
  SLAPD_BUILTIN_ATTRIBUTE_TYPES,
  SLAPD_BUILTIN_OBJECT_CLASSES,
} from './schema-data.js';

/** An attribute type with its inherited matching rules resolved. */
export interface AttributeType {
  oid: string;
  /** The first name, lower-cased: the key of the attribute in entries. */
  key: string;
  equality?: string;
  ordering?: string;
  substr?: string;
  syntax?: string;
  /** This type and every type below it (by SUP), as keys. */
  subtypes: Set<string>;
}

export interface ObjectClass {
  oid: string;
  /** This class and every class above it (by SUP), as OIDs. */
  superclasses: Set<string>;
}

/** An attribute description split into its type and options (`cn;lang-fr`), options lower-cased. */
export interface AttributeDescription {
  type: AttributeType;
  options: string[];
}

const types = new Map<string, AttributeType>();
const classes = new Map<string, ObjectClass>();
const typeRows: readonly AttributeTypeRow[] = [...SLAPD_BUILTIN_ATTRIBUTE_TYPES, ...FILE_ATTRIBUTE_TYPES, ...DEMO_ATTRIBUTE_TYPES];
const classRows: readonly ObjectClassRow[] = [...SLAPD_BUILTIN_OBJECT_CLASSES, ...FILE_OBJECT_CLASSES, ...DEMO_OBJECT_CLASSES];
const rowByName = new Map<string, AttributeTypeRow>();

for (const row of typeRows) {
  const [oid, names] = row;
  const list = names.split(' ');
  const type: AttributeType = { oid, key: (list[0] ?? oid).toLowerCase(), subtypes: new Set() };
  for (const name of [oid, ...list]) {
    types.set(name.toLowerCase(), type);
    rowByName.set(name.toLowerCase(), row);
  }
}
for (const row of typeRows) {
  const type = types.get(row[0]) as AttributeType;
  // Up the SUP chain: rules not given are inherited; this type is a subtype of each ancestor.
  for (let r: AttributeTypeRow | undefined = row; r; r = r[2] ? rowByName.get(r[2].toLowerCase()) : undefined) {
    const [oid, , , equality, ordering, substr, syntax] = r;
    type.equality ||= equality || undefined;
    type.ordering ||= ordering || undefined;
    type.substr ||= substr || undefined;
    type.syntax ||= syntax || undefined;
    types.get(oid)?.subtypes.add(type.key);
  }
}
const classSups = new Map<string, string[]>();
for (const [oid, names, sups] of classRows) {
  const oc: ObjectClass = { oid, superclasses: new Set() };
  for (const name of [oid, ...names.split(' ')]) classes.set(name.toLowerCase(), oc);
  classSups.set(oid, sups.split(' ').filter(Boolean));
}
for (const [oid] of classRows) {
  const oc = classes.get(oid) as ObjectClass;
  const pending = [oid];
  while (pending.length > 0) {
    const current = classes.get((pending.pop() as string).toLowerCase());
    if (!current || oc.superclasses.has(current.oid)) continue;
    oc.superclasses.add(current.oid);
    pending.push(...(classSups.get(current.oid) ?? []));
  }
}

/** The attribute type named (by any of its names or its OID, case-insensitively), if the schema knows it. */
export function attributeType(name: string): AttributeType | undefined {
  return types.get(name) ?? types.get(name.toLowerCase());
}

/** Splits `name;option;...`; undefined when the type is unknown to the schema. */
export function attributeDescription(description: string): AttributeDescription | undefined {
  const [name = '', ...options] = description.toLowerCase().split(';');
  const type = types.get(name);
  return type && { type, options };
}

/** The object class named (by name or OID, case-insensitively), if the schema knows it. */
export function objectClass(name: string): ObjectClass | undefined {
  return classes.get(name.toLowerCase());
}
