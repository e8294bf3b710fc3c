import { compare, measure } from './measure';

describe('measure / compare', () => {
  test('calls each case warmup + rounds × iterations times and awaits async cases', async () => {
    let syncCalls = 0;
    let asyncDone = 0;
    const results = await compare(
      [
        { name: 'sync', fn: () => (syncCalls += 1) },
        {
          name: 'async',
          fn: async () => {
            await Promise.resolve();
            asyncDone += 1;
          },
        },
      ],
      { iterations: 10, warmup: 5, rounds: 3 },
    );
    expect(syncCalls).toBe(5 + 3 * 10);
    expect(asyncDone).toBe(5 + 3 * 10);
    expect(results.map((r) => r.name)).toEqual(['sync', 'async']);
    for (const result of results) {
      expect(result.roundsNs).toHaveLength(3);
      expect(result.iterations).toBe(10);
      expect(result.minNs).toBeLessThanOrEqual(result.medianNs);
      expect(result.medianNs).toBeLessThanOrEqual(result.maxNs);
    }
  });

  test('rounds are interleaved across cases', async () => {
    const order: string[] = [];
    await compare(
      [
        { name: 'a', fn: () => order.push('a') },
        { name: 'b', fn: () => order.push('b') },
      ],
      { iterations: 1, warmup: 0, rounds: 2 },
    );
    expect(order).toEqual(['a', 'b', 'a', 'b']);
  });

  test('measure reports one case', async () => {
    const result = await measure(() => undefined, { iterations: 5, warmup: 0, rounds: 1 });
    expect(result.roundsNs).toHaveLength(1);
    expect(result.medianNs).toBeGreaterThanOrEqual(0);
  });

  test('refuses settings that cannot measure anything', async () => {
    await expect(measure(() => undefined, { iterations: 0 })).rejects.toThrow(/iterations/);
    await expect(measure(() => undefined, { rounds: 1.5 })).rejects.toThrow(/rounds/);
  });
});
