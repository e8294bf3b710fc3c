import { codecV1 } from '@cqrs/example-protos';
import { describeDifferential } from './differential-harness';

describeDifferential('Tree: nested and recursive messages, oneofs of every kind', codecV1.TreeSchema, 1500, false);
