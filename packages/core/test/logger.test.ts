import { consoleLogger, silentLogger } from '@cqrs/core';

describe('consoleLogger', () => {
  const methods = ['debug', 'info', 'warn', 'error'] as const;
  let spies: jest.SpyInstance[];
  beforeEach(() => {
    spies = methods.map((method) => jest.spyOn(console, method).mockImplementation(() => undefined));
  });
  afterEach(() => {
    for (const spy of spies) spy.mockRestore();
  });

  test('writes at its level and above, prefixed, with fields when given', () => {
    const logger = consoleLogger('info');
    logger.debug('hidden');
    logger.info('shown', { n: 1 });
    logger.error('broken');
    expect(spies[0]).not.toHaveBeenCalled();
    expect(spies[1]).toHaveBeenCalledWith('[cqrs] info shown', { n: 1 });
    expect(spies[3]).toHaveBeenCalledWith('[cqrs] error broken');
  });

  test('defaults to warnings and errors; silentLogger writes nothing', () => {
    consoleLogger().info('hidden');
    consoleLogger().warn('shown');
    silentLogger.error('hidden too');
    expect(spies[1]).not.toHaveBeenCalled();
    expect(spies[2]).toHaveBeenCalledWith('[cqrs] warn shown');
    expect(spies[3]).not.toHaveBeenCalled();
  });
});
