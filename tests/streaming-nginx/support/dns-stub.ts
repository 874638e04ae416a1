// A tiny authoritative DNS server on 127.0.0.1 standing in for the cluster DNS: it answers A queries for the names it
// is given (a headless Service answers with every replica's address) and NXDOMAIN for anything else. The answer set
// can change at any time, which is how a test scales the origin. TTL 1: nginx's `valid=` decides how long it caches.
import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';

export interface DnsStub {
  readonly port: number;
  /** Replace the A records of `name` (an empty list answers NXDOMAIN). */
  setAddresses(name: string, addresses: readonly string[]): void;
  /** How many queries for `name` arrived so far. */
  queries(name: string): number;
  close(): Promise<void>;
}

export const startDnsStub = async (): Promise<DnsStub> => {
  const records = new Map<string, readonly string[]>();
  const counts = new Map<string, number>();
  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase().replace(/\.$/, '');
    counts.set(name, (counts.get(name) ?? 0) + 1);
    const addresses = question.type === 'A' ? (records.get(name) ?? []) : [];
    const known = records.has(name) && (records.get(name)?.length ?? 0) > 0;
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (known || question.type !== 'A' ? 0 : 3), // rcode 3 = NXDOMAIN
      questions: [question],
      answers: addresses.map((data) => ({ type: 'A' as const, name: question.name, ttl: 1, class: 'IN' as const, data })),
    });
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  return {
    port: socket.address().port,
    setAddresses: (name, addresses) => records.set(name.toLowerCase(), [...addresses]),
    queries: (name) => counts.get(name.toLowerCase()) ?? 0,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
};
