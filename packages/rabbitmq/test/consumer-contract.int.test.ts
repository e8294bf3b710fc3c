import { silentLogger } from '@cqrs/core';
import { AMQPConsumer } from '@cqrs/rabbitmq';
import { consumerContract, textDeserializer, unique, waitFor } from '@cqrs/test-fixtures';
import * as amqplib from 'amqplib';
import type { GetMessage } from 'amqplib';
import { headersAsText } from '../src/consumer/read-delivery';
import { AMQP_URL, deleteTopology, queuesOf, rawChannel } from './helpers';

const exchangeOf = (source: string): string => `${source}.x`;
const queueOf = (source: string): string => `${source}.q`;

consumerContract({
  name: 'RabbitMQ',
  source: async () => unique('contract'),
  consumer: (source, options, handler) => {
    const consumer = new AMQPConsumer({
      url: AMQP_URL,
      exchangeName: exchangeOf(source),
      logger: silentLogger,
      retry: options.retry,
      drainTimeoutMs: 5_000,
      ...(options.handleSignals === undefined ? {} : { handleSignals: options.handleSignals }),
      ...(options.signalTarget === undefined ? {} : { signalTarget: options.signalTarget }),
    }).subscribe({ topics: [source], queue: queueOf(source), valueDeserializer: options.valueDeserializer, ...(options.decoder === undefined ? {} : { decoder: options.decoder }) }, handler);
    return Object.assign(consumer, {
      subscribeAgain: () => void consumer.subscribe({ topics: [`${source}-again`], queue: `${queueOf(source)}-again`, valueDeserializer: textDeserializer }, () => undefined),
    });
  },
  publish: async (source, messages) => {
    const connection = await amqplib.connect(AMQP_URL);
    try {
      const channel = await connection.createConfirmChannel();
      for (const message of messages) channel.publish(exchangeOf(source), source, Buffer.from(message.value ?? new Uint8Array()), { persistent: true, headers: { ...message.headers } });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
  },
  deadLetters: async (source, count) => {
    const { channel, close } = await rawChannel();
    const letters: GetMessage[] = [];
    try {
      await waitFor(async () => {
        const message = await channel.get(`${queueOf(source)}.dlq`, { noAck: true });
        if (message !== false) letters.push(message);
        return letters.length >= count;
      }, () => `${count} dead letters of ${source}, have ${letters.length}`);
    } finally {
      await close();
    }
    return letters.map((letter) => ({ value: letter.content, headers: headersAsText(letter.properties.headers) }));
  },
  cleanUp: (source) => deleteTopology(queuesOf(queueOf(source), 3), [exchangeOf(source), `${exchangeOf(source)}.dlx`]),
});
