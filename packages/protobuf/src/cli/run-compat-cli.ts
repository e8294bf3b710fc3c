import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { redactUrl } from '@cqrs/core';
import { checkCompatibility } from '../compat/check-compatibility';
import type { SchemaReference } from '../registry/schema-registry';
import { resolveRegistryUrl, type SchemaRegistryConfig } from '../registry/schema-registry-config';

const USAGE = `Usage: cqrs-proto-compat --subject <subject> [options] <file.proto>

Checks a .proto file against the latest version of a subject in a Confluent-compatible schema
registry (POST /compatibility/subjects/<subject>/versions/latest) and exits 1 when the registry
says it is incompatible, 2 on usage or connection errors, 0 when compatible.

Options:
  --subject, -s <name>     subject to check against, e.g. user_events_proto-value
  --topic, -t <topic>      shorthand for --subject <topic>-value
  --url <url>              registry URL (default: $KAFKA_SCHEMA_REGISTRY_URL or http://localhost:8085)
  --reference <name=subject:version>
                           a schema reference for an import (repeatable)
  --user <user:password>   basic auth (default: $SCHEMA_REGISTRY_USER_INFO)
  --token <token>          bearer token (default: $SCHEMA_REGISTRY_TOKEN)
  --help, -h               this text`;

/** What the command line asks for. */
export interface CompatCliArgs {
  readonly file: string;
  readonly subject: string;
  readonly registry: SchemaRegistryConfig;
  readonly references: SchemaReference[];
}

function parseReference(text: string): SchemaReference {
  const match = /^([^=]+)=(.+):(\d+)$/.exec(text);
  if (match === null) throw new Error(`--reference ${text}: expected name=subject:version`);
  return { name: match[1]!, subject: match[2]!, version: Number(match[3]) };
}

/** Parses the arguments; throws with a message for the user when they are wrong. */
export function parseCompatArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CompatCliArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      subject: { type: 'string', short: 's' },
      topic: { type: 'string', short: 't' },
      url: { type: 'string' },
      reference: { type: 'string', multiple: true },
      user: { type: 'string' },
      token: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new Error('expected exactly one .proto file');
  const subject = values.subject ?? (values.topic === undefined ? undefined : `${values.topic}-value`);
  if (subject === undefined) throw new Error('--subject or --topic is required');
  const userInfo = values.user ?? env.SCHEMA_REGISTRY_USER_INFO;
  const token = values.token ?? env.SCHEMA_REGISTRY_TOKEN;
  const separator = userInfo?.indexOf(':') ?? -1;
  if (userInfo !== undefined && separator < 0) throw new Error('--user: expected user:password');
  const registry: SchemaRegistryConfig = {
    url: resolveRegistryUrl({ ...(values.url === undefined ? {} : { url: values.url }) }, env),
    ...(userInfo === undefined ? {} : { basicAuth: { username: userInfo.slice(0, separator), password: userInfo.slice(separator + 1) } }),
    ...(token === undefined || token === '' ? {} : { bearerToken: token }),
    maxRetries: 1,
  };
  return { file, subject, registry, references: (values.reference ?? []).map(parseReference) };
}

/** Runs the command; returns the exit code. `out`/`err` default to the console. */
export async function runCompatCli(argv: readonly string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  let args: CompatCliArgs | 'help';
  try {
    args = parseCompatArgs(argv);
  } catch (error) {
    err(`cqrs-proto-compat: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    out(USAGE);
    return 0;
  }
  try {
    const schema = readFileSync(args.file, 'utf8');
    const report = await checkCompatibility({ registry: args.registry, subject: args.subject, schema, references: args.references });
    const where = redactUrl(args.registry.url ?? '');
    if (report.compatible) {
      out(`compatible: ${args.file} with the latest version of ${report.subject} at ${where}${report.messages.length > 0 ? ` (${report.messages.join('; ')})` : ''}`);
      return 0;
    }
    err(`INCOMPATIBLE: ${args.file} with the latest version of ${report.subject} at ${where}`);
    for (const message of report.messages) err(`  - ${message}`);
    return 1;
  } catch (error) {
    err(`cqrs-proto-compat: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}
