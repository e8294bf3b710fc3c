import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, npmInstall, TOOLS, type AppKind } from './apps';
import { run, runOk } from './run';
import { workspacePackages } from './workspace-packages';

// Installs the packages as users do: `pnpm pack` each, `npm install` the tarballs into apps in
// a temp dir outside the workspace, then compile, run, attw and publint. Needs `turbo run build`
// first (scripts/test-all does it) and the npm registry for the apps' third-party dependencies.
const root = join(__dirname, '..', '..', '..');
const packages = workspacePackages(root);
const work = mkdtempSync(join(tmpdir(), 'cqrs-packaging-'));
const tools = join(work, 'tools');
const tarballDir = join(work, 'tarballs');
const kinds: AppKind[] = ['esm', 'cjs', 'bundler'];
const compilers = [
  ['TypeScript 5.9', join(tools, 'node_modules', 'typescript', 'bin', 'tsc')],
  ['TypeScript 7', join(tools, 'node_modules', 'typescript7', 'bin', 'tsc')],
] as const;
const tarballs = new Map<string, string>();
const SETUP_MS = 15 * 60_000;

function appDir(kind: AppKind): string {
  return join(work, `app-${kind}`);
}

beforeAll(() => {
  mkdirSync(tools, { recursive: true });
  mkdirSync(tarballDir, { recursive: true });
  runOk('npm', ['init', '-y'], tools);
  npmInstall(tools, TOOLS);
  for (const pkg of packages) {
    const before = new Set(readdirSync(tarballDir));
    runOk('pnpm', ['pack', '--pack-destination', tarballDir], pkg.dir);
    const made = readdirSync(tarballDir).find((file) => !before.has(file));
    if (made === undefined) throw new Error(`pnpm pack made no tarball for ${pkg.name}`);
    tarballs.set(pkg.name, join(tarballDir, made));
  }
  for (const kind of kinds) createApp(root, appDir(kind), kind, [...tarballs.values()], packages);
}, SETUP_MS);

afterAll(() => {
  if (process.env.KEEP_PACKAGING_APPS === undefined) rmSync(work, { recursive: true, force: true });
});

test('finds the published packages and their entries in the manifests', () => {
  expect(packages.map((pkg) => pkg.name)).toEqual(expect.arrayContaining(['@cqrs/core', '@cqrs/kafka', '@cqrs/protobuf', '@cqrs/rabbitmq']));
  expect(packages.find((pkg) => pkg.name === '@cqrs/protobuf')?.entries).toContain('@cqrs/protobuf/confluent');
});

describe.each(packages.map((pkg) => [pkg.name, pkg] as const))('%s tarball', (name) => {
  test('has a manifest without scripts or devDependencies, and engines node >=20', () => {
    const manifest = JSON.parse(runOk('tar', ['-xOzf', tarballs.get(name)!, 'package/package.json'], work)) as Record<string, unknown>;
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.engines).toEqual({ node: '>=20' });
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
  });

  test('attw finds no problem in any resolution mode', () => {
    const result = run(join(tools, 'node_modules', '.bin', 'attw'), ['--format', 'ascii', tarballs.get(name)!], work);
    console.log(`attw ${name}\n${result.stdout}${result.stderr}`);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('No problems found');
  });

  test('publint reports no error, warning or suggestion', () => {
    const result = run(join(tools, 'node_modules', '.bin', 'publint'), ['--strict', tarballs.get(name)!], work);
    console.log(`publint ${name}\n${result.stdout}${result.stderr}`);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('All good!');
  });
});

