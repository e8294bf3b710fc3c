export type { Outbox } from './outbox';
export { OutboxMessageBroker } from './outbox-message-broker';
export { EncodedPayload, encodedValueSerializer, isEncodedPayload } from './encoded-payload';
