import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonValueDeserializer, messageFromEvent, silentLogger } from '@cqrs/core';
import { KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { UserCreatedEvent, bundleChild, unique, waitFor } from '@cqrs/test-fixtures';
import { userCreated } from './support/events';
import { kafkaEnv, plaintext } from './support/kafka-env';
import { committedOffsets, createTopic } from './support/raw-kafka';

// jest reads testTimeout only from the root config, not from a project's: set it here.
jest.setTimeout(60_000);


describe('a consumer killed mid-stream', () => {
  let dir: string;
  let child: ChildProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafka-crash-'));
  });

  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('is restarted and every record is processed at least once, none skipped', async () => {
    const topic = unique('user_events_crash');
    const groupId = unique('crash-group');
    await createTopic(topic, 3);
    const events = Array.from({ length: 300 }, (_, i) => userCreated(topic, `user-${i % 17}`));
    const producer = new KafkaProducerAdapter(plaintext());
    const broker = new KafkaMessageBroker({ producer });
    await broker.sendMessages(events.map((event) => messageFromEvent(event)));
    await broker.close();

    // First life: a separate process that handles 120 records, hangs in the 120th and is SIGKILLed.
    const byChild: string[] = [];
    const script = bundleChild(join(__dirname, 'fixtures/crash-consumer.ts'), join(dir, 'crash-consumer.cjs'));
    child = spawn(process.execPath, [script, topic, groupId, kafkaEnv.brokers, '120'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('handled ')) byChild.push(line.slice('handled '.length));
    });
    await waitFor(() => byChild.length >= 120, () => `the child to handle 120 records (has ${byChild.length}; stderr: ${stderr})`);
    const exited = new Promise<NodeJS.Signals | null>((done) => child?.once('exit', (_code, signal) => done(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(byChild).toHaveLength(120);

    // Second life: same group, in this process; it must pick up everything not committed.
    const byRestart: string[] = [];
    const consumer = new KafkaConsumer({ ...plaintext(), groupId, maxWaitTimeMs: 200, logger: silentLogger });
    consumer.subscribe({ topics: [topic], valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, (body) => {
      if (body instanceof UserCreatedEvent) byRestart.push(body.eventId);
    });
    await consumer.start();
    const all = new Set(events.map((event) => event.eventId));
    try {
      await waitFor(() => new Set([...byChild, ...byRestart]).size === all.size, () => `every event once (child ${byChild.length}, restart ${byRestart.length})`);
    } finally {
      await consumer.stop();
    }

    const seen = new Set([...byChild, ...byRestart]);
    expect([...all].filter((id) => !seen.has(id))).toEqual([]);
    // The record the child hung in was handled but never committed: it comes again.
    expect(byRestart).toContain(byChild[byChild.length - 1]);
    // Everything the child never reached was handled after the restart.
    const childSet = new Set(byChild);
    expect(byRestart.filter((id) => !childSet.has(id))).toHaveLength(all.size - childSet.size);
  });

  test('stopped gracefully, commits what it handled, and a restart handles the rest exactly once', async () => {
    const topic = unique('user_events_stop');
    const groupId = unique('stop-group');
    await createTopic(topic, 3);
    const events = Array.from({ length: 300 }, (_, i) => userCreated(topic, `user-${i % 13}`));
    const broker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter(plaintext()) });
    await broker.sendMessages(events.map((event) => messageFromEvent(event)));
    await broker.close();

    const deserializer = new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent });
    const first: string[] = [];
    let stopping: Promise<void> | undefined;
    const consumer = new KafkaConsumer({ ...plaintext(), groupId, maxWaitTimeMs: 200, logger: silentLogger });
    consumer.subscribe({ topics: [topic], valueDeserializer: deserializer }, async (body) => {
      if (!(body instanceof UserCreatedEvent)) throw new Error('unexpected record');
      first.push(body.eventId);
      // Stop from inside the stream: this record must still finish and be committed.
      if (first.length === 100) stopping = consumer.stop();
      await new Promise((resolve) => setImmediate(resolve));
    });
    await consumer.start();
    await waitFor(() => stopping !== undefined, () => `100 records before stopping (have ${first.length})`);
    await stopping;
    const committed = Object.values(await committedOffsets(groupId, topic)).reduce((sum, offset) => sum + Math.max(0, Number(offset)), 0);
    expect(committed).toBe(first.length);

    const second: string[] = [];
    const restarted = new KafkaConsumer({ ...plaintext(), groupId, maxWaitTimeMs: 200, logger: silentLogger });
    restarted.subscribe({ topics: [topic], valueDeserializer: deserializer }, (body) => {
      if (body instanceof UserCreatedEvent) second.push(body.eventId);
    });
    await restarted.start();
    try {
      await waitFor(() => first.length + second.length >= events.length, () => `all records (first ${first.length}, second ${second.length})`);
    } finally {
      await restarted.stop();
    }
    const all = [...first, ...second];
    expect(new Set(all).size).toBe(events.length);
    expect(all).toHaveLength(events.length);
  });
});
