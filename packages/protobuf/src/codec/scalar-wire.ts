import { ScalarType } from '@bufbuild/protobuf';

/** Wire type of a scalar on the wire (enums are varints). */
export function wireTypeOf(scalar: ScalarType): number {
  switch (scalar) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return 2;
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return 1;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return 5;
    default:
      return 0;
  }
}

/** Name of the `WireReader` and `WireWriter` method for a scalar. */
export function scalarMethod(scalar: ScalarType): string {
  switch (scalar) {
    case ScalarType.DOUBLE:
      return 'double';
    case ScalarType.FLOAT:
      return 'float';
    case ScalarType.INT64:
      return 'int64';
    case ScalarType.UINT64:
      return 'uint64';
    case ScalarType.INT32:
      return 'int32';
    case ScalarType.FIXED64:
      return 'fixed64';
    case ScalarType.FIXED32:
      return 'fixed32';
    case ScalarType.BOOL:
      return 'bool';
    case ScalarType.STRING:
      return 'string';
    case ScalarType.BYTES:
      return 'bytes';
    case ScalarType.UINT32:
      return 'uint32';
    case ScalarType.SFIXED32:
      return 'sfixed32';
    case ScalarType.SFIXED64:
      return 'sfixed64';
    case ScalarType.SINT32:
      return 'sint32';
    case ScalarType.SINT64:
      return 'sint64';
  }
}

/** True for the 64-bit integer types, which protobuf-es holds as bigint (or string with `jstype`). */
export function isLong(scalar: ScalarType): boolean {
  return scalar === ScalarType.INT64 || scalar === ScalarType.UINT64 || scalar === ScalarType.FIXED64 || scalar === ScalarType.SFIXED64 || scalar === ScalarType.SINT64;
}

/** The tag of a field number and wire type as the varint's value. */
export function tagOf(no: number, wireType: number): number {
  return ((no << 3) | wireType) >>> 0;
}
