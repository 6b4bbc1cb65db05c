/**
 * `psc-assistant tenant`: signs in with the device code flow, reads the tenant overview with the read-only audit
 * scopes and prints it. Reuses the app's identity wiring, so the CLI signs in exactly as the app's device-code
 * fallback does; `--demo` runs against the in-process demo cloud and approves the code as the demo administrator.
 */
import { dirname, join } from 'node:path';
import type { TenantOverview } from '../../shared/contract/account';
import type { EventPayload } from '../../shared/contract/events';
import { AppError } from '../../shared/errors';
import { startDemoCloud } from '../app/demo-cloud';
import type { DemoCloud } from '../app/demo-cloud';
import { createEventBus } from '../app/event-bus';
import { wireIdentity } from '../app/identity-wiring';
import { defaultDbPath } from '../services/store/paths';
import { errorText } from './messages';
import { readOnlySettings, readSavedSettings } from './settings-reader';
import { parseTenantArgs, TENANT_USAGE, TenantUsageError } from './tenant-args';
import type { TenantArgs } from './tenant-args';
import { renderOverview } from './tenant-render';

/** Where the tenant command writes; `signal` aborts (Ctrl-C) a pending sign-in. */
export type TenantIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
};

/** Exit codes: 0 overview printed, 1 usage, 2 sign-in or read failed, 130 cancelled (Ctrl-C, as a shell reports it). */
export const TENANT_EXIT = { ok: 0, usage: 1, failed: 2, cancelled: 130 } as const;

class Interrupted extends Error {}

/** Resolves with `work`, or rejects with `Interrupted` as soon as the signal aborts. */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) {
    return work;
  }
  work.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(new Interrupted());
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}

/** Live mode's client ID: `--client-id`, else the app's saved settings (the same file the app writes). */
async function liveSettings(args: TenantArgs, dataDir: string, io: TenantIo) {
  const saved = await readSavedSettings(join(dataDir, 'settings.json'));
  if (saved.problem !== undefined && args.clientId === undefined) {
    io.stderr(`Paramètres de l'application ${saved.problem === 'invalid' ? 'invalides' : 'illisibles'} : ignorés.\n`);
  }
  const clientId = args.clientId ?? saved.settings.clientId;
  return readOnlySettings({ ...saved.settings, ...(clientId === undefined ? {} : { clientId }) });
}

async function signInAndRead(
  args: TenantArgs,
  io: TenantIo,
  cleanups: (() => Promise<void>)[],
): Promise<TenantOverview> {
  const liveDir = dirname(defaultDbPath(io.env ?? process.env));
  const dataDir = args.demo ? join(dirname(liveDir), 'demo') : liveDir;
  const settings = args.demo
    ? readOnlySettings({ language: 'fr', theme: 'system' })
    : await liveSettings(args, dataDir, io);
  if (!args.demo && (await settings.get()).clientId === undefined) {
    throw new AppError('identity.client-id-missing');
  }
  let demo: DemoCloud | undefined;
  if (args.demo) {
    const started = startDemoCloud();
    cleanups.push(async () => {
      await (await started).close();
    });
    demo = await unlessAborted(started, io.signal);
  }
  const bus = createEventBus(() => undefined);
  const identity = wireIdentity({
    mode: args.demo ? 'demo' : 'live',
    dataDir,
    bus,
    settings,
    // The device code flow never opens a browser; the wiring only needs to know there is none here.
    hooks: { openExternal: () => Promise.reject(new AppError('identity.no-browser')) },
    ...(demo === undefined ? {} : { demoCloud: Promise.resolve(demo) }),
  });
  cleanups.push(() => identity.close());
  const unsubscribe = bus.subscribe((event, payload) => {
    if (event !== 'account:device-code') {
      return;
    }
    // The bus parsed the payload against this event's schema before fanning it out.
    const prompt = payload as EventPayload<'account:device-code'>;
    const minutes = Math.max(1, Math.round(prompt.expiresInSeconds / 60));
    io.stderr(
      `Pour vous connecter, ouvrez ${prompt.verificationUri} et saisissez le code ${prompt.userCode} (valable ${String(minutes)} min).\n`,
    );
    if (demo !== undefined && io.signal?.aborted !== true) {
      // Demo: the administrator of clinique-demo "types" the code, as a person would on another device.
      demo.authority.approveDeviceCode(prompt.userCode, demo.userPrincipalName);
      io.stderr(`Démonstration : code approuvé automatiquement pour ${demo.userPrincipalName}.\n`);
    }
  });
  const onAbort = () => {
    void identity.handlers['account:cancel-sign-in'](undefined).catch(() => undefined);
  };
  io.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const tenant = args.tenant ?? demo?.tenantDomain ?? 'organizations';
    const state = await unlessAborted(
      identity.handlers['account:sign-in']({ tenant, access: 'read', method: 'device-code' }),
      io.signal,
    );
    if (state.active !== null) {
      io.stderr(`Connecté : ${state.active.username}\n`);
    }
    try {
      return await unlessAborted(identity.handlers['tenant:get-overview'](undefined), io.signal);
    } catch (error) {
      throw error instanceof Interrupted ? new Interrupted('read') : error;
    }
  } finally {
    io.signal?.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}

/** Run `tenant …`; resolves to the exit code, never throws. */
export async function runTenant(argv: readonly string[], io: TenantIo): Promise<number> {
  let args: TenantArgs;
  try {
    args = parseTenantArgs(argv);
  } catch (error) {
    if (error instanceof TenantUsageError) {
      io.stderr(`${error.message}\n\n${TENANT_USAGE}`);
      return TENANT_EXIT.usage;
    }
    throw error;
  }
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const overview = await signInAndRead(args, io, cleanups);
    io.stdout(args.format === 'json' ? `${JSON.stringify(overview, null, 2)}\n` : renderOverview(overview));
    return TENANT_EXIT.ok;
  } catch (error) {
    const cancelled =
      error instanceof Interrupted || (error instanceof AppError && error.code === 'identity.cancelled');
    if (cancelled) {
      io.stderr(
        error instanceof Interrupted && error.message === 'read' ? 'Lecture interrompue.\n' : 'Connexion annulée.\n',
      );
      return TENANT_EXIT.cancelled;
    }
    io.stderr(`${errorText(error)}\n`);
    if (error instanceof AppError && error.code === 'identity.client-id-missing') {
      io.stderr('Ou passez-le en option : --client-id <identifiant>.\n');
    }
    return TENANT_EXIT.failed;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch(() => undefined);
    }
  }
}
