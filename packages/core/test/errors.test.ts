import {
  ConfigurationError,
  CqrsError,
  DuplicateHandlerError,
  EventCycleError,
  HandlerNotFoundError,
  MessageBrokerError,
  ValidationError,
  errorSummary,
  isCqrsError,
  isErrorLike,
} from '@cqrs/core';

describe('CqrsError', () => {
  test('carries code, name, retriable and cause', () => {
    const cause = new Error('socket closed');
    const error = new CqrsError('SOMETHING', 'it broke', { cause, retriable: true });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CqrsError');
    expect(error.code).toBe('SOMETHING');
    expect(error.retriable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(new CqrsError('X', 'y').retriable).toBe(false);
  });

  test.each([
    [new HandlerNotFoundError('CreateUser'), 'HandlerNotFoundError', 'HANDLER_NOT_FOUND', false],
    [new DuplicateHandlerError('CreateUser', 'A', 'B'), 'DuplicateHandlerError', 'DUPLICATE_HANDLER', false],
    [new ValidationError('bad'), 'ValidationError', 'VALIDATION_FAILED', false],
    [new MessageBrokerError('down'), 'MessageBrokerError', 'BROKER_ERROR', true],
    [new EventCycleError(3, 'Ping'), 'EventCycleError', 'EVENT_CYCLE', false],
    [new ConfigurationError('nope'), 'ConfigurationError', 'INVALID_CONFIGURATION', false],
  ])('%s has its name, code and retriable flag', (error, name, code, retriable) => {
    expect(error).toBeInstanceOf(CqrsError);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.retriable).toBe(retriable);
    expect(isCqrsError(error)).toBe(true);
  });
});

describe('isCqrsError', () => {
  test('recognises an error from another copy of the package by its shared symbol', () => {
    // What a CqrsError built by a second copy (ESM beside CJS) looks like: another class, same symbol.
    class OtherCopyError extends Error {
      readonly code = 'HANDLER_NOT_FOUND';
    }
    const foreign = new OtherCopyError('from the other copy');
    Object.defineProperty(foreign, Symbol.for('@cqrs/core/CqrsError'), { value: true });
    expect(foreign).not.toBeInstanceOf(CqrsError);
    expect(isCqrsError(foreign)).toBe(true);
  });

  test.each([new Error('plain'), { code: 'HANDLER_NOT_FOUND' }, null, undefined, 'CqrsError'])('is false for %p', (value) => {
    expect(isCqrsError(value)).toBe(false);
  });
});

describe('isErrorLike / errorSummary', () => {
  test('accept errors and error-shaped objects from any realm', () => {
    expect(isErrorLike(new TypeError('x'))).toBe(true);
    expect(isErrorLike({ name: 'RemoteError', message: 'm' })).toBe(true);
    expect(isErrorLike({ message: 'm' })).toBe(false);
    expect(errorSummary(new RangeError('too big'))).toBe('RangeError: too big');
    expect(errorSummary('a string')).toBe('a string');
  });
});
