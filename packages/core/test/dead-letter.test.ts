import { DeadLetterHeaders, DeserializeJsonError } from '@cqrs/core';
import { deadLetterHeaders, describeError } from '@cqrs/core/transport';

describe('deadLetterHeaders', () => {
  test('keeps the original headers and adds error, attempts, source and time', () => {
    const headers = deadLetterHeaders({ message_name: 'user_created', trace: 't-1' }, new RangeError('too big'), 3, { topic: 'users', partition: 2, offset: '41' }, new Date('2024-01-02T03:04:05.000Z'));
    expect(headers).toEqual({
      message_name: 'user_created',
      trace: 't-1',
      [DeadLetterHeaders.error]: 'too big',
      [DeadLetterHeaders.errorType]: 'RangeError',
      [DeadLetterHeaders.attempts]: '3',
      [DeadLetterHeaders.sourceTopic]: 'users',
      [DeadLetterHeaders.sourcePartition]: '2',
      [DeadLetterHeaders.sourceOffset]: '41',
      [DeadLetterHeaders.failedAt]: '2024-01-02T03:04:05.000Z',
    });
  });

  test('cuts long error messages', () => {
    const headers = deadLetterHeaders({}, new Error('x'.repeat(5000)), 1, { topic: 't' });
    expect(headers[DeadLetterHeaders.error]).toHaveLength(1000);
    expect(headers[DeadLetterHeaders.sourcePartition]).toBeUndefined();
  });
});

describe('describeError', () => {
  test('names a deserialize error with its underlying type, never its bytes', () => {
    const error = new DeserializeJsonError({ errorMessage: 'Unexpected token', errorType: 'SyntaxError', messageData: new Uint8Array([1, 2, 3]) });
    expect(describeError(error)).toEqual({ type: 'DeserializeJsonError:SyntaxError', message: 'Unexpected token' });
  });

  test('describes non-errors too', () => {
    expect(describeError('a string')).toEqual({ type: 'string', message: 'a string' });
    expect(describeError(undefined)).toEqual({ type: 'undefined', message: 'undefined' });
  });
});
