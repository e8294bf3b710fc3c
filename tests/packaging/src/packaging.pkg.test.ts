import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const here = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const packages = Object.keys(manifest.dependencies).filter((name) => name.startsWith('@cqrs/'));

/** Runs a snippet in a fresh node process from this package, so resolution uses node_modules and `exports`. */
function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: here, encoding: 'utf8' }).trim();
}

describe.each(packages)('%s', (name) => {
  const packageDir = join(here, 'node_modules', ...name.split('/'));
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    exports: Record<string, { import: { types: string; default: string }; require: { types: string; default: string } }>;
  };

  test('declares ESM, CJS and type entry points that exist', () => {
    const root = pkg.exports['.'];
    expect(root).toBeDefined();
    for (const file of [root!.import.default, root!.import.types, root!.require.default, root!.require.types]) {
      expect(existsSync(join(packageDir, file))).toBe(true);
    }
  });

  test('the CJS build loads with require and the ESM build with import, exposing the same names', () => {
    const cjs = run(['-e', `console.log(Object.keys(require('${name}')).sort().join(','))`]);
    const esm = run(['--input-type=module', '-e', `const m = await import('${name}'); console.log(Object.keys(m).sort().join(','))`]);
    expect(cjs.length).toBeGreaterThan(0);
    expect(esm).toBe(cjs);
  });
});
