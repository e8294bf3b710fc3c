import { codecV1 } from '@cqrs/example-protos';
import { describeDifferential } from './differential-harness';

describeDifferential('Legacy: proto2 defaults, required fields, closed enums', codecV1.LegacySchema, 2000, false);
describeDifferential('Legacy.Inner: proto2 defaults and a required field', codecV1.Legacy_InnerSchema, 1000, true);
describeDifferential('Features: editions presence, list encoding, closed enums, utf8_validation', codecV1.FeaturesSchema, 2000, true);
