import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import { errorMessage, isErrorLike, type Decoded, type DeserializeContext, type ValueDeserializer } from '@cqrs/core';
import { messageCodec, type MessageCodec } from '../codec/message-codec';
import { plainDecoder } from '../codec/plain-decoder';
import { ProtobufConfigError } from '../errors/protobuf-errors';
import type { ProtoEvent } from '../proto-event';
import { createSchemaRegistry } from '../registry/create-schema-registry';
import type { SchemaRegistry } from '../registry/schema-registry';
import type { SchemaRegistryConfig } from '../registry/schema-registry-config';
import { outlineOf, typeNameAt, type ProtoOutline } from '../schema/proto-outline';
import { isFrameProblem, readFrameHeader, type FrameHeader } from '../wire/confluent-frame';
import { DeserializeProtobufError } from './deserialize-protobuf-error';
import { PROTOBUF_CONTENT_TYPE, ProtobufHeaders } from './protobuf-headers';
import { isSchemaRegistry } from './registry-option';
import { resolvePlainMapping, type PlainMappingOptions } from './plain-mapping-options';
import { plainObjectConverter } from './to-plain-object';
import { typeMatches, type TypeMatch } from './type-match';

/** What a mapper knows besides the message. */
export interface ProtobufMapperContext {
  readonly topic: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** The writer's schema id; absent for plain Protobuf. */
  readonly schemaId?: number;
  /** The writer's message type name, e.g. `cqrs.example.v2.UserCreated`. */
  readonly writerTypeName: string;
}

/**
 * Turns a decoded message into the data `model.parse` validates. The message is the raw one:
 * fields of a newer writer schema are in `$unknown` and survive `toBinary`.
 */
export type ProtobufMapper<Desc extends DescMessage> = (message: MessageShape<Desc>, context: ProtobufMapperContext) => unknown;

/**
 * An event class a Protobuf deserializer builds: `NotificationEvent` subclasses fit. The
 * constructor fixes the event type; `parse` (called on the class) validates and builds it.
 */
export interface ProtoEventModel<E> {
  new (...args: never[]): E;
  parse(data: unknown, options?: { topic?: string }): unknown;
  readonly name: string;
}

/** Options of `ProtobufValueDeserializer`. */
export interface ProtobufValueDeserializerOptions<Desc extends DescMessage, E extends ProtoEvent<Desc>> {
  /** The event class; its `proto()` must return a `protobufModel` message. */
  readonly model: ProtoEventModel<E> & { readonly protoSchema?: Desc };
  /** The generated schema of the messages on the topic, e.g. `UserCreatedSchema`. @default model.protoSchema */
  readonly protobufModel?: Desc;
  /**
   * The registry that resolves schema ids: an instance, its config, or `false` for plain
   * Protobuf bytes with no frame. Default: the config from the environment, on first use.
   */
  readonly registry?: SchemaRegistry | SchemaRegistryConfig | false;
  /** Message to event data; by default `toPlainObject` with `mapping` (camelCase names: `eventId`, `payload.userId`). */
  readonly mapper?: ProtobufMapper<Desc>;
  /** Options of the default mapping (enums, int64, oneofs, timestamps); see `PlainMappingOptions`. */
  readonly mapping?: PlainMappingOptions;
  /** Writer types to accept; `exact` by default. */
  readonly typeMatch?: TypeMatch;
  /** Compiled codec for `protobufModel` (default); `false` uses protobuf-es's `fromBinary`. */
  readonly codegen?: boolean;
}

/** A decoded Protobuf message, a typed error, or `null` for an empty value. */
export type DecodedMessage<Desc extends DescMessage> = MessageShape<Desc> | DeserializeProtobufError | null;

/**
 * How a read ends: what decodes the body (a message, or plain data straight from the bytes) and
 * what is made of it; the writer's schema id is absent for plain Protobuf.
 */
interface Reading<T, R> {
  readonly decode: (data: Uint8Array, offset: number) => T;
  readonly finish: (decoded: T, data: Uint8Array, context: DeserializeContext, writerTypeName: string, schemaId: number | undefined) => R;
}

