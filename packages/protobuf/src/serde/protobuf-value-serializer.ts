import type { DescMessage, Message as ProtoMessage, MessageShape } from '@bufbuild/protobuf';
import { ConfigurationError, type EncodedValue, type Message, type MessageHeaders, type ValueSerializer } from '@cqrs/core';
import { messageCodec, type MessageCodec } from '../codec/message-codec';
import { ProtobufSerializeError } from '../errors/protobuf-errors';
import { isProtoEvent, protoSchemaOf } from '../proto-event';
import { createSchemaRegistry } from '../registry/create-schema-registry';
import type { SchemaRegistry } from '../registry/schema-registry';
import type { SchemaRegistryConfig } from '../registry/schema-registry-config';
import { subjectName, type SubjectNameStrategy } from '../registry/subject-name';
import type { SchemaFormat } from '../schema/registry-schema';
import { encodeFramePrefix } from '../wire/confluent-frame';
import { messageIndexesOf } from '../wire/message-indexes';
import { PROTOBUF_CONTENT_TYPE, ProtobufHeaders } from './protobuf-headers';
import { isSchemaRegistry } from './registry-option';
import { SchemaIds } from './schema-ids';

/** Options of `ProtobufValueSerializer`. */
export interface ProtobufValueSerializerOptions {
  /**
   * The registry: an instance (`createSchemaRegistry(...)`), its config, or `false` for plain
   * Protobuf bytes with no frame (RabbitMQ without a registry). Default: the config from the
   * environment (`KAFKA_SCHEMA_REGISTRY_URL`), read on first use.
   */
  readonly registry?: SchemaRegistry | SchemaRegistryConfig | false;
  /**
   * Register a schema the subject has no equivalent of [auto.register.schemas]; true by
   * default, false with `useLatestVersion`. Either way the subject is searched first, so an
   * equivalent version another service registered keeps its id. Off: a schema the registry
   * does not have fails the send with a `SchemaRegistryError`, for setups where CI registers.
   */
  readonly autoRegister?: boolean;
  /** Write the id of the subject's latest version, whatever it holds [use.latest.version]; needs `autoRegister` off. */
  readonly useLatestVersion?: boolean;
  /** Subject naming; `topic` (`<topic>-value`) by default. */
  readonly subjectNameStrategy?: SubjectNameStrategy;
  /** How schemas are sent to the registry; `text` by default. */
  readonly schemaFormat?: SchemaFormat;
  /** Ask the registry to normalize schemas it registers [normalize.schemas]; lookups always ask. */
  readonly normalize?: boolean;
  /** Schemas of payloads that are bare Protobuf messages (not events with `proto()`). */
  readonly schemas?: readonly DescMessage[];
  /** Compiled codec per message type (default); `false` uses protobuf-es's `toBinary`. */
  readonly codegen?: boolean;
}

/** The bytes before the body and the headers of one (message type, topic). */
interface Writer {
  readonly prefix: Uint8Array;
  readonly headers: MessageHeaders;
}

/** The last (message type, topic) encoded, with its codec: a run of one event type skips the lookups. */
interface LastWriter extends Writer {
  readonly desc: DescMessage;
  readonly topic: string;
  readonly codec: MessageCodec;
}

function headersOf(typeName: string): MessageHeaders {
  return Object.freeze({ [ProtobufHeaders.contentType]: PROTOBUF_CONTENT_TYPE, [ProtobufHeaders.messageType]: typeName });
}

/**
 * Serializes events with `proto()` as Protobuf in Confluent's wire format [ProtobufSerializer]:
 * magic byte, schema id, message indexes, Protobuf bytes, byte for byte what Confluent's serdes
 * write. The schema id is fetched (or registered) once per message type and topic; after that
 * `serialize` returns synchronously and costs one `toBinary` and one copy.
 *
 * ```ts
 * const broker = new InMemoryMessageBroker({ valueSerializer: new ProtobufValueSerializer({ registry: { url: 'mem://' } }) });
 * ```
 */
export class ProtobufValueSerializer implements ValueSerializer {
  readonly contentType = PROTOBUF_CONTENT_TYPE;
  readonly #options: ProtobufValueSerializerOptions;
  readonly #plain: boolean;
  readonly #strategy: SubjectNameStrategy;
  readonly #byTypeName = new Map<string, DescMessage>();
  readonly #writers = new Map<DescMessage, Map<string, Writer>>();
  readonly #pending = new Map<DescMessage, Map<string, Promise<Writer>>>();
  readonly #plainHeaders = new Map<DescMessage, MessageHeaders>();
  #registry: SchemaRegistry | undefined;
  #ids: SchemaIds | undefined;
  #last: LastWriter | undefined;

  constructor(options: ProtobufValueSerializerOptions = {}) {
    if (options.autoRegister === true && options.useLatestVersion === true) {
      throw new ConfigurationError('ProtobufValueSerializer: autoRegister and useLatestVersion cannot both be on; useLatestVersion writes the id of a version that is already registered');
    }
    this.#options = options;
    this.#plain = options.registry === false;
    this.#strategy = options.subjectNameStrategy ?? 'topic';
    for (const schema of options.schemas ?? []) this.#byTypeName.set(schema.typeName, schema);
  }

  /** The registry in use, created from the options on first call. */
  registry(): SchemaRegistry {
    if (this.#registry === undefined) {
      const option = this.#options.registry;
      if (option === false) throw new ProtobufSerializeError('this serializer writes plain Protobuf and has no schema registry');
      this.#registry = isSchemaRegistry(option) ? option : createSchemaRegistry(option);
    }
    return this.#registry;
  }

