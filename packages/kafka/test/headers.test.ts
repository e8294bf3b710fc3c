import { HeaderTextCache, headersToRecord } from '../src/consumer/headers';

describe('headersToRecord', () => {
  test.each([false, true])('reads strings and UTF-8 bytes, the last of repeated names wins (cache: %s)', (withCache) => {
    const cache = withCache ? new HeaderTextCache() : undefined;
    const headers = { a: 'text', b: Buffer.from('bytés'), c: [Buffer.from('first'), Buffer.from('last')], d: undefined, e: [] as Buffer[] };
    expect(headersToRecord(headers, cache)).toStrictEqual({ a: 'text', b: 'bytés', c: 'last' });
    expect(headersToRecord(undefined, cache)).toStrictEqual({});
  });

  test('with a cache, equal bytes give the same text and changed bytes are decoded again', () => {
    const cache = new HeaderTextCache();
    const read = (name: string, text: string): string => headersToRecord({ [name]: Buffer.from(text) }, cache)[name]!;
    expect(read('type', 'user_created')).toBe('user_created');
    expect(read('type', 'user_created')).toBe('user_created');
    expect(read('type', 'user_deleted')).toBe('user_deleted');
    expect(read('type', 'user_create')).toBe('user_create');
    expect(read('other', 'user_create')).toBe('user_create');
    expect(read('type', 'user_createe')).toBe('user_createe');
    expect(read('id', '9b2f3c4e-0d6a-4b7e-9c1d-2e3f4a5b6c7d')).toBe('9b2f3c4e-0d6a-4b7e-9c1d-2e3f4a5b6c7d');
    expect(read('id', '9b2f3c4e-0d6a-4b7e-9c1d-2e3f4a5b6c7e')).toBe('9b2f3c4e-0d6a-4b7e-9c1d-2e3f4a5b6c7e');
    expect(read('empty', '')).toBe('');
    expect(read('empty', '')).toBe('');
  });

  test.each([false, true])('a header whose value is null (legal in Kafka) is left out, the others kept (cache: %s)', (withCache) => {
    const cache = withCache ? new HeaderTextCache() : undefined;
    const headers = { tombstone: null, type: Buffer.from('user_created'), repeated: [Buffer.from('first'), null] } as unknown as Parameters<typeof headersToRecord>[0];
    expect(headersToRecord(headers, cache)).toEqual({ type: 'user_created' });
  });
});
