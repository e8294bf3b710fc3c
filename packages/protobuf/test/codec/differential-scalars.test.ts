import { codecV1 } from '@cqrs/example-protos';
import { describeDifferential } from './differential-harness';

describeDifferential('Scalars: every scalar, optional, packed and unpacked lists, jstype', codecV1.ScalarsSchema, 3000, true);
