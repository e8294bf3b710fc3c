export { ProtobufWireError, type ProtobufWireErrorOptions, type WireProblem } from './codec-error';
export { isCodegenAvailable } from './compile-functions';
export { messageCodec, type MessageCodec, type MessageCodecOptions } from './message-codec';
