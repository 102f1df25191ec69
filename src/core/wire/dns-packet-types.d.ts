// dns-packet's type-name table (no types shipped); used to map RFC 3597 TYPEnnn names.
declare module 'dns-packet/types' {
  export function toType(name: string): number;
  export function toString(type: number): string;
}
