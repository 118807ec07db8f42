import { phoneFromJid, userJid } from './whatsapp-jid';

describe('WhatsApp JIDs', () => {
  it('Given a number, then its JID reads back as the same number', () => {
    expect(phoneFromJid(userJid('254712345678'))).toBe('254712345678');
  });

  it('Given a device suffix, then only the number is kept', () => {
    expect(phoneFromJid('254712345678:12@s.whatsapp.net')).toBe('254712345678');
  });

  it.each(['120363025@g.us', '12345678@lid', 'status@broadcast', '12@s.whatsapp.net', undefined])(
    'Given %s, then it names no number',
    (jid) => {
      expect(phoneFromJid(jid)).toBeUndefined();
    },
  );
});
