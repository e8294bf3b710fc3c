/**
 * Which writer message types a deserializer accepts: `exact` (the type name of
 * `protobufModel`), `name` (the same name in any package, e.g. `cqrs.example.v2.UserCreated`
 * for a reader of `cqrs.example.v1.UserCreated`), or a predicate.
 */
export type TypeMatch = 'exact' | 'name' | ((writerTypeName: string, readerTypeName: string) => boolean);

/** Whether a writer's type name is acceptable to the reader. */
export function typeMatches(match: TypeMatch, writer: string, reader: string, readerPackage: string): boolean {
  if (writer === reader) return true;
  if (typeof match === 'function') return match(writer, reader);
  if (match === 'exact') return false;
  const relative = readerPackage === '' ? reader : reader.slice(readerPackage.length + 1);
  return writer === relative || writer.endsWith(`.${relative}`);
}
