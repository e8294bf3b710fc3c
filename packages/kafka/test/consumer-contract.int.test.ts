import { silentLogger } from '@cqrs/core';
import { KafkaConsumer } from '@cqrs/kafka';
import { consumerContract, textDeserializer, unique } from '@cqrs/test-fixtures';
import { kafkaEnv, plaintext } from './support/kafka-env';
import { createTopic, publishRaw, readTopic, rawKafka } from './support/raw-kafka';

consumerContract({
  name: `Kafka at ${kafkaEnv.brokers}`,
  source: async () => {
    const topic = unique('contract');
    await createTopic(topic, 1);
    // The dead-letter topic exists before anything reads it.
    await createTopic(`${topic}.dlq`, 1);
    return topic;
  },
  consumer: (source, options, handler) => {
    const consumer = new KafkaConsumer({
      ...plaintext(),
      groupId: unique('contract-group'),
      maxWaitTimeMs: 200,
      logger: silentLogger,
      retry: options.retry,
      ...(options.handleSignals === undefined ? {} : { handleSignals: options.handleSignals }),
      ...(options.signalTarget === undefined ? {} : { signalTarget: options.signalTarget }),
    }).subscribe({ topics: [source], valueDeserializer: options.valueDeserializer, ...(options.decoder === undefined ? {} : { decoder: options.decoder }) }, handler);
    return Object.assign(consumer, { subscribeAgain: () => void consumer.subscribe({ topics: [`${source}-again`], valueDeserializer: textDeserializer }, () => undefined) });
  },
  publish: (source, messages) => publishRaw(source, messages.map((m) => ({ value: m.value === null ? null : Buffer.from(m.value), headers: { ...m.headers } }))),
  deadLetters: async (source, count) => {
    const records = await readTopic(`${source}.dlq`, count);
    return records.map(({ message }) => ({
      value: message.value,
      headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(Array.isArray(value) ? value.at(-1) : value)])),
    }));
  },
  cleanUp: async (source) => {
    const admin = rawKafka().admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      await admin.deleteTopics({ topics: [source, `${source}.dlq`].filter((topic) => existing.has(topic)) });
    } finally {
      await admin.disconnect();
    }
  },
});
