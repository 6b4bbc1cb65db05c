/**
 * Test helper: makes sure a pcscd with the vpcd driver is running, reusing a daemon already there.
 *
 * pcsc-lite 1.9.9's daemon has no custom socket path (only the client library reads PCSCLITE_CSOCK_NAME), so tests
 * share the system socket /run/pcscd/pcscd.comm: reuse a live daemon, otherwise start `pcscd -f` as root and stop
 * only that process (by its pid) at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';

/** Where pcscd listens. */
export const PCSCD_SOCKET = process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';
const PCSCD_BINARIES = ['/usr/sbin/pcscd', '/usr/bin/pcscd'];
const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';

/** A usable daemon, or the reason tests cannot run. */
export type PcscdHandle =
  { available: true; startedByUs: boolean; stop(): Promise<void> } | { available: false; reason: string };

/** True when something accepts connections on the socket. */
export function socketAlive(path = PCSCD_SOCKET, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ path });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/** True when a reader.conf.d entry loads the vpcd driver. */
function vpcdConfigured(): boolean {
  const dir = '/etc/reader.conf.d';
  if (!existsSync(VPCD_DRIVER) || !existsSync(dir)) {
    return false;
  }
  return readdirSync(dir).some((file) => readFileSync(`${dir}/${file}`, 'utf8').includes('libifdvpcd'));
}

/** Starts (or reuses) pcscd. Never throws for a missing setup: returns the reason instead. */
export async function ensurePcscd(): Promise<PcscdHandle> {
  if (!vpcdConfigured()) {
    return { available: false, reason: 'vsmartcard-vpcd is not installed (apt-get install vsmartcard-vpcd pcscd)' };
  }
  if (await socketAlive()) {
    return { available: true, startedByUs: false, stop: () => Promise.resolve() };
  }
  const binary = PCSCD_BINARIES.find((candidate) => existsSync(candidate));
  if (!binary) {
    return { available: false, reason: 'pcscd is not installed (apt-get install pcscd)' };
  }
  if (process.getuid?.() !== 0) {
    return { available: false, reason: 'pcscd is not running and only root can start it (sudo systemctl start pcscd)' };
  }
  // A daemon stopped just before may still be removing its pid file: a new one then exits at once. Bounded retries.
  let child: ChildProcess | undefined;
  let lastReason = 'pcscd did not start';
  for (let attempt = 0; attempt < 3 && !child; attempt += 1) {
    const candidate = spawn(binary, ['-f'], { stdio: 'ignore' });
    if (await waitForSocket(candidate)) {
      child = candidate;
    } else {
      lastReason =
        candidate.exitCode === null
          ? 'pcscd did not open its socket within 10 s'
          : `pcscd exited with code ${candidate.exitCode}`;
      await stopChild(candidate);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  if (!child) {
    return { available: false, reason: lastReason };
  }
  const started = child;
  return {
    available: true,
    startedByUs: true,
    stop: () => stopChild(started),
  };
}

/** Waits (bounded: 100 × 100 ms) for the socket of a freshly spawned daemon; false if it exits or never listens. */
async function waitForSocket(child: ChildProcess): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) {
      return false;
    }
    if (await socketAlive()) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Stops a daemon we started (by its pid): SIGTERM, then SIGKILL if it is still there after 8 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    return;
  }
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const within = (ms: number) =>
    Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) =>
        setTimeout(() => {
          resolve(false);
        }, ms),
      ),
    ]);
  process.kill(child.pid, 'SIGTERM');
  if (!(await within(8000))) {
    process.kill(child.pid, 'SIGKILL');
    await within(2000);
  }
}

/** True when dpkg reports the package installed (false off Debian, where dpkg-query is missing). */
function dpkgInstalled(name: string): boolean {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

/** Why pcscd-based tests must run on this machine, or null when skipping them is allowed. */
export function pcscdRequiredBecause(
  env: Readonly<Record<string, string | undefined>> = process.env,
  installed: (pkg: string) => boolean = dpkgInstalled,
): string | null {
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') {
    return 'CI is set';
  }
  if (installed('pcscd') && installed('vsmartcard-vpcd')) {
    return 'the Debian packages pcscd and vsmartcard-vpcd are installed';
  }
  return null;
}

/** How a pcscd-based suite runs: `skip` only when pcscd is unusable and nothing requires it; else `check` fails. */
export type PcscdGate = { skip: boolean; check: () => void };

/**
 * Decides a pcscd-based suite's fate: run when pcscd is usable; when it is not, skip (saying why on stderr) on a
 * developer machine without the packages, but fail loudly — from the suite's first `beforeAll(gate.check)` — under CI
 * or when the Debian packages are installed, so a broken setup never passes as "skipped".
 */
export function pcscdGate(
  handle: PcscdHandle,
  label: string,
  required: string | null = handle.available ? null : pcscdRequiredBecause(),
): PcscdGate {
  if (handle.available) {
    return { skip: false, check: () => undefined };
  }
  if (required === null) {
    process.stderr.write(`[${label}] skipped: ${handle.reason}\n`);
    return { skip: true, check: () => undefined };
  }
  return {
    skip: false,
    check: () => {
      throw new Error(`[${label}] pcscd and vpcd are required (${required}) but unusable: ${handle.reason}`);
    },
  };
}
