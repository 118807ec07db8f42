import { parseEvolutionEvent } from './parse-evolution-event';

const IMAGE = 'data:image/png;base64,iVBORw0KGgo=';

function envelope(event: string, data: unknown): unknown {
  return { event, instance: 'billing01', data, date_time: '2026-12-01T08:00:00.000Z' };
}

describe('parseEvolutionEvent', () => {
  it('Given a body without an event name, then it is not an Evolution event', () => {
    expect(parseEvolutionEvent({ instance: 'billing01', data: {} })).toBeUndefined();
    expect(parseEvolutionEvent('messages.update')).toBeUndefined();
    expect(parseEvolutionEvent(null)).toBeUndefined();
  });

  it('Given UPPER_SNAKE event names, then they read as the dotted ones', () => {
    expect(parseEvolutionEvent(envelope('CONNECTION_UPDATE', { state: 'open' }))).toEqual({
      instance: 'billing01',
      name: 'connection.update',
      connection: { state: 'open', reason: 'connection.update' },
    });
  });

  it('Given receipts, then each says what it means for our message, and the ones that say nothing are null', () => {
    const event = parseEvolutionEvent(
      envelope('messages.update', [
        { keyId: '3EB0AAA', status: 'DELIVERY_ACK', fromMe: true },
        { key: { id: '3EB0BBB' }, status: 'played' },
        { keyId: '3EB0CCC', status: 'PENDING', fromMe: true },
        { keyId: '3EB0DDD', status: 'READ', fromMe: false },
        { status: 'READ' },
      ]),
    );
    expect(event).toEqual({
      instance: 'billing01',
      name: 'messages.update',
      receipts: [
        { keyId: '3EB0AAA', receipt: 'delivered', evolutionStatus: 'DELIVERY_ACK' },
        { keyId: '3EB0BBB', receipt: 'read', evolutionStatus: 'played' },
        null,
        null,
        null,
      ],
    });
  });

  it('Given one receipt not in a list, then it is read as a list of one', () => {
    const event = parseEvolutionEvent(envelope('messages.update', { keyId: 'K1', status: 'ERROR' }));
    expect(event).toMatchObject({ receipts: [{ keyId: 'K1', receipt: 'failed' }] });
  });

  it('Given a send.message, then it names the key, the number from the JID and the text', () => {
    const event = parseEvolutionEvent(
      envelope('send.message', {
        key: { id: '3EB0EEE', remoteJid: '254712345678@s.whatsapp.net', fromMe: true },
        message: { extendedTextMessage: { text: 'Your invoice' } },
      }),
    );
    expect(event).toMatchObject({
      sent: { keyId: '3EB0EEE', phoneNumber: '254712345678', text: 'Your invoice' },
    });
  });

  it('Given a send.message to a group, then it is null: a group names no number', () => {
    const event = parseEvolutionEvent(
      envelope('send.message', {
        key: { id: '3EB0FFF', remoteJid: '120363025@g.us', fromMe: true },
        message: { conversation: 'hello' },
      }),
    );
    expect(event).toMatchObject({ name: 'send.message', sent: null });
  });

  it('Given refused after the QR code limit, then the number reads as closed, and Baileys reasons are named', () => {
    expect(parseEvolutionEvent(envelope('connection.update', { state: 'refused' }))).toMatchObject({
      connection: { state: 'close', reason: 'connection.update refused: QR code limit reached' },
    });
    expect(
      parseEvolutionEvent(envelope('connection.update', { state: 'close', statusReason: 401 })),
    ).toMatchObject({
      connection: { state: 'close', reason: 'connection.update (statusReason 401: logged out)' },
    });
    expect(parseEvolutionEvent(envelope('connection.update', { state: 'sleeping' }))).toMatchObject({
      connection: null,
    });
  });

  it('Given a QR code, then it is kept with its pairing code; the limit notice is null', () => {
    expect(
      parseEvolutionEvent(
        envelope('qrcode.updated', { qrcode: { code: '2@abc', base64: IMAGE, pairingCode: 'WZYEH1YY' } }),
      ),
    ).toMatchObject({ qrCode: { code: '2@abc', image: IMAGE, pairingCode: 'WZYEH1YY' } });
    expect(
      parseEvolutionEvent(envelope('qrcode.updated', { message: 'QR code limit reached', statusCode: 500 })),
    ).toMatchObject({ qrCode: null });
  });

  it('Given upserts, then customers’ messages are read (a privacy id falls back to the number beside it) and our own are null', () => {
    const event = parseEvolutionEvent(
      envelope('messages.upsert', [
        {
          key: { id: 'IN1', remoteJid: '254711111111@s.whatsapp.net', fromMe: false },
          pushName: 'Amina',
          message: { conversation: 'Paid via M-Pesa' },
        },
        {
          key: {
            id: 'IN2',
            remoteJid: '12345@lid',
            remoteJidAlt: '254722222222@s.whatsapp.net',
            fromMe: false,
          },
          message: { stickerMessage: {} },
        },
        {
          key: { id: 'OUT1', remoteJid: '254711111111@s.whatsapp.net', fromMe: true },
          message: { conversation: 'x' },
        },
      ]),
    );
    expect(event).toMatchObject({
      messages: [
        { keyId: 'IN1', phoneNumber: '254711111111', senderName: 'Amina', text: 'Paid via M-Pesa' },
        { keyId: 'IN2', phoneNumber: '254722222222', senderName: null, text: null },
        null,
      ],
    });
  });

  it('Given another event, then it is named as other', () => {
    expect(parseEvolutionEvent(envelope('PRESENCE_UPDATE', {}))).toEqual({
      instance: 'billing01',
      name: 'other',
      event: 'presence.update',
    });
  });
});
