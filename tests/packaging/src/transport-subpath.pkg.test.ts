import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const here = join(__dirname, '..');

/** Runs a snippet in a fresh node process from this package, so resolution uses node_modules and `exports`. */
function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: here, encoding: 'utf8' }).trim();
}

// `./transport` is a second entry point of the same build: a class reached through it and
// through `.` must be one class, in ESM and in CJS, or `instanceof` breaks between them.
const snippet = (load: string): string => `${load}
const lifecycle = new transport.ConsumerLifecycle({ name: 'x', logger: core.silentLogger, handleSignals: false }, { open: async () => {}, close: async () => {} });
lifecycle.start().then(() => {
  try { lifecycle.assertCanSubscribe(); } catch (error) { console.log(error instanceof core.ConsumerStateError); }
});`;

describe.each(['@cqrs/core', '@cqrs/kafka', '@cqrs/rabbitmq'])('%s/transport', (name) => {
  test('loads with require and import, exposing the same names', () => {
    const cjs = run(['-e', `console.log(Object.keys(require('${name}/transport')).sort().join(','))`]);
    const esm = run(['--input-type=module', '-e', `const m = await import('${name}/transport'); console.log(Object.keys(m).sort().join(','))`]);
    expect(cjs.length).toBeGreaterThan(0);
    expect(esm).toBe(cjs);
  });
});

test('@cqrs/core and @cqrs/core/transport share their classes, in CJS and in ESM', () => {
  expect(run(['-e', snippet("const core = require('@cqrs/core'); const transport = require('@cqrs/core/transport');")])).toBe('true');
  expect(run(['--input-type=module', '-e', snippet("const core = await import('@cqrs/core'); const transport = await import('@cqrs/core/transport');")])).toBe('true');
});
