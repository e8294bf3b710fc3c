/**
 * How a subject name is derived [Confluent subject name strategies]: `topic` (`<topic>-value`,
 * the default), `record` (the message's fully qualified name), `topic-record`
 * (`<topic>-<name>`), or a function of both.
 */
export type SubjectNameStrategy = 'topic' | 'record' | 'topic-record' | ((topic: string, typeName: string) => string);

/** The subject a value of `typeName` published to `topic` is registered under. */
export function subjectName(strategy: SubjectNameStrategy, topic: string, typeName: string): string {
  if (typeof strategy === 'function') return strategy(topic, typeName);
  switch (strategy) {
    case 'topic':
      return `${topic}-value`;
    case 'record':
      return typeName;
    case 'topic-record':
      return `${topic}-${typeName}`;
  }
}
