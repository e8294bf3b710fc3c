// Runs tests/interop/python/peer.py in the venv scripts/python-peers made.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '../../..');

/** The venv's python: `PYTHON_PEERS_PYTHON` (what `scripts/python-peers env` exports) or the default place. */
export function peerPython(): string {
  const python = process.env.PYTHON_PEERS_PYTHON ?? join(repo, '.cache/python-peers/bin/python');
  if (!existsSync(python)) throw new Error(`no Python peers at ${python}: run bash scripts/python-peers`);
  return python;
}

/** Runs one peer command with `request` as JSON on stdin; resolves with its JSON answer, rejects with its stderr. */
export function runPeer<T>(command: string, request: unknown, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(peerPython(), [join(repo, 'tests/interop/python/peer.py'), command], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`peer ${command} exited with ${code}:\n${stderr}`));
      else resolvePromise(JSON.parse(stdout) as T);
    });
    child.stdin.end(JSON.stringify(request, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
  });
}
