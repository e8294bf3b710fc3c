import { Request, bootstrap, loggingMiddleware, type RequestHandler } from '@cqrs/core';
import { CapturingLogger } from './support/capturing-logger';

class Charge extends Request<number> {
  constructor(readonly cents: number) {
    super();
  }
}
class ChargeHandler implements RequestHandler<Charge> {
  handle(request: Charge): number {
    if (request.cents < 0) throw new RangeError('negative amount');
    return request.cents;
  }
}

describe('loggingMiddleware', () => {
  test('logs start and finish at debug by default, with a duration', async () => {
    const logger = new CapturingLogger();
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(Charge, ChargeHandler), middlewares: [loggingMiddleware({ logger })], logger });
    expect(await mediator.send(new Charge(100))).toBe(100);
    expect(logger.lines.map((l) => [l.level, l.message])).toEqual([
      ['debug', 'handling Charge'],
      ['debug', 'handled Charge'],
    ]);
    expect(typeof logger.lines[1]?.fields?.durationMs).toBe('number');
  });

  test('logs at info when asked', async () => {
    const logger = new CapturingLogger();
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(Charge, ChargeHandler), middlewares: [loggingMiddleware({ logger, level: 'info' })], logger });
    await mediator.send(new Charge(1));
    expect(logger.lines.map((l) => l.level)).toEqual(['info', 'info']);
  });

  test('logs a failure at error with the error type and rethrows it', async () => {
    const logger = new CapturingLogger();
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(Charge, ChargeHandler), middlewares: [loggingMiddleware({ logger })], logger });
    await expect(mediator.send(new Charge(-1))).rejects.toThrow(RangeError);
    const errors = logger.at('error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ message: 'failed Charge', fields: { error: 'RangeError: negative amount' } });
    expect(typeof errors[0]?.fields?.durationMs).toBe('number');
  });

  test('redacts URL passwords in error messages', async () => {
    const logger = new CapturingLogger();
    class LeakyHandler implements RequestHandler<Charge> {
      handle(): number {
        throw new Error('cannot reach amqp://app:hunter2@mq:5672/');
      }
    }
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(Charge, LeakyHandler), middlewares: [loggingMiddleware({ logger })], logger });
    await expect(mediator.send(new Charge(1))).rejects.toThrow('hunter2');
    expect(JSON.stringify(logger.lines)).not.toContain('hunter2');
    expect(logger.at('error')[0]?.fields?.error).toBe('Error: cannot reach amqp://app:***@mq:5672/');
  });
});
