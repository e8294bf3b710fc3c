// The per-event work of the Kafka transport without the network, step by step, so a profile
// (`node --cpu-prof bench/dist/hot-paths.js`) shows only our code and the ratios show which
// step costs what:
//   consume: fromBinary alone, then ProtobufValueDeserializer.deserialize (frame, decode,
//            mapping, NotificationEvent.parse), then processBatch over an in-memory batch of
//            kafkajs records into an EventMediator (headers, the consumed message, ack, commit).
//   publish: toBinary of a prebuilt message, then toBinary(proto()) (the event's own mapping),
//            then ProtobufValueSerializer.serialize, then KafkaMessageBroker.sendMessages with a
//            producer that drops the batch (record and header objects, grouping by topic).
// Events are built before timing: their construction (randomUUID, Date) counts nowhere.
//
//   pnpm turbo run build --filter=@cqrs/bench... && node bench/dist/hot-paths.js
//
// Environment: BENCH_ROUNDS (default 11), BENCH_SCALE (multiplies iterations; default 1),
// BENCH_ONLY (`consume` or `publish`: one step alone, for a profile of just that step).
import 'reflect-metadata';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { bootstrapEvents, dispatchTo, messageFromEvent, silentLogger, type EventHandler, type Message, type Subscription } from '@cqrs/core';
import { KafkaMessageBroker, KafkaProducerAdapter, type KafkaConsumedMessage } from '@cqrs/kafka';
import { processBatch, type BatchPayload } from '@cqrs/kafka/transport';
import { InMemorySchemaRegistry, ProtobufValueDeserializer, ProtobufValueSerializer } from '@cqrs/protobuf';
import type { KafkaMessage } from 'kafkajs';
import { compare, formatNs, machineLine, printTable, type BenchCase, type Cell, type Measurement } from './lib';
import { UserCreatedEvent, sampleUserCreated } from './serde-events';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ONLY = process.env.BENCH_ONLY;
const BATCH = 1_000;
const TOPIC = 'user_events_proto';

let handled = 0;
class CountingHandler implements EventHandler<UserCreatedEvent> {
  handle(_event: UserCreatedEvent): void {
    handled += 1;
  }
}

/** kafkajs records as its fetch decodes them: Buffer key, value and header values. */
function records(values: readonly Uint8Array[], headers: Record<string, string>): KafkaMessage[] {
  // kafkajs types headers as absent on old message formats; fetched v2 batches carry them.
  return values.map(
    (value, i): KafkaMessage => ({
      key: Buffer.from(`user-${i % 997}`),
      value: Buffer.from(value),
      timestamp: '1700000000000',
      attributes: 0,
      offset: String(i),
      headers: Object.fromEntries(Object.entries(headers).map(([name, text]) => [name, Buffer.from(text)])),
    }),
  );
}

/** The part of kafkajs' eachBatch payload processBatch uses, doing nothing. */
function batchPayload(messages: KafkaMessage[]): BatchPayload {
  return {
    batch: { topic: TOPIC, partition: 0, messages },
    resolveOffset: () => undefined,
    heartbeat: async () => undefined,
    commitOffsetsIfNecessary: async () => undefined,
    isRunning: () => true,
    isStale: () => false,
  };
}

function rows(step: string, measured: Measurement[], perCall: number): Record<string, Cell>[] {
  const baseline = measured[0]!.medianNs;
  return measured.map((m) => ({ step, case: m.name, 'per event': formatNs(m.medianNs / perCall), 'vs baseline': `${(m.medianNs / baseline).toFixed(2)}×` }));
}

async function main(): Promise<void> {
  console.log(`hot paths — ${machineLine()}`);
  const registry = new InMemorySchemaRegistry();
  const serializer = new ProtobufValueSerializer({ registry });
  const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedEvent.protoSchema, registry });
  const desc = UserCreatedEvent.protoSchema;

  const events = Array.from({ length: BATCH }, (_, i) => {
    const event = sampleUserCreated(TOPIC);
    return new UserCreatedEvent({ eventName: event.eventName, topic: TOPIC, key: `user-${i % 997}`, payload: { ...event.payload, name: `User ${i}` } });
  });
  const messages: Message[] = events.map((event) => messageFromEvent(event));
  const protos = events.map((event) => event.proto());
  const encoded = await Promise.all(messages.map(async (message) => serializer.serialize(message)));
  const framed = encoded.map((value) => value.value);
  const bodies = framed.map((value) => value.subarray(6));
  const kafkaRecords = records(framed, { ...encoded[0]!.headers, message_name: 'user_created', message_id: events[0]!.eventId });
  const context = { topic: TOPIC };

  const mediator = bootstrapEvents({ eventsMapper: (mapper) => mapper.bind(UserCreatedEvent, CountingHandler), logger: silentLogger });
  const typed: Subscription<UserCreatedEvent, KafkaConsumedMessage> = { topics: [TOPIC], valueDeserializer: deserializer, handler: dispatchTo(mediator) };
  // As the consumers keep it: the body type erased.
  const subscription = typed as Subscription<unknown, KafkaConsumedMessage>;
  const batchContext = { subscription, retry: { maxAttempts: 1, backoff: () => 0 }, deadLetter: async () => undefined, commitIntervalMs: 1_000, signal: new AbortController().signal, logger: silentLogger };
  const producer = new KafkaProducerAdapter({ bootstrapServers: 'localhost:9092' }, () => ({ connect: async () => undefined, disconnect: async () => undefined, sendBatch: async () => [] }));
  const broker = new KafkaMessageBroker({ producer, valueSerializer: serializer });

  // Every case handles the whole batch of BATCH events per call.
  const each = (fn: (i: number) => unknown) => (): void => {
    for (let i = 0; i < BATCH; i += 1) fn(i);
  };
  const consume: BenchCase[] = [
    { name: 'protobuf fromBinary', fn: each((i) => fromBinary(desc, bodies[i]!)) },
    { name: 'deserialize (decode + parse)', fn: each((i) => deserializer.deserialize(framed[i], context)) },
    { name: 'processBatch → EventMediator', fn: () => processBatch(batchPayload(kafkaRecords), batchContext) },
  ];
  const publish: BenchCase[] = [
    { name: 'protobuf toBinary (prebuilt)', fn: each((i) => toBinary(desc, protos[i]!)) },
    { name: 'toBinary(proto())', fn: each((i) => toBinary(desc, events[i]!.proto())) },
    { name: 'serialize(messageFromEvent)', fn: each((i) => serializer.serialize(messageFromEvent(events[i]!))) },
    { name: 'KafkaMessageBroker.sendMessages', fn: () => broker.sendMessages(events.map((event) => messageFromEvent(event))) },
  ];
  const iterations = Math.max(1, Math.round(50 * SCALE));
  const options = { iterations, warmup: iterations * 2, rounds: ROUNDS };
  const table: Record<string, Cell>[] = [];
  if (ONLY === undefined || ONLY === 'consume') {
    table.push(...rows('consume', await compare(consume, options), BATCH));
    if (handled === 0) throw new Error('the EventMediator handled no event');
  }
  if (ONLY === undefined || ONLY === 'publish') table.push(...rows('publish', await compare(publish, options), BATCH));
  console.log(`${BATCH} UserCreated events per call; rounds: ${ROUNDS}; baseline = first row of each step`);
  printTable(table);
}

if (require.main === module) void main();
