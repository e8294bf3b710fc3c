export { errorSummary, isErrorLike, type ErrorLike } from './error-like';
export { CqrsError, isCqrsError, type CqrsErrorOptions } from './cqrs-error';
export { ConfigurationError, DuplicateHandlerError, EventCycleError, HandlerNotFoundError, MessageBrokerError, ValidationError } from './errors';
