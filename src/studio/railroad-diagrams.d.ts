/** The part of railroad-diagrams (Tab Atkins's library, CommonJS) the studio draws with. */
declare module 'railroad-diagrams' {
  interface Item {
    toString(): string;
  }
  const railroad: {
    Diagram(...items: Item[]): Item;
    Sequence(...items: Item[]): Item;
    Choice(normal: number, ...items: Item[]): Item;
    Optional(item: Item, skip?: 'skip'): Item;
    OneOrMore(item: Item, repeat?: Item): Item;
    Terminal(text: string): Item;
    NonTerminal(text: string): Item;
    Comment(text: string): Item;
    Skip(): Item;
  };
  export default railroad;
}
