import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The simulated backend's base URLs, as demo/backend/serve.ts prints them. */
export type BackendUrls = Record<'api' | 'cdn' | 'origin' | 'collector' | 'site', string>;

/**
 * Starts demo/backend/serve.ts in its own process (so its CPU is measured apart from the clients'),
 * with `args` added, and resolves with its URLs once it prints them.
 */
export async function startBackendProcess(args: readonly string[] = []): Promise<{ child: ChildProcess; urls: BackendUrls }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'demo/backend/serve.ts'), ...args, '--catalog-size', '300'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const urls = await new Promise<BackendUrls>((done, fail) => {
    const timer = setTimeout(() => fail(new Error('bench: the backend did not print its URLs within 30 s')), 30_000);
    child.once('exit', (code) => fail(new Error(`bench: the backend exited early (code ${code})`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      done(JSON.parse(line) as BackendUrls);
    });
  });
  return { child, urls };
}
