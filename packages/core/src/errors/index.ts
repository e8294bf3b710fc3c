export { CqrsError, isCqrsError, type CqrsErrorOptions } from './cqrs-error';
export { DuplicateHandlerError, EventCycleError, HandlerNotFoundError, MessageBrokerError, ValidationError } from './errors';
