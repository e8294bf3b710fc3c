import net from 'node:net';
import tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

// kafkajs' own keep-alive delay for broker sockets.
const keepAliveDelayMs = 60_000;

/** kafkajs' default socket factory, which it does not export. */
const plainSocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl }, onConnect) : net.connect({ host, port }, onConnect);
  socket.setKeepAlive(true, keepAliveDelayMs);
  return socket;
};

/**
 * Lets a stopped consumer's client open no broker connection again. kafkajs may have a
 * restart of the consumer under way when `stop()` runs (its timer fired, the new member is
 * still joining); that restart is out of reach of `disconnect()`, so without connections it
 * can never rejoin the group and hold partitions.
 */
export class SocketGate {
  #closed = false;

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Refuses every connection from now on. */
  close(): void {
    this.#closed = true;
  }

  /** A socket factory that opens sockets with `inner` until the gate closes, then throws. */
  factory(inner: ISocketFactory = plainSocketFactory): ISocketFactory {
    return (args) => {
      // kafkajs turns this into a retriable connection error of the stopped client.
      if (this.#closed) throw new Error('the consumer is stopped');
      return inner(args);
    };
  }
}
