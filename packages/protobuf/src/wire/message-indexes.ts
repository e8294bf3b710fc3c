import type { DescFile, DescMessage } from '@bufbuild/protobuf';

/**
 * Path of a message in its file, as Confluent's wire format counts it: the index among the
 * file's top-level messages, then the index among each parent's nested messages.
 */
export function messageIndexesOf(desc: DescMessage): number[] {
  const path: number[] = [];
  let current: DescMessage = desc;
  for (;;) {
    const parent: DescMessage | undefined = current.parent;
    const siblings = parent === undefined ? current.file.messages : parent.nestedMessages;
    path.unshift(siblings.indexOf(current));
    if (parent === undefined) return path;
    current = parent;
  }
}

/** The message at a Confluent message-index path, or `undefined` when the path is out of range. */
export function messageAtIndexes(file: DescFile, indexes: readonly number[]): DescMessage | undefined {
  let siblings: readonly DescMessage[] = file.messages;
  let found: DescMessage | undefined;
  for (const index of indexes) {
    found = siblings[index];
    if (found === undefined) return undefined;
    siblings = found.nestedMessages;
  }
  return found;
}
