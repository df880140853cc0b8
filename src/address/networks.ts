import { BlockList, isIP } from 'node:net';

/** An IP network in CIDR notation, checked: `10.0.0.0/8`, `::1/128` (a bare address is its own /32 or /128). */
export interface Network {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** The network a text names, or undefined when it is not an address with an optional prefix length. */
export function parseNetwork(text: string): Network | undefined {
  const match = /^([^/]+?)(?:\/([0-9]{1,3}))?$/.exec(text.trim());
  if (!match?.[1]) return undefined;
  const address = match[1];
  const version = isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const bits = version === 4 ? 32 : 128;
  const prefix = match[2] === undefined ? bits : Number(match[2]);
  return prefix <= bits ? { address, prefix, family } : undefined;
}

/** The text fastify's trustProxy and the README use for a network. */
export function networkText(network: Network): string {
  return `${network.address}/${network.prefix}`;
}

/** Whether client addresses belong to any of some networks (an IPv4-mapped IPv6 address counts as its IPv4 address). */
export class Networks {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(networks: readonly Network[]) {
    for (const n of networks) this.list.addSubnet(n.address, n.prefix, n.family);
    this.empty = networks.length === 0;
  }

  has(address: string | undefined): boolean {
    if (this.empty || address === undefined) return false;
    const version = isIP(address);
    return version !== 0 && this.list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  }
}
