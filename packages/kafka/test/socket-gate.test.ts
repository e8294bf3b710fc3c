import type { ISocketFactory } from 'kafkajs';
import type { Socket } from 'node:net';
import { SocketGate } from '../src/consumer/socket-gate';

describe('SocketGate', () => {
  test('opens sockets with the inner factory until closed, then refuses', () => {
    const opened: string[] = [];
    const socket = {} as Socket;
    const inner: ISocketFactory = ({ host, port }) => {
      opened.push(`${host}:${port}`);
      return socket;
    };
    const gate = new SocketGate();
    const factory = gate.factory(inner);
    expect(factory({ host: 'b1', port: 9092, ssl: {}, onConnect: () => undefined })).toBe(socket);
    gate.close();
    expect(gate.closed).toBe(true);
    expect(() => factory({ host: 'b1', port: 9092, ssl: {}, onConnect: () => undefined })).toThrow('the consumer is stopped');
    expect(opened).toEqual(['b1:9092']);
  });
});
