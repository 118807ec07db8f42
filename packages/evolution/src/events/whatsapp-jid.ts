/** The JID WhatsApp addresses a person's number by: `254712345678@s.whatsapp.net`. */
export function userJid(digits: string): string {
  return `${digits}@s.whatsapp.net`;
}

/**
 * The phone number in a WhatsApp JID (`254712345678@s.whatsapp.net` → `254712345678`), or undefined
 * for groups, broadcasts and privacy ids (`…@lid`) that do not name a number. A device suffix
 * (`254712345678:12@s.whatsapp.net`) is dropped.
 */
export function phoneFromJid(jid: string | undefined): string | undefined {
  const match = jid ? /^(\d{6,15})(?::\d+)?@s\.whatsapp\.net$/.exec(jid) : null;
  return match?.[1];
}