/** What a read's `finish` turns the decoded body into before `parse`: a stable function, so no closure per message. */
type ToData<T> = (decoded: T, context: DeserializeContext, writerTypeName: string, schemaId: number | undefined) => unknown;

const asIs = <T>(value: T): T => value;

/** A `Reading` whose decoded type is known only to its two functions, which agree on it. */
function readingOf<T, R>(decode: Reading<T, R>['decode'], finish: Reading<T, R>['finish']): Reading<unknown, R> {
  return { decode, finish: finish as unknown as Reading<unknown, R>['finish'] };
}

/** What a mapper is told: built only when there is a mapper to tell. */
function mapperContextOf(context: DeserializeContext, writerTypeName: string, schemaId: number | undefined): ProtobufMapperContext {
  if (schemaId === undefined) return { topic: context.topic, ...(context.headers === undefined ? {} : { headers: context.headers }), writerTypeName };
  return { topic: context.topic, headers: context.headers, schemaId, writerTypeName };
}

/** What is known about a writer schema id: its message tree and verdicts per message path. */
interface WriterSchema {
  readonly schemaId: number;
  readonly outline: ProtoOutline;
  readonly verdicts: Map<string, Verdict>;
}

type Verdict = { readonly typeName: string; readonly problem?: undefined } | { readonly typeName?: string; readonly problem: string; readonly errorType: string };

function errorName(error: unknown): string {
  if (!isErrorLike(error)) return typeof error;
  return error.name === 'Error' ? 'ProtobufDecodeError' : error.name;
}

const errorText = errorMessage;

const NOT_FOUND_CODES = new Set([40401, 40403]);

/**
 * Reads Protobuf values into validated events [ProtobufValueDeserializer]: Confluent-framed
 * bytes checked against the registry (each schema id is looked up once per process, then
 * decoding is synchronous), or plain Protobuf with `registry: false`. Returns the event, a
 * `DeserializeProtobufError` with the original bytes, or `null` for an empty message; never
 * throws.
 *
 * ```ts
 * const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent }); // protobufModel: UserCreatedEvent.protoSchema
 * const body = await deserializer.deserialize(bytes, { topic: 'user_events_proto' });
 * ```
 */
export class ProtobufValueDeserializer<Desc extends DescMessage, E extends ProtoEvent<Desc>> implements ValueDeserializer<E> {
  readonly #model: ProtoEventModel<E>;
  readonly #desc: Desc;
  readonly #codec: MessageCodec<Desc>;
  readonly #option: ProtobufValueDeserializerOptions<Desc, E>['registry'];
  readonly #typeMatch: TypeMatch;
  readonly #toMessage: Reading<MessageShape<Desc>, MessageShape<Desc>>;
  readonly #toEvent: Reading<unknown, Decoded<E>>;
  readonly #writers = new Map<number, WriterSchema>();
  readonly #loading = new Map<number, Promise<WriterSchema>>();
  #registry: SchemaRegistry | undefined;

  constructor(options: ProtobufValueDeserializerOptions<Desc, E>) {
    this.#model = options.model;
    const desc = options.protobufModel ?? options.model.protoSchema;
    if (desc === undefined) throw new ProtobufConfigError(`${options.model.name} has no static protoSchema: pass protobufModel`);
    this.#desc = desc;
    this.#codec = messageCodec(desc, options);
    this.#option = options.registry;
    this.#typeMatch = options.typeMatch ?? 'exact';
    const decodeMessage = (data: Uint8Array, offset: number): MessageShape<Desc> => this.#codec.decode(data, offset);
    this.#toMessage = { decode: decodeMessage, finish: (message) => message };
    this.#toEvent = this.#eventReading(options, decodeMessage);
  }

