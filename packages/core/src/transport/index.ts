// Building blocks for transport authors [connect-es ./protocol]: what a consumer or broker of a
// new transport is made of. Applications import '@cqrs/core' instead.
export { factoryOf } from '../container/container';
export { outgoingHeaders } from '../brokers/outgoing-headers';
export { ConsumerLifecycle, type ConsumerLifecycleOptions, type LifecycleHooks } from '../consumer/consumer-lifecycle';
export { onShutdownSignals, SHUTDOWN_SIGNALS, type ShutdownSignalOptions } from '../consumer/shutdown-signals';
export { isPromise } from './is-promise';
export { processDelivery, type DeliveryOutcome, type ReceivedMessage } from '../consumer/process-delivery';
export { runDelivery, whereFrom, type DeliveryHooks, type DeliveryPolicy, type DeliveryResult } from '../consumer/run-delivery';
export { nextStep } from '../consumer/retry-policy';
export { deadLetterHeaders, describeError, type DeadLetterSource } from '../consumer/dead-letter';
export { intercept, wrapHandler } from '../consumer/handler-interceptor';
export { interruptibleSleep } from '../consumer/interruptible-sleep';
