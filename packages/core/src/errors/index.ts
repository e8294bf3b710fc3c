export { errorMessage, errorSummary, isErrorLike, type ErrorLike } from './error-like';
export { CqrsError, isCqrsError, type CqrsErrorOptions } from './cqrs-error';
export {
  ConfigurationError,
  ConsumerStateError,
  SubscriptionError,
  DuplicateHandlerError, EventCycleError, HandlerNotFoundError, MessageBrokerError,
  ValidationError,
  type ConfigurationErrorOptions,
} from './errors';
