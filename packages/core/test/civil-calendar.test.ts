import { civilFromDays, daysFromCivil, daysInMonth } from '../src/events/civil-calendar';

describe('civil calendar', () => {
  it('turns a day number into a date and back, from the year -2000 to 12000, and agrees with Date', () => {
    const wrong: string[] = [];
    for (let days = -1_450_000; days <= 3_660_000; days += 7) {
      const { year, month, day } = civilFromDays(days);
      const date = new Date(days * 86_400_000);
      if (daysFromCivil(year, month, day) !== days || date.getUTCFullYear() !== year || date.getUTCMonth() + 1 !== month || date.getUTCDate() !== day) wrong.push(`${days}: ${year}-${month}-${day}`);
      if (wrong.length > 5) break;
    }
    expect(wrong).toEqual([]);
  });

  it('knows the leap years', () => {
    expect([1900, 2000, 2023, 2024, 2100].map((year) => daysInMonth(year, 2))).toEqual([28, 29, 28, 29, 28]);
  });
});
