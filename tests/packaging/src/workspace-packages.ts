import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A published package of the workspace, read from its manifest. */
export interface WorkspacePackage {
  readonly name: string;
  readonly dir: string;
  /** Import specifiers of every `exports` subpath but `./package.json`: `@cqrs/core`, `@cqrs/core/transport`. */
  readonly entries: readonly string[];
  readonly peerDependencies: Readonly<Record<string, string>>;
  /** Optional peers (`peerDependenciesMeta`), which the apps do not install. */
  readonly optionalPeers: readonly string[];
  readonly bin: Readonly<Record<string, string>>;
}

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly exports?: Record<string, unknown>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly bin?: Record<string, string>;
}

/** The directories pnpm-workspace.yaml lists under `packages:` (`dir/*` globs and plain paths). */
function workspaceDirs(root: string): string[] {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const section = /^packages:\s*\n((?:[ \t]+-.*\n?)+)/m.exec(yaml)?.[1] ?? '';
  const globs = [...section.matchAll(/^\s+-\s+["']?([^"'\s]+)["']?\s*$/gm)].map((match) => match[1]!);
  return globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [join(root, glob)];
    const parent = join(root, glob.slice(0, -2));
    return existsSync(parent) ? readdirSync(parent, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => join(parent, entry.name)) : [];
  });
}

/** Every non-private package of the workspace with an `exports` map, found from the manifests. */
export function workspacePackages(root: string): WorkspacePackage[] {
  return workspaceDirs(root)
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest }))
    .filter(({ manifest }) => manifest.private !== true && manifest.exports !== undefined)
    .map(({ dir, manifest }) => ({
      name: manifest.name,
      dir,
      entries: Object.keys(manifest.exports!)
        .filter((subpath) => subpath !== './package.json' && !subpath.includes('*'))
        .map((subpath) => (subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`)),
      peerDependencies: manifest.peerDependencies ?? {},
      optionalPeers: Object.entries(manifest.peerDependenciesMeta ?? {})
        .filter(([, meta]) => meta.optional === true)
        .map(([name]) => name),
      bin: manifest.bin ?? {},
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
