import { encodedValueSerializer, isEncodedPayload } from '@cqrs/core';
import { rowToMessage, type OutboxRow } from '@cqrs/postgres';

const row: OutboxRow = {
  seq: '7',
  id: 'e-1',
  aggregatetype: 'orders',
  aggregateid: 'c-1',
  type: 'order_placed',
  payload: Buffer.from('{"a":1}'),
  headers: { 'content-type': 'application/json', message_name: 'order_placed', message_id: 'e-1', trace: 't' },
  attempts: 0,
};

describe('rowToMessage', () => {
  test('publishes the stored bytes and headers unchanged', async () => {
    const message = rowToMessage(row);
    expect(message).toMatchObject({ messageName: 'order_placed', messageId: 'e-1', topic: 'orders', key: 'c-1', headers: row.headers });
    expect(isEncodedPayload(message.payload)).toBe(true);
    const encoded = await encodedValueSerializer().serialize(message);
    expect(Buffer.from(encoded.value).equals(row.payload as Buffer)).toBe(true);
  });

  test('a keyless row has no key', () => {
    expect('key' in rowToMessage({ ...row, aggregateid: null })).toBe(false);
  });
});
