/** MIME type of Protobuf values. */
export const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';

/** Headers the Protobuf serializers write, so consumers can route and check without decoding. */
export const ProtobufHeaders = {
  contentType: 'content-type',
  /** Fully qualified message type name, e.g. `cqrs.example.v1.UserCreated`. */
  messageType: 'x-protobuf-message-type',
} as const;
