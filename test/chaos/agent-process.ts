/**
 * One agent worker process seen from the parent: spawn, initialise, run a step list, `kill -9`.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { FromWorker, ToWorker } from './protocol';

/** A running agent worker. */
export type AgentProcess = {
  run(message: Extract<ToWorker, { type: 'run' }>): Promise<Extract<FromWorker, { type: 'done' }> | 'killed'>;
  kill(): void;
  stop(): void;
};

/** Spawn a worker and wait until it is initialised. */
export async function spawnAgent(workerPath: string, init: Extract<ToWorker, { type: 'init' }>): Promise<AgentProcess> {
  const child: ChildProcess = spawn(process.execPath, [workerPath], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let exited = false;
  const exitListeners = new Set<() => void>();
  child.on('exit', () => {
    exited = true;
    for (const listener of exitListeners) {
      listener();
    }
  });
  await new Promise<void>((resolve, reject) => {
    const onExit = () => {
      reject(new Error('worker exited before it was ready'));
    };
    exitListeners.add(onExit);
    child.once('message', (m: FromWorker) => {
      exitListeners.delete(onExit);
      if (m.type === 'ready') {
        resolve();
      } else {
        reject(new Error(`unexpected ${m.type}`));
      }
    });
    child.send(init);
  });
  return {
    run(message) {
      return new Promise((resolve, reject) => {
        if (exited) {
          resolve('killed');
          return;
        }
        const onExit = () => {
          child.off('message', onMessage);
          resolve('killed');
        };
        const onMessage = (m: FromWorker) => {
          if ((m.type === 'done' || m.type === 'error') && m.runId === message.runId) {
            child.off('message', onMessage);
            exitListeners.delete(onExit);
            if (m.type === 'done') {
              resolve(m);
            } else {
              reject(new Error(m.message));
            }
          }
        };
        exitListeners.add(onExit);
        child.on('message', onMessage);
        child.send(message);
      });
    },
    kill() {
      if (!exited) {
        child.kill('SIGKILL');
      }
    },
    stop() {
      if (!exited) {
        child.kill('SIGTERM');
      }
    },
  };
}