  serialize(message: Message): EncodedValue | Promise<EncodedValue> {
    const payload = message.payload;
    let desc: DescMessage | undefined;
    let proto: ProtoMessage;
    if (isProtoEvent(payload)) {
      proto = payload.proto();
      desc = protoSchemaOf(payload) ?? this.#byTypeName.get(proto.$typeName);
      if (desc === undefined) {
        const name = (payload.constructor as { name?: string } | undefined)?.name ?? 'event';
        throw new ProtobufSerializeError(`${name} has proto() but no schema: declare \`static readonly protoSchema = ${proto.$typeName.split('.').pop() ?? 'Message'}Schema\` on the class, or pass it in the serializer's \`schemas\` option`);
      }
    } else if (typeof payload === 'object' && payload !== null && typeof (payload as { $typeName?: unknown }).$typeName === 'string') {
      proto = payload as ProtoMessage;
      desc = this.#byTypeName.get(proto.$typeName);
      if (desc === undefined) throw new ProtobufSerializeError(`no schema for Protobuf message ${proto.$typeName}: pass it in the serializer's \`schemas\` option`);
    } else {
      throw new ProtobufSerializeError(`message ${message.messageName} on ${message.topic} is not a Protobuf event: its payload needs a proto() method`);
    }
    return this.encode(desc, proto, message.topic);
  }

  /**
   * Encodes one Protobuf message for `topic`: synchronously once the schema id is known, with a
   * promise on first use of a (message type, topic).
   */
  encode<Desc extends DescMessage>(desc: Desc, proto: MessageShape<Desc>, topic: string): EncodedValue | Promise<EncodedValue> {
    if (desc.typeName !== proto.$typeName) {
      throw new ProtobufSerializeError(`proto() returned a ${proto.$typeName}, but the schema is ${desc.typeName}`);
    }
    const last = this.#last;
    if (last !== undefined && last.desc === desc && last.topic === topic) return { value: last.codec.encodeWithPrefix(last.prefix, proto), headers: last.headers };
    const codec = messageCodec(desc, this.#options);
    if (this.#plain) return { value: codec.encode(proto), headers: this.#plainHeadersOf(desc) };
    const writer = this.#writers.get(desc)?.get(topic);
    if (writer !== undefined) {
      this.#last = { desc, topic, codec, prefix: writer.prefix, headers: writer.headers };
      return { value: codec.encodeWithPrefix(writer.prefix, proto), headers: writer.headers };
    }
    return this.#writerFor(desc, topic).then((ready) => ({ value: codec.encodeWithPrefix(ready.prefix, proto), headers: ready.headers }));
  }

  /** Fetches (or registers) the schema id of `desc` for `topic` ahead of the first message. */
  async prepare(desc: DescMessage, topic: string): Promise<number> {
    const writer = await this.#writerFor(desc, topic);
    return new DataView(writer.prefix.buffer, writer.prefix.byteOffset).getUint32(1, false);
  }

  #plainHeadersOf(desc: DescMessage): MessageHeaders {
    let headers = this.#plainHeaders.get(desc);
    if (headers === undefined) {
      headers = headersOf(desc.typeName);
      this.#plainHeaders.set(desc, headers);
    }
    return headers;
  }

  #writerFor(desc: DescMessage, topic: string): Promise<Writer> {
    let byTopic = this.#pending.get(desc);
    if (byTopic === undefined) {
      byTopic = new Map();
      this.#pending.set(desc, byTopic);
    }
    let pending = byTopic.get(topic);
    if (pending === undefined) {
      const cache = byTopic;
      pending = this.#resolveWriter(desc, topic);
      cache.set(topic, pending);
      pending.catch(() => cache.delete(topic));
    }
    return pending;
  }

  async #resolveWriter(desc: DescMessage, topic: string): Promise<Writer> {
    this.#ids ??= new SchemaIds(this.registry(), {
      autoRegister: this.#options.autoRegister ?? this.#options.useLatestVersion !== true,
      useLatestVersion: this.#options.useLatestVersion ?? false,
      format: this.#options.schemaFormat ?? 'text',
      normalize: this.#options.normalize ?? false,
    });
    const subject = subjectName(this.#strategy, topic, desc.typeName);
    const id = await this.#ids.idOf(subject, desc.file);
    const writer: Writer = { prefix: encodeFramePrefix(id, messageIndexesOf(desc)), headers: headersOf(desc.typeName) };
    let byTopic = this.#writers.get(desc);
    if (byTopic === undefined) {
      byTopic = new Map();
      this.#writers.set(desc, byTopic);
    }
    byTopic.set(topic, writer);
    return writer;
  }
}

/**
 * Plain Protobuf bytes with the message type in a header, no frame and no registry: for
 * transports such as RabbitMQ where consumers know the type from the queue or the header.
 */
export class PlainProtobufValueSerializer extends ProtobufValueSerializer {
  constructor(options: Pick<ProtobufValueSerializerOptions, 'schemas'> = {}) {
    super({ ...options, registry: false });
  }
}

/**
 * The default Protobuf serializer [protobuf_value_serializer]: topic-name subjects, auto
 * registration, and the registry at `KAFKA_SCHEMA_REGISTRY_URL` (default
 * `http://localhost:8085`), read when the first message is serialized.
 */
export const protobufValueSerializer: ProtobufValueSerializer = new ProtobufValueSerializer();
