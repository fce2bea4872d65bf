/**
 * Real collector processes for the tests that need one: the built bin, on loopback, killed hard
 * or stopped cleanly by the test that started it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/vitrine-collector.js', import.meta.url));

export function buildCollector(): void {
  const r = spawnSync('npm', ['run', '--silent', 'build', '-w', 'vitrine-collector'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the collector failed');
}

export interface CollectorProcess {
  child: ChildProcess;
  url: string;
  ingestUrl: string;
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
}

export async function startCollectorProcess(args: string[], env: Record<string, string> = {}): Promise<CollectorProcess> {
  const child = spawn(process.execPath, [BIN, '--port', '0', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const ingestUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start:\n${out}`)), 20_000);
    const check = () => {
      const m = /ingest:\s+(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited (${code}) before listening:\n${out}`));
    });
  });
  return { child, ingestUrl, url: ingestUrl.replace(/\/v1\/reports$/, ''), output: () => out, exited };
}

export async function stop(p: CollectorProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  await p.exited;
}

export function runCli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 });
}
