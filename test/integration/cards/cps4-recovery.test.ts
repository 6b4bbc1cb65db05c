/**
 * CPS4 `6985` in the middle of a READ BINARY, through the whole stack (koffi → pcscd → vpcd → virtual card): the
 * reader reselects the applet, then the certificate file, and resumes at the offset that failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VpcdSlot, buildCard, vpcdReaderName } from '../../../emulators/card';
import type { CardService } from '../../../electron/services/cards';
import { createCardService, createPcscBackend } from '../../../electron/services/cards';
import { silentLogger } from '../../../shared/logging';
import { ensurePcscd, pcscdGate } from '../../helpers/pcsc/pcscd';
import { nextEvent, nextReadOutcome } from '../../helpers/pcsc/events';

const pcscd = await ensurePcscd();
const gate = pcscdGate(pcscd, 'cps4 recovery integration');
const READER = vpcdReaderName(0);
const APPLET_SELECT = '01A4040C088025000001FF0100';

describe.skipIf(gate.skip)('CPS4 6985 mid-read over real pcscd and vpcd', () => {
  beforeAll(gate.check);
  let service: CardService;
  const slot = new VpcdSlot({ slot: 0 });

  beforeAll(async () => {
    service = createCardService({ backend: createPcscBackend({ logger: silentLogger }), logger: silentLogger });
    expect(await service.start()).toBe('ready');
  });

  afterAll(async () => {
    await slot.remove();
    await service.stop();
    if (pcscd.available) {
      await pcscd.stop();
    }
  });

  it('reads the whole certificate when the 3rd READ BINARY on the PKI channel answers 6985', async () => {
    const built = await buildCard('cps4', { readBinaryConditionsAt: 3 });
    const outcome = nextReadOutcome(service, READER);
    await slot.insert(built.card);
    const event = await outcome;
    expect(event.type === 'read-failed' ? event.error.code : event.type).toBe('read-succeeded');
    if (event.type === 'read-succeeded') {
      const der = Buffer.from(built.authenticationDer!).toString('base64');
      expect(event.result.authenticationCertificate?.derBase64).toBe(der);
    }
    const commands = built.card.audit().commands;
    let seen = 0;
    const failed = commands.findIndex((c) => c.startsWith('01B0') && ++seen === 3);
    expect(commands.slice(failed + 1, failed + 4)).toEqual([
      APPLET_SELECT,
      commands.slice(0, failed).findLast((c) => /^01A40[89]0C/.test(c)),
      commands[failed],
    ]);
    const removed = nextEvent(service, (e) => e.type === 'card-removed' && e.reader === READER);
    await slot.remove();
    await removed;
  });
});
