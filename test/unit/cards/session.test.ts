import { describe, expect, it } from 'vitest';
import { createApduSession } from '../../../shared/cards/session';

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/ /g, ''), 'hex'));
const hex = (data: Uint8Array) => Buffer.from(data).toString('hex').toUpperCase();

/** A card that answers from a script and records every command. */
function scripted(answers: readonly string[]) {
  const commands: string[] = [];
  let next = 0;
  return {
    commands,
    transport: {
      transmit: (command: Uint8Array) => {
        commands.push(hex(command));
        const answer = answers[next++];
        return answer === undefined ? Promise.reject(new Error('unexpected command')) : Promise.resolve(bytes(answer));
      },
    },
  };
}

describe('APDU session: 61xx chaining on a command that returns data', () => {
  it.each([
    [0, '00'],
    [1, '01'],
    [2, '02'],
    [3, '03'],
  ])('logical channel %i: GET RESPONSE carries CLA %s and the data parts are joined in order', async (channel, cla) => {
    const card = scripted([
      'A1 A2 A3 61 04', // first part of the data, 4 more bytes available
      'B1 B2 B3 B4 61 02', // second part, 2 more
      'C1 C2 90 00', // last part
    ]);
    const session = createApduSession(card.transport, { maxApdus: 10 });
    const readBinary = Uint8Array.of(channel, 0xb0, 0x00, 0x00, 0x09);
    const response = await session.exchange(readBinary, 'read-binary');
    expect(hex(response.data)).toBe('A1A2A3B1B2B3B4C1C2');
    expect(response.sw).toBe(0x9000);
    expect(card.commands).toEqual([`${cla}B0000009`, `${cla}C0000004`, `${cla}C0000002`]);
    expect(session.count).toBe(3);
  });

  it('61xx answered without data first (T=0 case 2): the data comes from GET RESPONSE alone', async () => {
    const card = scripted(['61 03', 'D1 D2 D3 90 00']);
    const session = createApduSession(card.transport, { maxApdus: 10 });
    const response = await session.exchange(Uint8Array.of(0x01, 0xca, 0x01, 0x00, 0x00), 'get-data');
    expect(hex(response.data)).toBe('D1D2D3');
    expect(response.sw).toBe(0x9000);
    expect(card.commands).toEqual(['01CA010000', '01C0000003']);
  });

  it('a chain ending in a warning keeps the joined data and the final status word', async () => {
    const card = scripted(['E1 61 01', 'E2 62 82']);
    const session = createApduSession(card.transport, { maxApdus: 10 });
    const response = await session.exchange(Uint8Array.of(0x00, 0xb0, 0x00, 0x10, 0x02), 'read-binary');
    expect(hex(response.data)).toBe('E1E2');
    expect(response.sw).toBe(0x6282);
  });
});
