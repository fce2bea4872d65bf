#!/usr/bin/env node
/**
 * The collector's storage tests run against a real PostgreSQL. Makes one reachable at
 * VITRINE_TEST_PG_URL (default postgres://vitrine:vitrine@127.0.0.1:5432/vitrine_test):
 * installs Debian's postgresql when missing (root + apt-get), starts a stopped cluster, creates
 * the role and database. A URL given in the environment is only checked, never set up.
 * Fails (exit 1) with one line saying what to do when it cannot: tests never skip PostgreSQL.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const DEFAULT_URL = 'postgres://vitrine:vitrine@127.0.0.1:5432/vitrine_test';
const url = process.env.VITRINE_TEST_PG_URL ?? DEFAULT_URL;
const given = process.env.VITRINE_TEST_PG_URL !== undefined;
const { hostname, port } = new URL(url);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const quiet = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore', env }).status === 0;
const has = (cmd) => quiet('sh', ['-c', `command -v ${cmd}`]);
const ready = () => quiet('pg_isready', ['-q', '-h', hostname, '-p', port || '5432']);
const fail = (line) => {
  console.error(`vitrine: ${line}`);
  process.exit(1);
};

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!has('pg_isready') || !has('pg_lsclusters')) {
  if (given) fail(`VITRINE_TEST_PG_URL is set but pg_isready is missing; install PostgreSQL's client tools.`);
  if (!isRoot || !has('apt-get')) fail('the collector tests need PostgreSQL: install Debian\'s "postgresql" package or set VITRINE_TEST_PG_URL.');
  console.log("vitrine: PostgreSQL not found; installing Debian's postgresql (apt-get)…");
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], { stdio: 'inherit', env });
  } catch {
    fail('installing postgresql with apt-get failed; install it by hand or set VITRINE_TEST_PG_URL.');
  }
}

if (!ready()) {
  if (given) fail(`no PostgreSQL answers at ${hostname}:${port || 5432} (VITRINE_TEST_PG_URL).`);
  if (!isRoot) fail('PostgreSQL is installed but not running: start it (sudo pg_ctlcluster <version> main start) or set VITRINE_TEST_PG_URL.');
  const clusters = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(/\s+/));
  if (!clusters.length) {
    const versions = existsSync('/usr/lib/postgresql') ? execFileSync('ls', ['/usr/lib/postgresql'], { encoding: 'utf8' }).trim().split('\n') : [];
    const version = versions.sort((a, b) => Number(b) - Number(a))[0];
    if (!version) fail('PostgreSQL has no server binaries under /usr/lib/postgresql.');
    execFileSync('pg_createcluster', [version, 'main'], { stdio: 'inherit', env });
    clusters.push([version, 'main']);
  }
  for (const [version, name] of clusters) spawnSync('pg_ctlcluster', [version, name, 'start'], { stdio: 'inherit', env });
  for (let i = 0; i < 60 && !ready(); i++) spawnSync('sleep', ['0.5']);
  if (!ready()) fail(`PostgreSQL was started but does not answer on ${hostname}:${port || 5432}.`);
}

if (!given) {
  // Role and database for the tests; each test suite makes and drops its own databases inside.
  const psql = (sql) => spawnSync('runuser', ['-u', 'postgres', '--', 'psql', '-qAtX', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8', env });
  const { username, password } = new URL(url);
  const db = new URL(url).pathname.slice(1);
  const role = psql(`SELECT 1 FROM pg_roles WHERE rolname = '${username}'`);
  if (role.status !== 0) {
    if (ready() && !isRoot) process.exit(0); // not ours to set up; the tests will say if it does not work
    fail(`cannot run psql as the postgres user: ${role.stderr.trim()}`);
  }
  if (role.stdout.trim() !== '1') psql(`CREATE ROLE ${username} LOGIN CREATEDB PASSWORD '${password}'`);
  if (psql(`SELECT 1 FROM pg_database WHERE datname = '${db}'`).stdout.trim() !== '1') psql(`CREATE DATABASE ${db} OWNER ${username}`);
}
console.log(`vitrine: PostgreSQL ready at ${hostname}:${port || 5432}`);
