import { codecV1 } from '@cqrs/example-protos';
import { describeDifferential } from './differential-harness';

describeDifferential('Maps: every key type, scalar, enum and message values', codecV1.MapsSchema, 2000, false);
