// Test schemas of the compiled codec in @cqrs/protobuf: every field kind, proto2 and editions.
export * from './gen/cqrs/codec/v1/scalars_pb.js';
export * from './gen/cqrs/codec/v1/legacy_pb.js';
export * from './gen/cqrs/codec/v1/features_pb.js';
