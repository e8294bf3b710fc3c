// Protobuf serde cost: JSON, plain toBinary/fromBinary, @cqrs/protobuf's Confluent-framed serde,
// and @confluentinc/schemaregistry's ProtobufSerializer/Deserializer, for a small and a larger
// event, with ratios to plain Protobuf measured in the same run. Registries are in memory
// (no server); after warm-up every schema id is cached, so this is the per-message cost.
//
//   pnpm turbo run build --filter=@cqrs/bench...
//   node bench/dist/serde.js
//
// Steps: "encode message" frames a prebuilt Protobuf message; "encode event" includes proto();
// "decode to message" checks the frame and schema and parses; "decode to event" also maps the
// message to plain data and validates it with the event's zod schema (NotificationEvent.parse).
//
// Environment: BENCH_ROUNDS (default 11), BENCH_SCALE (multiplies iterations; default 1).
import { fromBinary, toBinary, type DescMessage, type MessageShape, createMutableRegistry } from '@bufbuild/protobuf';
import { MockClient, ProtobufDeserializer, ProtobufSerializer, SerdeType } from '@confluentinc/schemaregistry';
import { JsonValueDeserializer, JsonValueSerializer, messageFromEvent, type Message } from '@cqrs/core';
import { InMemorySchemaRegistry, messageCodec, ProtobufValueDeserializer, ProtobufValueSerializer, toPlainObject, type ProtoEvent, type SchemaRegistry } from '@cqrs/protobuf';
import { ConfluentSchemaRegistry } from '@cqrs/protobuf/confluent';
import { compare, formatNs, machineLine, printTable, type BenchCase, type Cell, type Measurement } from './lib';
import { OrderPlacedEvent, UserCreatedEvent, sampleOrderPlaced, sampleUserCreated } from './serde-events';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);

type BenchEvent = UserCreatedEvent | OrderPlacedEvent;

/** What differs per event type: built where the types are concrete. */
interface Kit {
  readonly label: string;
  readonly event: BenchEvent;
  readonly desc: DescMessage;
  readonly iterations: number;
  readonly jsonReader: (registry: SchemaRegistry) => { deserialize(data: Uint8Array, context: { topic: string }): unknown };
  readonly oursReader: (registry: SchemaRegistry) => Pick<ProtobufValueDeserializer<DescMessage, ProtoEvent>, 'decode' | 'deserialize'>;
  readonly parse: (data: unknown, context: { topic: string }) => unknown;
}

const kits: Kit[] = [
  {
    label: 'UserCreated',
    event: sampleUserCreated('user_events_proto'),
    desc: UserCreatedEvent.protoSchema,
    iterations: 20_000,
    jsonReader: () => new JsonValueDeserializer({ model: UserCreatedEvent }),
    oursReader: (registry) => new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedEvent.protoSchema, registry }),
    parse: (data, context) => UserCreatedEvent.parse(data, context),
  },
  {
    label: 'OrderPlaced (10 items)',
    event: sampleOrderPlaced('orders_proto', 10),
    desc: OrderPlacedEvent.protoSchema,
    iterations: 2_000,
    jsonReader: () => new JsonValueDeserializer({ model: OrderPlacedEvent }),
    oursReader: (registry) => new ProtobufValueDeserializer({ model: OrderPlacedEvent, protobufModel: OrderPlacedEvent.protoSchema, registry }),
    parse: (data, context) => OrderPlacedEvent.parse(data, context),
  },
];

/** Copies of @bufbuild/protobuf in the module cache: more than one slows decoding. */
function protobufCopies(): number {
  return new Set(Object.keys(require.cache).filter((file) => /[/\\]@bufbuild[/\\]protobuf[/\\]dist[/\\]cjs[/\\]index\.js$/.test(file))).size;
}

