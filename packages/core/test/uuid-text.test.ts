import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isBareHex, isUuid } from '../src/events/uuid-text';

// The hand-written check must accept exactly what zod's UUID pattern accepts.
const zodUuid = z.regexes.uuid();
const HEX = '0123456789abcdefABCDEF';

function randomText(random: () => number): string {
  const alphabet = `${HEX}-gGzZ \u00e9`;
  const chars = Array.from(randomUUID(), (char) => (random() < 0.04 ? (alphabet[Math.floor(random() * alphabet.length)] as string) : char));
  // Sometimes a version or variant digit anywhere in 0-f, sometimes a length off by one.
  if (random() < 0.3) chars[14] = HEX[Math.floor(random() * HEX.length)] as string;
  if (random() < 0.3) chars[19] = HEX[Math.floor(random() * HEX.length)] as string;
  if (random() < 0.05) chars.pop();
  return chars.join('');
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

test('isUuid agrees with z.uuid() on 50,000 ids, mutated ids and the edge cases', () => {
  const random = seeded(7);
  const edges = [
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
    '00000000-0000-0000-0000-000000000001',
    '123e4567-e89b-12d3-a456-426614174000',
    '123E4567-E89B-92D3-A456-426614174000',
    '123e4567-e89b-02d3-a456-426614174000',
    '123e4567-e89b-12d3-c456-426614174000',
    '123e4567-e89b-12d3-a456-42661417400',
    '123e4567e89b12d3a456426614174000',
    '',
  ];
  let accepted = 0;
  for (const text of [...edges, ...Array.from({ length: 50_000 }, () => randomText(random))]) {
    const expected = zodUuid.test(text);
    expect([text, isUuid(text)]).toEqual([text, expected]);
    if (expected) accepted += 1;
  }
  // Both sides of the check were exercised.
  expect(accepted).toBeGreaterThan(10_000);
  expect(accepted).toBeLessThan(45_000);
});

test('isBareHex takes 32 hex digits of either case and nothing else', () => {
  expect(isBareHex('123e4567e89b12d3a456426614174000')).toBe(true);
  expect(isBareHex('123E4567E89B12D3A456426614174000')).toBe(true);
  expect(isBareHex('123e4567e89b12d3a45642661417400')).toBe(false);
  expect(isBareHex('123e4567e89b12d3a45642661417400g')).toBe(false);
  expect(isBareHex('123e4567-e89b-12d3-a456-426614174000')).toBe(false);
});
