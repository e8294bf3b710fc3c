import { CqrsError } from '@cqrs/core';
import { KafkaAuthenticationError, KafkaConnectionError, KafkaPublishError } from '@cqrs/kafka';
import { classifyKafkaError } from '@cqrs/kafka/transport';

const PASSWORD = 'hunter2-very-secret';
const context = { action: 'Connecting', brokers: ['k:9094'], secrets: [PASSWORD] };

function kafkaJsError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe('classifyKafkaError', () => {
  test('refused SASL credentials become KafkaAuthenticationError without the password', () => {
    const sasl = kafkaJsError('KafkaJSSASLAuthenticationError', `SASL SCRAM SHA256 authentication failed: wrong ${PASSWORD}`);
    const error = classifyKafkaError(kafkaJsError('KafkaJSNonRetriableError', sasl.message, { cause: sasl }), context);
    expect(error).toBeInstanceOf(KafkaAuthenticationError);
    expect((error as KafkaAuthenticationError).code).toBe('KAFKA_AUTHENTICATION');
    expect((error as KafkaAuthenticationError).retriable).toBe(false);
    expect(error.message).toContain('k:9094 refused the SASL credentials');
    expect(JSON.stringify({ message: error.message, stack: error.stack, cause: String(error.cause), causeStack: (error.cause as Error).stack })).not.toContain(PASSWORD);
  });

  test('a TLS verification failure is an authentication error too', () => {
    const tls = kafkaJsError('KafkaJSConnectionError', 'Connection error: self-signed certificate in certificate chain', { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    const error = classifyKafkaError(tls, context);
    expect(error).toBeInstanceOf(KafkaAuthenticationError);
    expect(error.message).toContain('TLS handshake with k:9094 failed');
  });

  test('unreachable brokers become a retriable KafkaConnectionError that counts the attempts', () => {
    const refused = kafkaJsError('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' });
    const error = classifyKafkaError(kafkaJsError('KafkaJSNumberOfRetriesExceeded', refused.message, { retryCount: 2, cause: refused }), { ...context, brokers: ['127.0.0.1:1'] });
    expect(error).toBeInstanceOf(KafkaConnectionError);
    expect((error as KafkaConnectionError).retriable).toBe(true);
    expect(error.message).toBe('Connecting: could not reach Kafka at 127.0.0.1:1 after 3 attempt(s): Connection error: connect ECONNREFUSED 127.0.0.1:1');
  });

  test('anything else becomes the fallback, and CqrsErrors pass through', () => {
    expect(classifyKafkaError(kafkaJsError('KafkaJSProtocolError', 'Topic authorization failed'), context)).toBeInstanceOf(KafkaPublishError);
    const own = new CqrsError('X', 'mine');
    expect(classifyKafkaError(own, context)).toBe(own);
  });
});
