// Generated schemas of the examples, tests and benchmarks. Version 1 of the example events is
// exported as it is; version 2 (a new field) lives under `v2`, since both define `UserCreated`.
export * from './gen/cqrs/example/v1/user_created_pb.js';
export * from './gen/cqrs/example/v1/user_created_with_address_pb.js';
export * from './gen/cqrs/example/v1/user_updated_pb.js';
export * from './gen/cqrs/bench/v1/order_placed_pb.js';
export * as v2 from './gen/cqrs/example/v2/user_created_pb.js';
export * from './gen/cqrs/interop/v1/order_events_pb.js';
export * as codecV1 from './codec-v1.js';
