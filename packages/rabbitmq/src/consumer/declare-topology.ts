import type { Channel } from 'amqplib';
import { topologyError } from '../connection/classify-error';
import type { QueueTopology } from './queue-topology';

/** The channel operations topology needs; a subset of amqplib's `Channel`. */
export type TopologyChannel = Pick<Channel, 'assertExchange' | 'assertQueue' | 'bindQueue' | 'checkExchange' | 'checkQueue'>;

async function step(what: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    throw topologyError(error, what);
  }
}

/** Declares the exchanges, queues and bindings of `topology`; idempotent, so it runs on every (re)connection. */
export async function declareTopology(channel: TopologyChannel, topology: QueueTopology): Promise<void> {
  const alternate = topology.alternateExchange;
  if (alternate !== undefined) await step(`exchange '${alternate}'`, () => channel.assertExchange(alternate, 'topic', { durable: true }));
  // RabbitMQ refuses to redeclare an exchange with another `alternate-exchange`, none included.
  const exchangeArguments = alternate === undefined ? {} : { 'alternate-exchange': alternate };
  await step(`exchange '${topology.exchange}'`, () => channel.assertExchange(topology.exchange, 'topic', { durable: true, arguments: exchangeArguments }));
  await step(`exchange '${topology.deadLetterExchange}'`, () => channel.assertExchange(topology.deadLetterExchange, 'direct', { durable: true }));
  const { queue, deadLetterQueue } = topology;
  await step(`queue '${deadLetterQueue.name}'`, () => channel.assertQueue(deadLetterQueue.name, { durable: true, arguments: deadLetterQueue.arguments }));
  await step(`binding of '${deadLetterQueue.name}'`, () => channel.bindQueue(deadLetterQueue.name, topology.deadLetterExchange, queue.name));
  for (const retry of topology.retryQueues) {
    await step(`queue '${retry.name}'`, () => channel.assertQueue(retry.name, { durable: true, arguments: retry.arguments }));
  }
  await step(`queue '${queue.name}'`, () => channel.assertQueue(queue.name, { durable: true, arguments: queue.arguments }));
  for (const key of topology.bindingKeys) {
    await step(`binding '${key}' of '${queue.name}'`, () => channel.bindQueue(queue.name, topology.exchange, key));
  }
}

/** Checks that the queues and exchanges of `topology` exist, for consumers that must not declare anything. */
export async function checkTopology(channel: TopologyChannel, topology: QueueTopology): Promise<void> {
  await step(`exchange '${topology.exchange}'`, () => channel.checkExchange(topology.exchange));
  await step(`exchange '${topology.deadLetterExchange}'`, () => channel.checkExchange(topology.deadLetterExchange));
  for (const declared of [topology.queue, topology.deadLetterQueue, ...topology.retryQueues]) {
    await step(`queue '${declared.name}'`, () => channel.checkQueue(declared.name));
  }
}
