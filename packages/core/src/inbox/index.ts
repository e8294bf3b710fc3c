export type { Inbox, InboxOutcome } from './inbox';
export { inboxHandler, inboxInterceptor, type InboxHandlerOptions } from './inbox-handler';
export { InMemoryInbox } from './in-memory-inbox';
export { MissingMessageIdError } from './missing-message-id-error';
