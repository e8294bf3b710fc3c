require('reflect-metadata');
const { messageFromEvent } = require('@cqrs/core');
const { KafkaMessageBroker, KafkaProducerAdapter } = require('@cqrs/kafka');
const { ProtobufValueSerializer } = require('@cqrs/protobuf');
const { UserCreatedEvent } = require('./dist/serde-events.js');
const { Kafka } = require('kafkajs');
async function main() {
  const topic = 'prof-pub-' + Date.now();
  const admin = new Kafka({ brokers: ['127.0.0.1:9092'], logLevel: 1 }).admin(); await admin.connect(); await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const serializer = new ProtobufValueSerializer({ registry: { url: 'http://127.0.0.1:8085/apis/ccompat/v7' } });
  const broker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: '127.0.0.1:9092', logLevel: 'error' }), valueSerializer: serializer });
  const mk = (n) => Array.from({ length: n }, (_, i) => { const userId = `user-${i % 997}`; return new UserCreatedEvent({ eventName: 'user_created', topic, key: userId, payload: { userId, email: `${userId}@example.com`, name: `User ${i}` } }); });
  const send = async (evs) => { for (let s = 0; s < evs.length; s += 1000) await broker.sendMessages(evs.slice(s, s + 1000).map((e) => messageFromEvent(e))); };
  await send(mk(10000));
  const evs = mk(100000);
  const inspector = require('inspector'); const sess = new inspector.Session(); sess.connect(); const post = (m, p) => new Promise((res, rej) => sess.post(m, p, (e, r) => e ? rej(e) : res(r)));
  if (process.env.PROF) { await post('Profiler.enable'); await post('Profiler.setSamplingInterval', { interval: 200 }); await post('Profiler.start'); }
  const t0 = process.hrtime.bigint(); const c0 = process.cpuUsage();
  await send(evs);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9; const cu = process.cpuUsage(c0);
  console.log('eps', Math.round(100000 / secs), 'cpu', ((cu.user + cu.system) / 1e6).toFixed(2), 'wall', secs.toFixed(2));
  if (process.env.PROF) { const { profile } = await post('Profiler.stop'); require('fs').writeFileSync('/tmp/stress/pub.cpuprofile', JSON.stringify(profile)); }
  await broker.close(); await admin.deleteTopics({ topics: [topic] }); await admin.disconnect();
}
main();
