import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from './run';
import type { WorkspacePackage } from './workspace-packages';

/** How an app resolves modules: an ES module app, a CommonJS app, or a bundler's resolution. */
export type AppKind = 'esm' | 'cjs' | 'bundler';

const fixtures = join(__dirname, '..', 'fixtures');

/** The TypeScript compilers the apps are checked with: 5.9 and 7.x (the native port). */
export const TOOLS = ['typescript@~5.9.3', 'typescript7@npm:typescript@^7.0.2', '@arethetypeswrong/cli@^0.18.5', 'publint@^0.3.25'];

/** What the README tells users to install next to the packages. */
const APP_DEPENDENCIES = ['@types/node@^20', '@bufbuild/protobuf@^2', 'zod@^4', 'reflect-metadata@^0.2', 'tsyringe@^4'];

const COMPILER_OPTIONS: Record<AppKind, Record<string, unknown>> = {
  esm: { module: 'nodenext', moduleResolution: 'nodenext' },
  cjs: { module: 'node16', moduleResolution: 'node16' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
};

/** `npm install` without the noise; every app and the tools install this way. */
export function npmInstall(dir: string, specs: readonly string[]): void {
  runOk('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], dir);
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** The base64 descriptor of the example's UserCreated file, from its generated code. */
function userCreatedDescriptor(root: string): string {
  const generated = readFileSync(join(root, 'proto/src/gen/cqrs/example/v1/user_created_pb.ts'), 'utf8');
  const found = /fileDesc\("([^"]+)"/.exec(generated);
  if (found === null) throw new Error('no fileDesc in user_created_pb.ts');
  return found[1]!;
}

/** One file per module system that imports every public entry and prints its export names. */
function entriesScripts(entries: readonly string[]): { mjs: string; cjs: string } {
  const list = JSON.stringify(entries);
  return {
    mjs: `const names = {};\nfor (const entry of ${list}) names[entry] = Object.keys(await import(entry)).sort();\nconsole.log(JSON.stringify(names));\n`,
    cjs: `const names = {};\nfor (const entry of ${list}) names[entry] = Object.keys(require(entry)).sort();\nconsole.log(JSON.stringify(names));\n`,
  };
}

/**
 * Creates an app of `kind` in `dir` (outside the workspace), installs the tarballs and what the
 * README asks for with npm, and writes its sources: `src/check.ts` and an import of every entry
 * for `tsc`, `flow.mjs`/`flow.cjs` and `entries.mjs`/`entries.cjs` for node.
 */
export function createApp(root: string, dir: string, kind: AppKind, tarballs: readonly string[], packages: readonly WorkspacePackage[]): void {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeJson(join(dir, 'package.json'), { name: `cqrs-packaging-${kind}`, version: '1.0.0', private: true, type: kind === 'cjs' ? 'commonjs' : 'module' });
  writeJson(join(dir, 'tsconfig.json'), {
    compilerOptions: { ...COMPILER_OPTIONS[kind], target: 'es2022', lib: ['es2022'], types: ['node'], strict: true, skipLibCheck: false, noEmit: true, isolatedModules: true },
    include: ['src'],
  });
  npmInstall(dir, [...tarballs, ...APP_DEPENDENCIES]);
  copyFileSync(join(root, 'proto/src/gen/cqrs/example/v1/user_created_pb.ts'), join(dir, 'src', 'user_created_pb.ts'));
  copyFileSync(join(fixtures, 'check.ts'), join(dir, 'src', 'check.ts'));
  const entries = packages.flatMap((pkg) => pkg.entries);
  writeFileSync(join(dir, 'src', 'entries.ts'), entries.map((entry, index) => `import * as entry${index} from '${entry}';\n`).join('') + `export const all = [${entries.map((_, index) => `entry${index}`).join(', ')}];\n`);
  const descriptor = userCreatedDescriptor(root);
  for (const file of ['flow.mjs', 'flow.cjs', 'confluent.mjs']) writeFileSync(join(dir, file), readFileSync(join(fixtures, file), 'utf8').replace('USER_CREATED_FILE', descriptor));
  const scripts = entriesScripts(entries);
  writeFileSync(join(dir, 'entries.mjs'), scripts.mjs);
  writeFileSync(join(dir, 'entries.cjs'), scripts.cjs);
}
