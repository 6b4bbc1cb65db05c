import type { Handlers } from '../../shared/contract/dispatcher';
import { certificateUsability } from '../../shared/desk/card-report';
import type { CertificateUsability, TrustMaterial } from '../../shared/desk/card-report';
import { AppError } from '../../shared/errors';
import path from 'node:path';
import {
  createCardService,
  createInProcessBackend,
  createJsonFileKeyValueStore,
  createPcscBackend,
} from '../services/cards';
import { createDeskService } from '../services/desk';
import { shippedKnownCas } from '../services/desk/known-cas-data';
import { trustStoreHandlers } from '../services/desk/trust-handlers';
import { createTrustStoreService } from '../services/desk/trust-store';
import { createLogger } from '../services/logging';
import { createDemoCards, demoReaderName } from './demo-cards';
import type { DemoCards } from './demo-cards';
import type { EventBus } from './event-bus';

export type CardBackendKind = 'in-process' | 'pcsc';

type CardHandlers = Pick<Handlers, 'cards:get-status' | 'cards:read' | 'demo:insert-card' | 'demo:remove-card'> &
  ReturnType<typeof trustStoreHandlers>;

/**
 * Card desk wiring: the reader backend (virtual in-process reader, or PC/SC), the card service, the desk service
 * and, in demo mode, the virtual-card controls and the TEST PKI they chain to.
 */
export function wireCards(options: {
  backend: CardBackendKind;
  isDemo: boolean;
  dataDir: string;
  bus: EventBus;
  loadPcscAddon?: (() => unknown) | undefined;
  readTimeoutMs?: number | undefined;
  /** Clock of the validity and revocation verdicts (tests). */
  now?: () => Date;
}) {
  const now = options.now ?? (() => new Date());
  const logger = createLogger('cards');
  let demo: DemoCards | undefined;
  let backend;
  if (options.backend === 'in-process') {
    const inProcess = createInProcessBackend([demoReaderName]);
    demo = createDemoCards(inProcess);
    backend = inProcess;
  } else {
    backend = createPcscBackend({
      logger,
      ...(options.loadPcscAddon === undefined ? {} : { loadAddon: options.loadPcscAddon }),
    });
  }
  const demoCards = options.isDemo ? (demo ?? createDemoCards(createInProcessBackend([]))) : undefined;

  // CAs trusted by known IGC-Santé fingerprint or explicit confirmation, and verified CRLs (Paramètres).
  const trustStore = createTrustStoreService({ dataDir: options.dataDir, knownCas: shippedKnownCas(), logger });
  const trustMaterial = async (): Promise<TrustMaterial> => {
    const stored = await trustStore.material();
    if (demoCards === undefined) {
      return stored;
    }
    const demoMaterial = await demoCards.trustMaterial();
    return {
      trust: {
        roots: [...(demoMaterial.trust?.roots ?? []), ...(stored.trust?.roots ?? [])],
        intermediates: [...(demoMaterial.trust?.intermediates ?? []), ...(stored.trust?.intermediates ?? [])],
      },
      crls: [...demoMaterial.crls, ...stored.crls],
    };
  };

  // Learned certificate paths survive a restart: the second CPS3 read after a relaunch takes the short path.
  const store = createJsonFileKeyValueStore(path.join(options.dataDir, 'cards', 'learned-paths.json'), logger);
  const cards = createCardService({
    backend,
    logger,
    store,
    ...(options.readTimeoutMs === undefined ? {} : { readTimeoutMs: options.readTimeoutMs }),
  });
  const desk = createDeskService({ cards, trustMaterial, emit: options.bus.emit, logger });
  const started = cards.start().catch((error: unknown) => {
    logger.error('card service failed to start', { error: String(error) });
  });
  // A newcomer sees the desk at work at once: the demo reader starts with a CPS3 card in it.
  const demoCardInserted = started
    .then(() => demo?.insert('cps3'))
    .catch((error: unknown) => {
      logger.warn('demo card not inserted', { error: String(error) });
    });

  const requireDemo = (): DemoCards => {
    if (demo === undefined) {
      throw new AppError('demo.unavailable');
    }
    return demo;
  };

  const handlers: CardHandlers = {
    // Paramètres lists the demo PKI merged above, so it never contradicts the Guichet's verdicts.
    ...trustStoreHandlers(
      trustStore,
      demoCards === undefined ? undefined : { material: () => demoCards.trustMaterial(), knownCas: shippedKnownCas() },
      now,
    ),
    'cards:get-status': async () => {
      await started;
      return desk.status();
    },
    'cards:read': ({ reader }) => desk.read(reader),
    'demo:insert-card': async ({ profile }) => {
      await requireDemo().insert(profile);
      return null;
    },
    'demo:remove-card': () => {
      requireDemo().remove();
      return Promise.resolve(null);
    },
  };

  return {
    handlers,
    lastCertificate: (reader: string) => desk.lastCertificate(reader),
    /** Validity and revocation of a certificate against the desk's trust store and CRLs (demo PKI included). */
    certificateStatus: async (der: Uint8Array): Promise<CertificateUsability> =>
      certificateUsability(der, await trustMaterial(), now()),
    async close() {
      await demoCardInserted;
      await cards.stop();
    },
  };
}
