import { randomBytes, randomUUID } from 'node:crypto';
import { Murmur2Partitioner, murmur2 } from '@cqrs/kafka';
import { Partitioners, type PartitionerArgs, type PartitionMetadata } from 'kafkajs';

const metadata = (count: number, leaderless: readonly number[] = []): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: leaderless.includes(partitionId) ? -1 : 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));

const args = (key: PartitionerArgs['message']['key'], partitions: PartitionMetadata[], partition?: number): PartitionerArgs => ({
  topic: 'orders',
  partitionMetadata: partitions,
  message: partition === undefined ? { key, value: null } : { key, value: null, partition },
});

/** Random text with every kind of UTF-16 unit: ASCII, two- and three-byte characters, pairs and lone surrogates. */
function randomText(length: number): string {
  const units: number[] = [];
  for (let i = 0; i < length; i += 1) {
    const pick = Math.random();
    if (pick < 0.6) units.push(0x20 + Math.floor(Math.random() * 0x5f));
    else if (pick < 0.75) units.push(0x80 + Math.floor(Math.random() * 0x780));
    else if (pick < 0.85) units.push(0x800 + Math.floor(Math.random() * 0xd000));
    else if (pick < 0.95) units.push(0xd800 + Math.floor(Math.random() * 0x400), 0xdc00 + Math.floor(Math.random() * 0x400));
    else units.push(0xd800 + Math.floor(Math.random() * 0x800));
  }
  return String.fromCharCode(...units);
}

describe('murmur2', () => {
  test("gives the hashes of Kafka's own test vectors (Java's Utils.murmur2)", () => {
    // From Apache Kafka's UtilsTest.testMurmur2.
    expect(murmur2('21')).toBe(-973932308);
    expect(murmur2('foobar')).toBe(-790332482);
    expect(murmur2('a-little-bit-long-string')).toBe(-985981536);
    expect(murmur2('a-little-bit-longer-string')).toBe(-1486304829);
    expect(murmur2('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8')).toBe(-58897971);
    expect(murmur2(new Uint8Array([0x61, 0x62, 0x63]))).toBe(479470107);
  });

  test('hashes a string as its UTF-8 bytes', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'é', 'ключ-42', '注文-7', '😀', '\ud800', 'a\udc00b']) {
      expect(murmur2(text)).toBe(murmur2(Buffer.from(text, 'utf8')));
    }
  });
});

describe('Murmur2Partitioner', () => {
  test("picks kafkajs DefaultPartitioner's partition for every keyed record (10,000 random keys per kind)", () => {
    const ours = Murmur2Partitioner();
    const theirs = Partitioners.DefaultPartitioner();
    const kinds: Record<string, () => string | Buffer> = {
      uuid: () => randomUUID(),
      'short ascii': () => `user-${Math.floor(Math.random() * 100_000)}`,
      'any length ascii': () => randomBytes(Math.floor(Math.random() * 40)).toString('base64'),
      'non-ascii and lone surrogates': () => randomText(1 + Math.floor(Math.random() * 24)),
      bytes: () => randomBytes(Math.floor(Math.random() * 33)),
    };
    for (const [kind, makeKey] of Object.entries(kinds)) {
      for (const count of [1, 3, 7, 12]) {
        const partitions = metadata(count);
        const mismatches: string[] = [];
        for (let i = 0; i < 2_500; i += 1) {
          const key = makeKey();
          const expected = theirs(args(key, partitions));
          const actual = ours(args(key, partitions));
          if (actual !== expected) mismatches.push(`${kind} ${JSON.stringify(key.toString())}: ${actual} != ${expected}`);
        }
        expect(mismatches).toEqual([]);
      }
    }
  });

  test("keeps a record's own partition", () => {
    const partition = Murmur2Partitioner();
    expect(partition(args('user-1', metadata(6), 4))).toBe(4);
    expect(partition(args(null, metadata(6), 0))).toBe(0);
  });

  test('spreads keyless records round robin over the partitions that have a leader', () => {
    const partition = Murmur2Partitioner();
    const partitions = metadata(5, [1, 3]);
    const picked = Array.from({ length: 9 }, () => partition(args(null, partitions)));
    expect(new Set(picked)).toEqual(new Set([0, 2, 4]));
    // Consecutive records take consecutive leader partitions.
    const order = [0, 2, 4];
    for (let i = 1; i < picked.length; i += 1) expect(picked[i]).toBe(order[(order.indexOf(picked[i - 1]!) + 1) % 3]);
  });

  test('still picks a partition when none has a leader', () => {
    const partition = Murmur2Partitioner();
    const picked = partition(args(undefined, metadata(4, [0, 1, 2, 3])));
    expect(picked).toBeGreaterThanOrEqual(0);
    expect(picked).toBeLessThan(4);
  });
});
