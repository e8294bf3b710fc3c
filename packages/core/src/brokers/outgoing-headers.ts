import type { Message } from './message';
import { StandardHeaders } from './standard-headers';

/**
 * The headers every transport publishes, merged by one rule: the transport's own defaults
 * (such as a content type), then the format's headers (schema information), then the
 * message's own headers, then the message name and id, which always win.
 */
export function outgoingHeaders(message: Message, formatHeaders: Readonly<Record<string, string>> | undefined, defaults?: Readonly<Record<string, string>>): Record<string, string> {
  // Built by assignment rather than spreads: this runs once per published message.
  const headers: Record<string, string> = {};
  if (defaults !== undefined) for (const name in defaults) headers[name] = defaults[name] as string;
  if (formatHeaders !== undefined) for (const name in formatHeaders) headers[name] = formatHeaders[name] as string;
  const own = message.headers;
  if (own !== undefined) for (const name in own) headers[name] = own[name] as string;
  headers[StandardHeaders.messageName] = message.messageName;
  headers[StandardHeaders.messageId] = message.messageId;
  return headers;
}
