import { isFieldSet } from '@bufbuild/protobuf';
import {
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  FieldDescriptorProtoSchema,
  FieldDescriptorProto_Label as Label,
  FieldOptionsSchema,
  FieldDescriptorProto_Type as Type,
  type FileDescriptorProto,
  type ServiceDescriptorProto,
} from '@bufbuild/protobuf/wkt';
import { ProtoSchemaError } from '../errors/protobuf-errors';

const SCALARS: Partial<Record<Type, string>> = {
  [Type.DOUBLE]: 'double',
  [Type.FLOAT]: 'float',
  [Type.INT64]: 'int64',
  [Type.UINT64]: 'uint64',
  [Type.INT32]: 'int32',
  [Type.FIXED64]: 'fixed64',
  [Type.FIXED32]: 'fixed32',
  [Type.BOOL]: 'bool',
  [Type.STRING]: 'string',
  [Type.BYTES]: 'bytes',
  [Type.UINT32]: 'uint32',
  [Type.SFIXED32]: 'sfixed32',
  [Type.SFIXED64]: 'sfixed64',
  [Type.SINT32]: 'sint32',
  [Type.SINT64]: 'sint64',
};

function typeOf(field: FieldDescriptorProto): string {
  if (field.type === Type.MESSAGE || field.type === Type.ENUM) return field.typeName;
  const scalar = SCALARS[field.type];
  if (scalar === undefined) throw new ProtoSchemaError(`field ${field.name}: type ${Type[field.type]} cannot be printed as .proto text`);
  return scalar;
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function reserved(ranges: readonly { start: number; end: number }[], names: readonly string[], exclusiveEnd: boolean, pad: string): string[] {
  const lines: string[] = [];
  if (ranges.length > 0) {
    const parts = ranges.map(({ start, end }) => {
      const last = exclusiveEnd ? end - 1 : end;
      return last === start ? String(start) : `${start} to ${last >= 536870911 ? 'max' : last}`;
    });
    lines.push(`${pad}reserved ${parts.join(', ')};`);
  }
  if (names.length > 0) lines.push(`${pad}reserved ${names.map(quote).join(', ')};`);
  return lines;
}

function printEnum(desc: EnumDescriptorProto, pad: string): string[] {
  return [
    `${pad}enum ${desc.name} {`,
    ...desc.value.map((value) => `${pad}  ${value.name} = ${value.number};`),
    ...reserved(desc.reservedRange, desc.reservedName, false, `${pad}  `),
    `${pad}}`,
  ];
}

function fieldOptions(field: FieldDescriptorProto, proto2: boolean): string {
  const options: string[] = [];
  if (proto2 && field.defaultValue !== '') {
    options.push(`default = ${field.type === Type.STRING || field.type === Type.BYTES ? quote(field.defaultValue) : field.defaultValue}`);
  }
  if (field.options !== undefined && isFieldSet(field.options, FieldOptionsSchema.field.packed)) options.push(`packed = ${String(field.options.packed)}`);
  if (field.options?.deprecated === true) options.push('deprecated = true');
  return options.length === 0 ? '' : ` [${options.join(', ')}]`;
}

function printField(field: FieldDescriptorProto, message: DescriptorProto, proto2: boolean, inOneof: boolean): string {
  if (field.type === Type.GROUP) throw new ProtoSchemaError(`field ${field.name}: proto2 groups cannot be printed as .proto text`);
  const mapEntry = field.label === Label.REPEATED && field.type === Type.MESSAGE ? mapEntryOf(field, message) : undefined;
  if (mapEntry !== undefined) {
    const [key, value] = mapEntry.field;
    return `map<${typeOf(key!)}, ${typeOf(value!)}> ${field.name} = ${field.number}${fieldOptions(field, proto2)};`;
  }
  let label = '';
  if (!inOneof) {
    if (field.label === Label.REPEATED) label = 'repeated ';
    else if (field.label === Label.REQUIRED) label = 'required ';
    else if (proto2 || field.proto3Optional) label = 'optional ';
  }
  return `${label}${typeOf(field)} ${field.name} = ${field.number}${fieldOptions(field, proto2)};`;
}

function mapEntryOf(field: FieldDescriptorProto, message: DescriptorProto): DescriptorProto | undefined {
  const simpleName = field.typeName.slice(field.typeName.lastIndexOf('.') + 1);
  const nested = message.nestedType.find((type) => type.name === simpleName);
  return nested?.options?.mapEntry === true ? nested : undefined;
}

function printMessage(desc: DescriptorProto, proto2: boolean, pad: string): string[] {
  const inner = `${pad}  `;
  const lines = [`${pad}message ${desc.name} {`];
  for (const nested of desc.nestedType) if (nested.options?.mapEntry !== true) lines.push(...printMessage(nested, proto2, inner));
  for (const nested of desc.enumType) lines.push(...printEnum(nested, inner));
  const printedOneofs = new Set<number>();
  for (const field of desc.field) {
    const oneof = field.oneofIndex;
    if (!isFieldSet(field, FieldDescriptorProtoSchema.field.oneofIndex) || field.proto3Optional) {
      lines.push(`${inner}${printField(field, desc, proto2, false)}`);
      continue;
    }
    if (printedOneofs.has(oneof)) continue;
    printedOneofs.add(oneof);
    lines.push(`${inner}oneof ${desc.oneofDecl[oneof]?.name ?? `oneof_${oneof}`} {`);
    for (const member of desc.field) {
      if (isFieldSet(member, FieldDescriptorProtoSchema.field.oneofIndex) && member.oneofIndex === oneof && !member.proto3Optional) lines.push(`${inner}  ${printField(member, desc, proto2, true)}`);
    }
    lines.push(`${inner}}`);
  }
  lines.push(...reserved(desc.reservedRange, desc.reservedName, true, inner));
  if (desc.extension.length > 0) throw new ProtoSchemaError(`message ${desc.name}: extensions cannot be printed as .proto text`);
  lines.push(`${pad}}`);
  return lines;
}

function printService(desc: ServiceDescriptorProto): string[] {
  return [
    `service ${desc.name} {`,
    ...desc.method.map(
      (method) =>
        `  rpc ${method.name}(${method.clientStreaming ? 'stream ' : ''}${method.inputType}) returns (${method.serverStreaming ? 'stream ' : ''}${method.outputType});`,
    ),
    '}',
  ];
}

/**
 * Prints a file descriptor as `.proto` source: what Confluent-compatible registries (Apicurio
 * among them) parse, compare for compatibility and hand to consumers in other languages.
 * Type references are fully qualified (`.pkg.Message`), so no name resolution is needed.
 * Proto2 groups, extensions and editions files are refused with a `ProtoSchemaError`.
 */
export function printProto(file: FileDescriptorProto): string {
  if (file.syntax === 'editions') throw new ProtoSchemaError(`${file.name}: editions files cannot be printed as .proto text; use schemaFormat: 'serialized'`);
  if (file.extension.length > 0) throw new ProtoSchemaError(`${file.name}: extensions cannot be printed as .proto text; use schemaFormat: 'serialized'`);
  const proto2 = file.syntax !== 'proto3';
  const lines = [`syntax = "${proto2 ? 'proto2' : 'proto3'}";`, ''];
  if (file.package !== '') lines.push(`package ${file.package};`, '');
  const publicDeps = new Set(file.publicDependency);
  const weakDeps = new Set(file.weakDependency);
  file.dependency.forEach((dep, i) => lines.push(`import ${publicDeps.has(i) ? 'public ' : weakDeps.has(i) ? 'weak ' : ''}${quote(dep)};`));
  if (file.dependency.length > 0) lines.push('');
  for (const message of file.messageType) lines.push(...printMessage(message, proto2, ''), '');
  for (const enumType of file.enumType) lines.push(...printEnum(enumType, ''), '');
  for (const service of file.service) lines.push(...printService(service), '');
  return `${lines.join('\n').trimEnd()}\n`;
}