  /**
   * Bytes to event: through the mapper when there is one; else straight from the bytes to the
   * plain data (no message object) where the type and the mapping allow it (`plainDecoder`),
   * else the message and then `toPlainObject`. The model's `parse` validates either.
   */
  #eventReading(options: ProtobufValueDeserializerOptions<Desc, E>, decodeMessage: (data: Uint8Array, offset: number) => MessageShape<Desc>): Reading<unknown, Decoded<E>> {
    const mapper = options.mapper;
    if (mapper !== undefined) {
      const mapped: ToData<MessageShape<Desc>> = (message, context, writerTypeName, schemaId) => mapper(message, mapperContextOf(context, writerTypeName, schemaId));
      return readingOf(decodeMessage, (message: MessageShape<Desc>, data, context, writerTypeName, schemaId) => this.#parse(mapped, message, data, context, writerTypeName, schemaId));
    }
    const mapping = resolvePlainMapping(options.mapping).options;
    // Plain-decodable types have no oneofs and no well-known types: only these two options could tell the forms apart.
    const direct = mapping.enums === 'number' && mapping.int64 === 'bigint' ? plainDecoder(this.#desc, options) : undefined;
    if (direct !== undefined) return readingOf(direct, (plain: Record<string, unknown>, data, context, writerTypeName, schemaId) => this.#parse(asIs, plain, data, context, writerTypeName, schemaId));
    const toPlain = plainObjectConverter(this.#desc, options.mapping);
    return readingOf(decodeMessage, (message: MessageShape<Desc>, data, context, writerTypeName, schemaId) => this.#parse(toPlain, message, data, context, writerTypeName, schemaId));
  }

  /** The model's event from `toData(decoded)`, or the typed error of a mapping or validation failure. */
  #parse<T>(toData: ToData<T>, decoded: T, data: Uint8Array, context: DeserializeContext, writerTypeName: string, schemaId: number | undefined): Decoded<E> {
    try {
      // `parse` builds an instance of the class it is called on: the model, so an E.
      return this.#model.parse(toData(decoded, context, writerTypeName, schemaId), { topic: context.topic }) as E;
    } catch (error) {
      return this.#fail(data, errorText(error), errorName(error), error);
    }
  }

  /** The registry in use, created from the options on first call; `undefined` for plain Protobuf. */
  registry(): SchemaRegistry | undefined {
    if (this.#option === false) return undefined;
    this.#registry ??= isSchemaRegistry(this.#option) ? this.#option : createSchemaRegistry(this.#option);
    return this.#registry;
  }

  deserialize(data: Uint8Array | null | undefined, context: DeserializeContext): Decoded<E> | Promise<Decoded<E>> {
    return this.#read(data, context, this.#toEvent);
  }

  /**
   * Like `deserialize`, but stops at the Protobuf message: the frame, schema id and message type
   * are checked, the message is not mapped or validated. Synchronous once the schema id is known.
   */
  decode(data: Uint8Array | null | undefined, context: DeserializeContext): DecodedMessage<Desc> | Promise<DecodedMessage<Desc>> {
    return this.#read(data, context, this.#toMessage);
  }

  #read<T, R>(data: Uint8Array | null | undefined, context: DeserializeContext, finish: Reading<T, R>): R | DeserializeProtobufError | null | Promise<R | DeserializeProtobufError | null> {
    if (data === null || data === undefined || data.byteLength === 0) return null;
    if (this.#option === false) return this.#decodePlain(data, context, finish);
    const header = readFrameHeader(data);
    if (isFrameProblem(header)) return this.#fail(data, header.problem, 'InvalidFrame');
    const writer = this.#writers.get(header.schemaId);
    if (writer !== undefined) return this.#decodeFramed(data, header, writer, context, finish);
    return this.#loadWriter(header.schemaId).then(
      (loaded) => this.#decodeFramed(data, header, loaded, context, finish),
      (error: unknown) => this.#fail(data, errorText(error), errorName(error), error),
    );
  }

  #decodePlain<T, R>(data: Uint8Array, context: DeserializeContext, finish: Reading<T, R>): R | DeserializeProtobufError {
    const contentType = context.headers?.[ProtobufHeaders.contentType];
    if (contentType !== undefined && contentType !== PROTOBUF_CONTENT_TYPE && !contentType.includes('protobuf')) {
      return this.#fail(data, `content-type is ${contentType}, expected ${PROTOBUF_CONTENT_TYPE}`, 'WrongContentType');
    }
    const writerTypeName = context.headers?.[ProtobufHeaders.messageType] ?? this.#desc.typeName;
    if (!typeMatches(this.#typeMatch, writerTypeName, this.#desc.typeName, this.#desc.file.proto.package)) {
      return this.#fail(data, `message type ${writerTypeName} (from the ${ProtobufHeaders.messageType} header) is not ${this.#desc.typeName}`, 'WrongMessageType');
    }
    return this.#decodeBody(data, 0, context, writerTypeName, undefined, finish);
  }

  #decodeFramed<T, R>(data: Uint8Array, header: FrameHeader, writer: WriterSchema, context: DeserializeContext, finish: Reading<T, R>): R | DeserializeProtobufError {
    const verdict = this.#verdict(writer, header.messageIndexes);
    if (verdict.problem !== undefined) return this.#fail(data, verdict.problem, verdict.errorType);
    return this.#decodeBody(data, header.bodyOffset, context, verdict.typeName, header.schemaId, finish);
  }

  /** Decodes the Protobuf bytes from `bodyOffset` on, in place: no view of them per message. */
  #decodeBody<T, R>(data: Uint8Array, bodyOffset: number, context: DeserializeContext, writerTypeName: string, schemaId: number | undefined, reading: Reading<T, R>): R | DeserializeProtobufError {
    let decoded: T;
    try {
      decoded = reading.decode(data, bodyOffset);
    } catch (error) {
      return this.#fail(data, `not a valid ${this.#desc.typeName}: ${errorText(error)}`, 'ProtobufDecodeError', error);
    }
    return reading.finish(decoded, data, context, writerTypeName, schemaId);
  }

  #verdict(writer: WriterSchema, indexes: readonly number[]): Verdict {
    // [0], the first message of the file, is by far the most common path: no join for it.
    const key = indexes.length === 1 && indexes[0] === 0 ? '0' : indexes.join('.');
    let verdict = writer.verdicts.get(key);
    if (verdict === undefined) {
      const typeName = typeNameAt(writer.outline, indexes);
      if (typeName === undefined) {
        verdict = { problem: `message indexes [${indexes.join(', ')}] name no message of schema id ${writer.schemaId}`, errorType: 'InvalidFrame' };
      } else if (!typeMatches(this.#typeMatch, typeName, this.#desc.typeName, this.#desc.file.proto.package)) {
        verdict = { typeName, problem: `schema id ${writer.schemaId} message [${indexes.join(', ')}] is ${typeName}, not ${this.#desc.typeName}`, errorType: 'WrongMessageType' };
      } else {
        verdict = { typeName };
      }
      writer.verdicts.set(key, verdict);
    }
    return verdict;
  }

  #loadWriter(schemaId: number): Promise<WriterSchema> {
    let loading = this.#loading.get(schemaId);
    if (loading === undefined) {
      loading = this.#fetchWriter(schemaId);
      this.#loading.set(schemaId, loading);
      loading.then(
        (writer) => this.#writers.set(schemaId, writer),
        () => this.#loading.delete(schemaId),
      );
    }
    return loading;
  }

