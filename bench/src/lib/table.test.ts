import type { Measurement } from './measure';
import { formatNs, formatRatio, ratioRows, renderTable } from './table';

const measured = (name: string, medianNs: number): Measurement => ({ name, medianNs, minNs: medianNs, maxNs: medianNs, roundsNs: [medianNs], iterations: 1 });

describe('table helpers', () => {
  test('format nanoseconds and ratios', () => {
    expect(formatNs(35.24)).toBe('35.2 ns');
    expect(formatNs(1840)).toBe('1.84 µs');
    expect(formatNs(12_300_000)).toBe('12.30 ms');
    expect(formatRatio(123, 35)).toBe('3.51×');
  });

  test('renders an aligned table: text left, numbers right', () => {
    const text = renderTable([
      { case: 'direct', median: '35.0 ns' },
      { case: 'send(noop)', median: '120.5 ns' },
    ]);
    expect(text.split('\n')).toEqual(['case          median', '----------  --------', 'direct       35.0 ns', 'send(noop)  120.5 ns']);
  });

  test('ratio rows compare every case with each baseline', () => {
    const rows = ratioRows([measured('direct', 40), measured('nest', 140), measured('send', 100)], ['direct', 'nest']);
    expect(rows.map((row) => [row.case, row['vs direct'], row['vs nest']])).toEqual([
      ['direct', '1.00×', '0.29×'],
      ['nest', '3.50×', '1.00×'],
      ['send', '2.50×', '0.71×'],
    ]);
    expect(() => ratioRows([measured('send', 1)], ['missing'])).toThrow(/missing/);
  });
});