describe.each(kinds)('the %s app', (kind) => {
  test.each(compilers)('compiles with %s: strict, skipLibCheck false', (_label, tsc) => {
    const result = run(process.execPath, [tsc, '-p', 'tsconfig.json'], appDir(kind));
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });

  test('imports every entry, with the same names from ESM and CommonJS', () => {
    const esm = JSON.parse(runOk(process.execPath, ['entries.mjs'], appDir(kind))) as Record<string, string[]>;
    const cjs = JSON.parse(runOk(process.execPath, ['entries.cjs'], appDir(kind))) as Record<string, string[]>;
    expect(Object.keys(esm)).toEqual(packages.flatMap((pkg) => pkg.entries));
    for (const names of Object.values(esm)) expect(names.length).toBeGreaterThan(0);
    expect(cjs).toEqual(esm);
  });

  test.each(['flow.mjs', 'flow.cjs'])('runs %s: command → event → broker → consumer → handler, Protobuf through the registry', (file) => {
    const out = JSON.parse(runOk(process.execPath, [file], appDir(kind)).trim()) as { id: string; eventName: string; payload: { email: string }; schemaId: number };
    expect(out).toEqual({ id: '123', eventName: 'user_created', payload: { userId: '123', email: 'user@example.com', name: 'John Doe' }, schemaId: 1 });
  });
});

test('the bins run from the installed package', () => {
  for (const pkg of packages) {
    for (const bin of Object.keys(pkg.bin)) {
      const result = run(join(appDir('esm'), 'node_modules', '.bin', bin), ['--help'], appDir('esm'));
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(`Usage: ${bin}`);
      expect(result.status).toBe(0);
    }
  }
});

test('@cqrs/core + @cqrs/protobuf install in at most 15 MB and 20 packages', () => {
  const dir = join(work, 'app-footprint');
  mkdirSync(dir);
  runOk('npm', ['init', '-y'], dir);
  npmInstall(dir, [tarballs.get('@cqrs/core')!, tarballs.get('@cqrs/protobuf')!]);
  const du = runOk('du', ['-sk', 'node_modules'], dir);
  const kilobytes = Number(du.split(/\s/)[0]);
  const lines = runOk('npm', ['ls', '--all', '--parseable'], dir).trim().split('\n');
  // The first line is the app itself.
  const count = lines.length - 1;
  console.log(`footprint of @cqrs/core + @cqrs/protobuf: du -sh node_modules = ${runOk('du', ['-sh', 'node_modules'], dir).split(/\s/)[0]}, npm ls --all --parseable | wc -l = ${lines.length} (${count} packages)`);
  expect(kilobytes).toBeLessThanOrEqual(15 * 1024);
  expect(count).toBeLessThanOrEqual(20);
}, 5 * 60_000);

test('with the optional peers installed, the declarations still compile and @cqrs/protobuf/confluent runs', () => {
  const dir = appDir('esm');
  const optional = [...new Set(packages.flatMap((pkg) => pkg.optionalPeers.map((peer) => `${peer}@${pkg.peerDependencies[peer] ?? 'latest'}`)))];
  npmInstall(dir, optional);
  for (const [, tsc] of compilers) {
    const result = run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir);
    expect(`${result.stdout}${result.stderr}`).toBe('');
  }
  expect(JSON.parse(runOk(process.execPath, ['confluent.mjs'], dir).trim())).toEqual({ schemaId: 1, latestId: 1, version: 1 });
}, 10 * 60_000);

test('with pg installed, pg.Pool fits @cqrs/postgres, and the outbox runs from the installed package on PostgreSQL, ESM and CommonJS', () => {
  const dir = appDir('esm');
  const fixtures = join(__dirname, '..', 'fixtures');
  npmInstall(dir, [`pg@${packages.find((pkg) => pkg.name === '@cqrs/postgres')?.peerDependencies.pg ?? 'latest'}`, '@types/pg@^8']);
  copyFileSync(join(fixtures, 'outbox-check.ts'), join(dir, 'src', 'outbox-check.ts'));
  for (const [, tsc] of compilers) {
    const result = run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir);
    expect(`${result.stdout}${result.stderr}`).toBe('');
  }
  for (const file of ['outbox.mjs', 'outbox.cjs']) {
    copyFileSync(join(fixtures, file), join(dir, file));
    const out = JSON.parse(runOk(process.execPath, [file], dir).trim()) as Record<string, unknown>;
    expect(out).toEqual({ applied: ['0001_outbox', '0002_inbox', '0003_byte_order_ids', '0004_hashed_event_ids', '0005_parked_index'], published: 1, key: 'c-1', sameId: true, payload: { orderId: 'o-1' } });
  }
}, 5 * 60_000);