  async #fetchWriter(schemaId: number): Promise<WriterSchema> {
    const registry = this.registry()!;
    let found;
    try {
      found = await registry.getById(schemaId);
    } catch (error) {
      const code = (error as { registryCode?: number; status?: number }).registryCode;
      const status = (error as { status?: number }).status;
      if ((code !== undefined && NOT_FOUND_CODES.has(code)) || status === 404) {
        throw Object.assign(new Error(`unknown schema id ${schemaId}: ${registry.description} has no such schema`, { cause: error }), { name: 'UnknownSchemaId' });
      }
      throw error;
    }
    if (found.schemaType !== 'PROTOBUF') {
      throw Object.assign(new Error(`schema id ${schemaId} is a ${found.schemaType} schema, not Protobuf`), { name: 'WrongSchemaType' });
    }
    const outline = outlineOf(found.schema);
    if (outline === undefined) throw Object.assign(new Error(`schema id ${schemaId} could not be read as a Protobuf schema`), { name: 'WrongSchemaType' });
    return { schemaId, outline, verdicts: new Map() };
  }

  #fail(data: Uint8Array, errorMessage: string, errorType: string, cause?: unknown): DeserializeProtobufError {
    return new DeserializeProtobufError({ errorMessage, errorType, messageData: data, ...(cause === undefined ? {} : { cause }) });
  }
}
