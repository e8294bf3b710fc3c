import { OrderPlacedSchema, UserCreatedSchema } from '@cqrs/example-protos';
import { describeDifferential } from './differential-harness';

describeDifferential('OrderPlaced', OrderPlacedSchema, 1000, true);
describeDifferential('UserCreated', UserCreatedSchema, 1000, true);
