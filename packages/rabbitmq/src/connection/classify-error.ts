import { errorMessage, redactUrl } from '@cqrs/core';
import { AMQPAuthenticationError, AMQPConnectionError, AMQPError, AMQPTopologyError } from '../errors';

// 403 ACCESS_REFUSED: wrong user or password; 530 NOT_ALLOWED: no access to the virtual host.
const REFUSED = /ACCESS[-_]REFUSED|NOT[-_]ALLOWED|\b403\b|\b530\b/;

/** Turns a failed `amqplib.connect` into a typed error that names the broker without its password. */
export function connectError(error: unknown, url: string): AMQPError {
  if (error instanceof AMQPError) return error;
  const where = redactUrl(url);
  const detail = redactUrl(errorMessage(error));
  if (REFUSED.test(detail)) {
    return new AMQPAuthenticationError(`RabbitMQ at ${where} refused the login or virtual host: check the user, password and vhost (${detail})`);
  }
  return new AMQPConnectionError(`Could not connect to RabbitMQ at ${where}: ${detail}`, { cause: error });
}

/** Turns a failed declare, check or bind into a typed error naming what was being declared. */
export function topologyError(error: unknown, what: string): AMQPError {
  if (error instanceof AMQPError) return error;
  const detail = errorMessage(error);
  // A channel that died with the connection is a connection problem, not a topology one.
  if (/Connection closed|Channel closed|channel closed|ECONNRESET|Socket closed/.test(detail)) {
    return new AMQPConnectionError(`Connection lost while declaring ${what}: ${detail}`, { cause: error });
  }
  return new AMQPTopologyError(`Declaring ${what} failed: ${detail}`, { cause: error });
}
