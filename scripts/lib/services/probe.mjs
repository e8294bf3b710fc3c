#!/usr/bin/env node
// Readiness probes for scripts/services. Node built-ins only (runs before `pnpm install`).
//
//   node probe.mjs kafka HOST:PORT [--ca FILE] [--sasl USER:PASSWORD]
//        ApiVersions + Metadata request (optionally over TLS and SCRAM-SHA-256).
//   node probe.mjs http URL [--user USER:PASSWORD] [--expect STATUS]
//   node probe.mjs amqp HOST:PORT USER PASSWORD [VHOST]
//        Full AMQP 0-9-1 connection open/close with PLAIN credentials.
//
// Every probe makes one attempt, bounded by --timeout-ms (default 5000), prints one line
// and exits 0 when the service answered correctly, 1 otherwise.
import net from 'node:net';
import tls from 'node:tls';
import fs from 'node:fs';
import http from 'node:http';
import crypto from 'node:crypto';

function parseArgs(argv) {
  const positional = [];
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--')) {
      options[arg.slice(2)] = argv[i + 1];
      i++;
    } else {
      positional.push(arg);
    }
  }
  return { positional, options };
}

function splitHostPort(value) {
  const idx = value.lastIndexOf(':');
  if (idx < 0) throw new Error(`expected HOST:PORT, got ${value}`);
  return { host: value.slice(0, idx), port: Number(value.slice(idx + 1)) };
}

