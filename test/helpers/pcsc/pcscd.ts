/**
 * Test helper: makes sure a pcscd with the vpcd driver is running, reusing a daemon already there.
 *
 * pcsc-lite 1.9.9's daemon has no custom socket path (only the client library reads PCSCLITE_CSOCK_NAME), so tests
 * share the system socket /run/pcscd/pcscd.comm: reuse a live daemon, otherwise start `pcscd -f` as root and stop
 * only that process (by its pid) at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
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
  const child: ChildProcess = spawn(binary, ['-f'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  // Bounded wait for the socket: 100 × 100 ms.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await socketAlive()) {
      break;
    }
    if (child.exitCode !== null) {
      return { available: false, reason: `pcscd exited with code ${child.exitCode}` };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!(await socketAlive())) {
    child.kill('SIGTERM');
    return { available: false, reason: 'pcscd did not open its socket within 10 s' };
  }
  return {
    available: true,
    startedByUs: true,
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) {
        process.kill(child.pid, 'SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      }
    },
  };
}
