#!/usr/bin/env node
// Browser tests use Debian's Chromium, never a downloaded browser. When it is missing, install it
// if we can (root + apt-get); otherwise stop with one line saying what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt) {
  console.error(`vitrine: browser tests need Chromium at ${path}: install Debian's "chromium" package (sudo apt-get install chromium) or set CHROMIUM_PATH.`);
  process.exit(1);
}
console.log(`vitrine: ${path} not found; installing Debian's chromium (apt-get)…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
} catch {
  console.error(`vitrine: installing chromium with apt-get failed; install it by hand (apt-get install chromium) or set CHROMIUM_PATH.`);
  process.exit(1);
}
if (!existsSync(path)) {
  console.error(`vitrine: chromium installed but ${path} is still missing; set CHROMIUM_PATH.`);
  process.exit(1);
}