/** Reads length-prefixed frames (int32 size) from a socket. */
class FrameReader {
  constructor(socket, headerSize, sizeOf) {
    this.buffer = Buffer.alloc(0);
    this.waiters = [];
    this.error = null;
    this.headerSize = headerSize;
    this.sizeOf = sizeOf;
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    const fail = (err) => {
      this.error = err;
      for (const w of this.waiters.splice(0)) w.reject(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed by peer')));
  }

  drain() {
    while (this.waiters.length > 0 && this.buffer.length >= this.headerSize) {
      const total = this.sizeOf(this.buffer);
      if (this.buffer.length < total) return;
      const frame = this.buffer.subarray(0, total);
      this.buffer = this.buffer.subarray(total);
      this.waiters.shift().resolve(frame);
    }
  }

  next() {
    return new Promise((resolve, reject) => {
      if (this.error) return reject(this.error);
      this.waiters.push({ resolve, reject });
      this.drain();
    });
  }
}

function connect({ host, port, ca }) {
  return new Promise((resolve, reject) => {
    const socket = ca
      ? tls.connect({ host, port, ca: fs.readFileSync(ca), servername: net.isIP(host) ? undefined : host })
      : net.connect({ host, port });
    const ready = ca ? 'secureConnect' : 'connect';
    socket.once(ready, () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

// ---------------------------------------------------------------- Kafka

class Writer {
  constructor() {
    this.parts = [];
  }
  int8(v) {
    const b = Buffer.alloc(1);
    b.writeInt8(v);
    this.parts.push(b);
    return this;
  }
  int16(v) {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.parts.push(b);
    return this;
  }
  int32(v) {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }
  string(s) {
    if (s === null) return this.int16(-1);
    const data = Buffer.from(s, 'utf8');
    this.int16(data.length);
    this.parts.push(data);
    return this;
  }
  bytes(data) {
    this.int32(data.length);
    this.parts.push(data);
    return this;
  }
  build() {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  constructor(buf) {
    this.buf = buf;
    this.pos = 0;
  }
  int8() {
    const v = this.buf.readInt8(this.pos);
    this.pos += 1;
    return v;
  }
  int16() {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32() {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  int64() {
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  string() {
    const len = this.int16();
    if (len < 0) return null;
    const v = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return v;
  }
  bytes() {
    const len = this.int32();
    if (len < 0) return null;
    const v = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return v;
  }
}

const API = { METADATA: 3, SASL_HANDSHAKE: 17, API_VERSIONS: 18, SASL_AUTHENTICATE: 36 };

class KafkaConnection {
  constructor(socket) {
    this.socket = socket;
    this.reader = new FrameReader(socket, 4, (b) => 4 + b.readInt32BE(0));
    this.correlationId = 0;
  }

  async request(apiKey, apiVersion, body) {
    const correlationId = ++this.correlationId;
    const header = new Writer().int16(apiKey).int16(apiVersion).int32(correlationId).string('cqrs-services-probe').build();
    const payload = Buffer.concat([header, body]);
    this.socket.write(Buffer.concat([new Writer().int32(payload.length).build(), payload]));
    const frame = await this.reader.next();
    const r = new Reader(frame.subarray(4));
    const got = r.int32();
    if (got !== correlationId) throw new Error(`unexpected correlation id ${got}`);
    return r;
  }

  async apiVersions() {
    const r = await this.request(API.API_VERSIONS, 0, Buffer.alloc(0));
    const errorCode = r.int16();
    if (errorCode !== 0) throw new Error(`ApiVersions error ${errorCode}`);
    const versions = new Map();
    const n = r.int32();
    for (let i = 0; i < n; i++) {
      const key = r.int16();
      versions.set(key, { min: r.int16(), max: r.int16() });
    }
    return versions;
  }
}

function pickVersion(versions, apiKey, lowest, highest, name) {
  const range = versions.get(apiKey);
  if (!range) throw new Error(`broker does not support ${name}`);
  const v = Math.max(range.min, lowest);
  if (v > Math.min(range.max, highest)) {
    throw new Error(`no common ${name} version (broker ${range.min}-${range.max}, probe ${lowest}-${highest})`);
  }
  return v;
}

async function scramSha256(conn, versions, username, password) {
  const handshakeVersion = pickVersion(versions, API.SASL_HANDSHAKE, 1, 1, 'SaslHandshake');
  let r = await conn.request(API.SASL_HANDSHAKE, handshakeVersion, new Writer().string('SCRAM-SHA-256').build());
  const hsError = r.int16();
  if (hsError !== 0) throw new Error(`SaslHandshake error ${hsError} (is SCRAM-SHA-256 enabled?)`);
  const authVersion = pickVersion(versions, API.SASL_AUTHENTICATE, 0, 1, 'SaslAuthenticate');

  const authenticate = async (bytes) => {
    const res = await conn.request(API.SASL_AUTHENTICATE, authVersion, new Writer().bytes(bytes).build());
    const errorCode = res.int16();
    const message = res.string();
    const data = res.bytes();
    if (errorCode !== 0) throw new Error(`SASL authentication failed (${errorCode}): ${message}`);
    return data ? data.toString('utf8') : '';
  };

  const escape = (s) => s.replace(/=/g, '=3D').replace(/,/g, '=2C');
  const clientNonce = crypto.randomBytes(18).toString('base64');
  const clientFirstBare = `n=${escape(username)},r=${clientNonce}`;
  const serverFirst = await authenticate(Buffer.from(`n,,${clientFirstBare}`));
  const attrs = Object.fromEntries(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]));
  if (!attrs.r || !attrs.r.startsWith(clientNonce)) throw new Error('SCRAM: bad server nonce');
  const salted = crypto.pbkdf2Sync(password, Buffer.from(attrs.s, 'base64'), Number(attrs.i), 32, 'sha256');
  const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();
  const clientKey = hmac(salted, 'Client Key');
  const storedKey = crypto.createHash('sha256').update(clientKey).digest();
  const clientFinalNoProof = `c=biws,r=${attrs.r}`;
  const authMessage = `${clientFirstBare},${serverFirst},${clientFinalNoProof}`;
  const signature = hmac(storedKey, authMessage);
  const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]));
  const serverFinal = await authenticate(Buffer.from(`${clientFinalNoProof},p=${proof.toString('base64')}`));
  const expected = hmac(hmac(salted, 'Server Key'), authMessage).toString('base64');
  if (serverFinal !== `v=${expected}`) throw new Error('SCRAM: server signature mismatch');
}

async function probeKafka(target, options) {
  const { host, port } = splitHostPort(target);
  const socket = await connect({ host, port, ca: options.ca });
  try {
    const conn = new KafkaConnection(socket);
    const versions = await conn.apiVersions();
    if (options.sasl) {
      const idx = options.sasl.indexOf(':');
      await scramSha256(conn, versions, options.sasl.slice(0, idx), options.sasl.slice(idx + 1));
    }
    // Metadata v4..v8 share the non-flexible layout parsed below.
    const v = pickVersion(versions, API.METADATA, 4, 8, 'Metadata');
    const body = new Writer().int32(0).int8(0); // no topics, no auto-creation
    if (v >= 8) body.int8(0).int8(0);
    const r = await conn.request(API.METADATA, v, body.build());
    r.int32(); // throttle_time_ms
    const brokers = [];
    const n = r.int32();
    for (let i = 0; i < n; i++) {
      const nodeId = r.int32();
      const bhost = r.string();
      const bport = r.int32();
      r.string(); // rack
      brokers.push(`${nodeId}@${bhost}:${bport}`);
    }
    const clusterId = r.string();
    const controllerId = r.int32();
    if (brokers.length === 0) throw new Error('metadata lists no brokers yet');
    if (controllerId < 0) throw new Error('no active controller yet');
    const how = [options.ca ? 'tls' : 'plaintext', options.sasl ? 'scram-sha-256' : null].filter(Boolean).join('+');
    return `kafka ${target} (${how}): cluster ${clusterId}, brokers ${brokers.join(' ')}`;
  } finally {
    socket.destroy();
  }
}

// ---------------------------------------------------------------- HTTP

function probeHttp(url, options) {
  const expect = Number(options.expect ?? 200);
  const headers = { accept: 'application/json' };
  if (options.user) headers.authorization = `Basic ${Buffer.from(options.user).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        if (body.length < 500) body += c;
      });
      res.on('end', () => {
        if (res.statusCode === expect) resolve(`http ${url}: ${res.statusCode}`);
        else reject(new Error(`http ${url}: status ${res.statusCode}, expected ${expect}: ${body.slice(0, 200)}`));
      });
    });
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------- AMQP 0-9-1

function amqpMethodFrame(channel, classId, methodId, args) {
  const payload = Buffer.concat([new Writer().int16(classId).int16(methodId).build(), args]);
  const header = Buffer.alloc(7);
  header.writeUInt8(1, 0);
  header.writeUInt16BE(channel, 1);
  header.writeUInt32BE(payload.length, 3);
  return Buffer.concat([header, payload, Buffer.from([0xce])]);
}

function shortstr(s) {
  const data = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([data.length]), data]);
}

async function probeAmqp(target, user, password, vhost = '/') {
  const { host, port } = splitHostPort(target);
  const socket = await connect({ host, port });
  try {
    const reader = new FrameReader(socket, 7, (b) => 7 + b.readUInt32BE(3) + 1);
    const nextMethod = async () => {
      for (;;) {
        const frame = await reader.next();
        if (frame.readUInt8(0) !== 1) continue; // skip heartbeats etc.
        return {
          classId: frame.readUInt16BE(7),
          methodId: frame.readUInt16BE(9),
          args: frame.subarray(11, frame.length - 1),
        };
      }
    };
    const expectMethod = async (classId, methodId, what) => {
      const m = await nextMethod();
      if (m.classId === 10 && m.methodId === 50) {
        const code = m.args.readUInt16BE(0);
        const text = m.args.toString('utf8', 3, 3 + m.args.readUInt8(2));
        throw new Error(`server closed the connection: ${code} ${text}`);
      }
      if (m.classId !== classId || m.methodId !== methodId) {
        throw new Error(`expected ${what}, got method ${m.classId}.${m.methodId}`);
      }
      return m;
    };

    socket.write(Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]));
    await expectMethod(10, 10, 'connection.start');
    const response = Buffer.from(`\u0000${user}\u0000${password}`, 'utf8');
    socket.write(
      amqpMethodFrame(
        0,
        10,
        11,
        Buffer.concat([new Writer().int32(0).build(), shortstr('PLAIN'), new Writer().bytes(response).build(), shortstr('en_US')]),
      ),
    );
    const tune = await expectMethod(10, 30, 'connection.tune');
    const channelMax = tune.args.readUInt16BE(0);
    const frameMax = tune.args.readUInt32BE(2);
    socket.write(amqpMethodFrame(0, 10, 31, new Writer().int16(channelMax).int32(frameMax).int16(0).build()));
    socket.write(amqpMethodFrame(0, 10, 40, Buffer.concat([shortstr(vhost), shortstr(''), Buffer.from([0])])));
    await expectMethod(10, 41, 'connection.open-ok');
    socket.write(amqpMethodFrame(0, 10, 50, Buffer.concat([new Writer().int16(200).build(), shortstr('probe done'), new Writer().int16(0).int16(0).build()])));
    await expectMethod(10, 51, 'connection.close-ok');
    return `amqp ${target}: connection opened and closed as ${user} on vhost ${vhost}`;
  } finally {
    socket.destroy();
  }
}

// ---------------------------------------------------------------- main

async function main() {
  const { positional, options } = parseArgs(process.argv.slice(2));
  const [kind, ...rest] = positional;
  const timeoutMs = Number(options['timeout-ms'] ?? 5000);
  let work;
  switch (kind) {
    case 'kafka':
      work = probeKafka(rest[0], options);
      break;
    case 'http':
      work = probeHttp(rest[0], options);
      break;
    case 'amqp':
      work = probeAmqp(rest[0], rest[1], rest[2], rest[3]);
      break;
    default:
      throw new Error(`unknown probe "${kind}" (kafka | http | amqp)`);
  }
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    console.log(await Promise.race([work, timeout]));
  } finally {
    clearTimeout(timer);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.log(`not ready: ${err && err.message ? err.message : err}`);
    process.exit(1);
  },
);
