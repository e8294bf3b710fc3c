require('reflect-metadata');
const { messageFromEvent, bootstrapEvents, dispatchTo, silentLogger } = require('@cqrs/core');
const { KafkaMessageBroker, KafkaProducerAdapter, KafkaConsumer } = require('@cqrs/kafka');
const { ProtobufValueSerializer, ProtobufValueDeserializer } = require('@cqrs/protobuf');
const { UserCreatedSchema } = require('@cqrs/example-protos');
const { UserCreatedEvent } = require('./dist/serde-events.js');
const { Kafka } = require('kafkajs');
const N = 100000;
async function main() {
  const topic = 'prof-con-' + Date.now();
  const admin = new Kafka({ brokers: ['127.0.0.1:9092'], logLevel: 1 }).admin(); await admin.connect(); await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const registry = { url: 'http://127.0.0.1:8085/apis/ccompat/v7' };
  const serializer = new ProtobufValueSerializer({ registry });
  const broker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: '127.0.0.1:9092', logLevel: 'error' }), valueSerializer: serializer });
  const mk = (n) => Array.from({ length: n }, (_, i) => { const userId = `user-${i % 997}`; return new UserCreatedEvent({ eventName: 'user_created', topic, key: userId, payload: { userId, email: `${userId}@example.com`, name: `User ${i}` } }); });
  const evs = mk(N); for (let s = 0; s < evs.length; s += 1000) await broker.sendMessages(evs.slice(s, s + 1000).map((e) => messageFromEvent(e)));
  await broker.close();
  const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry });
  let seen = 0, t0, done; const fin = new Promise((r) => (done = r));
  class H { handle() { if (seen === 0) { t0 = process.hrtime.bigint(); c0 = process.cpuUsage(); } if (++seen === N) done(); } }
  let c0;
  const mediator = bootstrapEvents({ eventsMapper: (m) => m.bind(UserCreatedEvent, H), logger: silentLogger });
  const consumer = new KafkaConsumer({ bootstrapServers: '127.0.0.1:9092', groupId: 'g-' + Date.now(), maxWaitTimeMs: 100, partitionsConsumedConcurrently: 3, logger: silentLogger });
  consumer.subscribe({ topics: [topic], valueDeserializer: deserializer }, dispatchTo(mediator));
  const inspector = require('inspector'); const sess = new inspector.Session(); sess.connect(); const post = (m, p) => new Promise((res, rej) => sess.post(m, p, (e, r) => e ? rej(e) : res(r)));
  if (process.env.PROF) { await post('Profiler.enable'); await post('Profiler.setSamplingInterval', { interval: 200 }); await post('Profiler.start'); }
  await consumer.start();
  await fin;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9; const cu = process.cpuUsage(c0);
  console.log('eps', Math.round(N / secs), 'cpu', ((cu.user + cu.system) / 1e6).toFixed(2), 'wall', secs.toFixed(2));
  if (process.env.PROF) { const { profile } = await post('Profiler.stop'); require('fs').writeFileSync('/tmp/stress/con.cpuprofile', JSON.stringify(profile)); }
  await consumer.stop(); await admin.deleteTopics({ topics: [topic] }); await admin.disconnect();
}
main();