async function benchEvent(kit: Kit): Promise<Record<string, Cell>[]> {
  const { label, event, desc } = kit;
  const iterations = Math.round(kit.iterations * SCALE);
  const topic = event.topic;
  const message: Message = messageFromEvent(event);
  // One MockClient for both serdes, so both write the same schema id.
  const client = new MockClient({ baseURLs: ['mem://'] });
  const registry = new ConfluentSchemaRegistry(() => client, 'mem://');

  const json = new JsonValueSerializer();
  const jsonReader = kit.jsonReader(registry);
  const ours = new ProtobufValueSerializer({ registry, schemaFormat: 'serialized' });
  const oursReader = kit.oursReader(registry);
  const confluent = new ProtobufSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true, registry: createMutableRegistry(desc) });
  const confluentReader = new ProtobufDeserializer(client, SerdeType.VALUE, {});

  const jsonBytes = json.serialize(message).value;
  const proto = event.proto() as MessageShape<DescMessage>;
  const plainBytes = toBinary(desc, proto);
  const framed = (await ours.serialize(message)).value;
  const confluentBytes = await confluent.serialize(topic, proto);
  if (Buffer.compare(Buffer.from(framed), confluentBytes) !== 0) throw new Error(`${label}: our bytes differ from Confluent's`);
  await oursReader.deserialize(framed, { topic }); // caches the schema id
  const context = { topic };

  const encodeMessage: BenchCase[] = [
    { name: 'protobuf toBinary', fn: () => toBinary(desc, proto) },
    { name: '@cqrs/protobuf encode', fn: () => ours.encode(desc, proto, topic) },
    { name: 'confluent serialize', fn: () => confluent.serialize(topic, proto) },
  ];
  const encodeEvent: BenchCase[] = [
    { name: 'protobuf toBinary(proto())', fn: () => toBinary(desc, event.proto() as MessageShape<DescMessage>) },
    { name: 'json serialize', fn: () => json.serialize(message) },
    { name: '@cqrs/protobuf serialize', fn: () => ours.serialize(message) },
  ];
  const wireDecode: BenchCase[] = [
    { name: 'protobuf fromBinary', fn: () => fromBinary(desc, plainBytes) },
    { name: '@cqrs/protobuf decode', fn: () => oursReader.decode(framed, context) },
    { name: 'confluent deserialize', fn: () => confluentReader.deserialize(topic, confluentBytes) },
  ];
  const eventDecode: BenchCase[] = [
    { name: 'fromBinary + parse', fn: () => kit.parse(toPlainObject(desc, fromBinary(desc, plainBytes)), context) },
    { name: 'json deserialize', fn: () => jsonReader.deserialize(jsonBytes, context) },
    { name: '@cqrs/protobuf deserialize', fn: () => oursReader.deserialize(framed, context) },
  ];
  // The codec against JSON of the same event (the goal: no slower than JSON.stringify/parse).
  const codec = messageCodec(desc);
  const jsonText = JSON.stringify(JSON.parse(Buffer.from(jsonBytes).toString('utf8')));
  const parsed: unknown = JSON.parse(jsonText);
  const codecEncode: BenchCase[] = [
    { name: 'JSON.stringify', fn: () => JSON.stringify(parsed) },
    { name: 'protobuf toBinary ', fn: () => toBinary(desc, proto) },
    { name: 'codec encode', fn: () => codec.encode(proto) },
    { name: 'codec framed encode', fn: () => ours.encode(desc, proto, topic) },
  ];
  const codecDecode: BenchCase[] = [
    { name: 'JSON.parse', fn: () => JSON.parse(jsonText) },
    { name: 'protobuf fromBinary ', fn: () => fromBinary(desc, plainBytes) },
    { name: 'codec decode', fn: () => codec.decode(plainBytes) },
  ];
  const options = { iterations, warmup: Math.max(2_000, iterations / 2), rounds: ROUNDS };
  const sizes: Record<string, number> = {
    'protobuf toBinary': plainBytes.length,
    '@cqrs/protobuf encode': framed.length,
    'confluent serialize': confluentBytes.length,
    'json serialize': jsonBytes.length,
  };
  const rows = (step: string, measured: Measurement[]): Record<string, Cell>[] => {
    const baseline = measured[0]!.medianNs;
    return measured.map((m) => ({
      event: label,
      step,
      case: m.name,
      bytes: sizes[m.name] ?? '',
      median: formatNs(m.medianNs),
      'vs baseline': `${(m.medianNs / baseline).toFixed(2)}×`,
    }));
  };
  const enc = await compare(codecEncode, options);
  const dec = await compare(codecDecode, options);
  const ns = (list: Measurement[], name: string): number => list.find((m) => m.name === name)!.medianNs;
  goals.push(
    `${label}: codec encode ${(ns(enc, 'codec encode') / ns(enc, 'JSON.stringify')).toFixed(2)}× JSON.stringify, ` +
      `${(ns(enc, 'protobuf toBinary ') / ns(enc, 'codec encode')).toFixed(2)}× faster than toBinary; ` +
      `decode ${(ns(dec, 'codec decode') / ns(dec, 'JSON.parse')).toFixed(2)}× JSON.parse, ` +
      `${(ns(dec, 'protobuf fromBinary ') / ns(dec, 'codec decode')).toFixed(2)}× faster than fromBinary; ` +
      `framed ${(ns(enc, 'codec framed encode') / ns(enc, 'codec encode')).toFixed(2)}× unframed`,
  );
  return [
    ...rows('codec vs JSON (encode)', enc),
    ...rows('codec vs JSON (decode)', dec),
    ...rows('encode message', await compare(encodeMessage, options)),
    ...rows('encode event', await compare(encodeEvent, options)),
    ...rows('decode to message', await compare(wireDecode, options)),
    ...rows('decode to event', await compare(eventDecode, options)),
  ];
}

/** One line per event: the codec's goals (encode ≤ JSON.stringify, decode ≤ JSON.parse, ≥ 2× protobuf-es, framed ≤ 1.05× unframed). */
const goals: string[] = [];

async function main(): Promise<void> {
  console.log(`serde benchmark — ${machineLine()}`);
  const rows: Record<string, Cell>[] = [];
  for (const kit of kits) rows.push(...(await benchEvent(kit)));
  console.log(`@bufbuild/protobuf copies loaded: ${protobufCopies()}; rounds: ${ROUNDS}; baseline = first row of each step`);
  printTable(rows);
  console.log('');
  for (const line of goals) console.log(line);
}

if (require.main === module) void main();
