import type { LogFields, Logger } from '@cqrs/core';
import { kafkaLogCreator, toKafkaConfig } from '@cqrs/kafka/transport';
import { logLevel } from 'kafkajs';

const PASSWORD = 'hunter2-very-secret';

function capture(): { logger: Logger; lines: { level: string; message: string; fields?: LogFields }[] } {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => lines.push({ level, message, ...(fields === undefined ? {} : { fields }) });
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

describe('kafkaLogCreator', () => {
  test('maps levels and forwards namespace, message and fields', () => {
    const { logger, lines } = capture();
    const log = kafkaLogCreator(logger, [])(logLevel.INFO);
    log({ namespace: 'Connection', level: logLevel.ERROR, label: 'ERROR', log: { timestamp: 't', message: 'Connection error: ECONNREFUSED', broker: 'k:1' } });
    log({ namespace: 'Runner', level: logLevel.WARN, label: 'WARN', log: { timestamp: 't', message: 'rebalancing' } });
    log({ namespace: '', level: logLevel.DEBUG, label: 'DEBUG', log: { timestamp: 't', message: 'noise' } });
    expect(lines).toEqual([
      { level: 'error', message: 'kafkajs [Connection] Connection error: ECONNREFUSED', fields: { broker: 'k:1' } },
      { level: 'warn', message: 'kafkajs [Runner] rebalancing' },
      { level: 'debug', message: 'kafkajs noise' },
    ]);
  });

  test('error responses kafkajs retries by itself are debug lines', () => {
    const { logger, lines } = capture();
    kafkaLogCreator(logger, [])(logLevel.DEBUG)({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 't', message: 'Response Metadata(key: 3, version: 6)', error: 'This server does not host this topic-partition' },
    });
    expect(lines.map((line) => line.level)).toEqual(['debug']);
  });

  test('a password never reaches the log, in the message, a secret-looking field or free text', () => {
    const { logger, lines } = capture();
    const log = kafkaLogCreator(logger, [PASSWORD])(logLevel.DEBUG);
    log({
      namespace: 'SASL',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: {
        timestamp: 't',
        message: `auth failed for cqrs:${PASSWORD}`,
        sasl: { mechanism: 'scram-sha-256', username: 'cqrs', password: PASSWORD },
        error: `server said ${PASSWORD} is wrong`,
        url: `kafka://cqrs:${PASSWORD}@k:1`,
        nested: [{ detail: PASSWORD }],
      },
    });
    const printed = JSON.stringify(lines);
    expect(printed).not.toContain(PASSWORD);
    expect(printed).toContain('auth failed for cqrs:***');
    expect(lines[0]?.fields).toMatchObject({ sasl: { username: 'cqrs' } });
  });

  test('toKafkaConfig wires the redacting log creator with the configured password', () => {
    const { logger, lines } = capture();
    const config = toKafkaConfig({ bootstrapServers: 'k:1', securityProtocol: 'SASL_SSL', saslMechanism: 'PLAIN', saslUsername: 'u', saslPassword: PASSWORD, logger });
    config.logCreator?.(logLevel.WARN)({ namespace: 'X', level: logLevel.WARN, label: 'WARN', log: { timestamp: 't', message: `bad ${PASSWORD}` } });
    expect(lines).toEqual([{ level: 'warn', message: 'kafkajs [X] bad ***' }]);
  });
});
