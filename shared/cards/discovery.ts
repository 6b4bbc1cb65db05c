/**
 * Full PKCS#15 discovery of the authentication certificate: EF.DIR → application → EF.ODF → CDF (+ PrKDF).
 */
import { AppError } from '../errors';
import { SW } from './apdu';
import { cardError, isSwError, protocolError } from './errors';
import { readTlvFile, selectPath, type CardChannel } from './files';
import { parseCdf, parseEfDir, parseOdf, parsePrkdf, type CdfEntry, type DirApplication } from './pkcs15';

/** AID of the "CPX IAS" application listed in EF.DIR (domain.md §3). */
export const CPX_IAS_AID = 'E828BD080F8025000001FF0010';

/** Application DF used when EF.DIR is absent or gives no path. */
export const DEFAULT_APP_PATH = '3F000001';

/** Role a label suggests. */
export type LabelRole = 'authentication' | 'signature' | 'technical' | 'unknown';

/** The authentication certificate entry found by discovery. */
export type DiscoveredCertificate = { path: string; label: string | null };

const MAX_CDFS = 4;
const MAX_PRKDFS = 2;

function normalise(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** Guess a certificate's or key's role from its PKCS#15 label (`Certificat d'Authentification CPS`, `CPS_PRIV_AUT`). */
export function roleFromLabel(label: string | null): LabelRole {
  if (label === null) {
    return 'unknown';
  }
  const l = normalise(label);
  if (/auth|(^|[^a-z])aut([^a-z]|$)/.test(l)) {
    return 'authentication';
  }
  if (/sign|(^|[^a-z])sig([^a-z]|$)/.test(l)) {
    return 'signature';
  }
  if (l.includes('techn')) {
    return 'technical';
  }
  return 'unknown';
}

/** Resolve a PKCS#15 path (absolute `3F00…`, relative to the application, or MF-relative) to a full path. */
export function resolvePath(appPath: string, path: string, step: string): string {
  const p = path.toUpperCase();
  const appRelative = appPath.slice(4);
  let full: string;
  if (p.startsWith('3F00')) {
    full = p;
  } else if (appRelative !== '' && p.startsWith(appRelative) && p.length > appRelative.length) {
    full = `3F00${p}`;
  } else {
    full = appPath + p;
  }
  if (!/^3F00([0-9A-F]{4}){1,7}$/.test(full)) {
    throw protocolError(step, null, 'invalid-path');
  }
  return full;
}

function pickApplication(apps: readonly DirApplication[]): DirApplication | undefined {
  return (
    apps.find((a) => a.aid === CPX_IAS_AID) ??
    apps.find((a) => a.label !== null && /cpx|pkcs-?15/i.test(a.label)) ??
    apps.find((a) => a.path !== null)
  );
}

async function findApplicationPath(channel: CardChannel): Promise<string> {
  try {
    await selectPath(channel, '3F002F00', 'select-ef-dir');
  } catch (error) {
    if (isSwError(error, SW.FILE_NOT_FOUND)) {
      return DEFAULT_APP_PATH;
    }
    throw error;
  }
  const app = pickApplication(parseEfDir(await readTlvFile(channel, 'read-ef-dir', '3F002F00')));
  const appPath = app?.path ?? null;
  if (appPath === null) {
    return DEFAULT_APP_PATH;
  }
  return resolvePath('3F00', appPath, 'ef-dir');
}

async function readDirectory<T>(
  channel: CardChannel,
  path: string,
  step: string,
  parse: (b: Uint8Array) => T[],
): Promise<T[]> {
  await selectPath(channel, path, `select-${step}`);
  return parse(await readTlvFile(channel, `read-${step}`, path));
}

/** Discover the authentication certificate's path (≤ ~10 APDUs on a CPS3 before the certificate itself). */
export async function discoverAuthCertificate(channel: CardChannel): Promise<DiscoveredCertificate> {
  const appPath = await findApplicationPath(channel);
  const odf = parseOdf(
    await (async () => {
      await selectPath(channel, `${appPath}5031`, 'select-odf');
      return readTlvFile(channel, 'read-odf', `${appPath}5031`);
    })(),
  );
  const entries: CdfEntry[] = [];
  for (const cdf of odf.certificates.slice(0, MAX_CDFS)) {
    entries.push(...(await readDirectory(channel, resolvePath(appPath, cdf, 'odf'), 'cdf', parseCdf)));
  }
  const candidates = entries.filter((e) => !e.authority && e.path !== null);
  let chosen = candidates.find((e) => roleFromLabel(e.label) === 'authentication');
  if (chosen === undefined) {
    // Labels did not tell: match the certificate iD to the private key labelled CPS_PRIV_AUT.
    for (const prkdf of odf.privateKeys.slice(0, MAX_PRKDFS)) {
      const keys = await readDirectory(channel, resolvePath(appPath, prkdf, 'odf'), 'prkdf', parsePrkdf);
      const authKey = keys.find((k) => k.id !== null && roleFromLabel(k.label) === 'authentication');
      chosen = authKey === undefined ? undefined : candidates.find((c) => c.id === authKey.id);
      if (chosen !== undefined) {
        break;
      }
    }
  }
  const chosenPath = chosen?.path ?? null;
  if (chosen === undefined || chosenPath === null) {
    throw cardError('card.no-auth-certificate', {
      certificates: candidates.map((c) => ({ label: c.label, role: roleFromLabel(c.label) })),
    });
  }
  return { path: resolvePath(appPath, chosenPath, 'cdf'), label: chosen.label };
}

/** True for errors after which a learned path should be dropped and discovery run again. */
export function shouldRediscover(error: unknown): boolean {
  return (
    isSwError(error, SW.FILE_NOT_FOUND) || (error instanceof AppError && error.code === 'card.corrupt-certificate')
  );
}
