import { chooseLanguage, renderTemplate } from './account-template';
import type { NotificationType } from '../messages/message-type';
import { renderNotification, type NotificationContent } from './templates';

/** One saved text of an account: account-wide (`instanceId` null) or one instance's own. */
export interface SavedTemplate {
  readonly instanceId: string | null;
  readonly messageType: NotificationType;
  /** BCP 47, canonical (`sw-KE`). */
  readonly language: string;
  readonly text: string;
  readonly updatedAt: Date;
}

/** How an account words its notifications: its own texts and the fields they may name. */
export interface AccountWording {
  readonly companyName: string;
  readonly paymentInstructions: string;
  readonly templates: readonly SavedTemplate[];
}

/** An account that has written nothing of its own: every notification gets the guide's texts. */
export const GUIDE_WORDING: AccountWording = { companyName: '', paymentInstructions: '', templates: [] };

/** What a notification is rendered for: its instance, and the language it asks for, if any. */
export interface WordingTarget {
  readonly instanceId: string;
  /** The instance's default language: used when the notification names none it can have. */
  readonly defaultLanguage: string | null;
  /** The notification's own `language`, or null. */
  readonly language: string | null;
}

/**
 * The saved text a notification is written in, or undefined for the built-in English text. The
 * language is chosen among those the account has this message type in (for the instance or for the
 * whole account): the notification's own, else the instance's default (see {@link chooseLanguage});
 * for that language the instance's own text wins over the account-wide one.
 */
export function chooseTemplate(
  wording: AccountWording,
  messageType: NotificationType,
  target: WordingTarget,
): SavedTemplate | undefined {
  if (wording.templates.length === 0) return undefined;
  const candidates = wording.templates.filter(
    (template) =>
      template.messageType === messageType &&
      (template.instanceId === null || template.instanceId === target.instanceId),
  );
  if (candidates.length === 0) return undefined;
  const languages = [...new Set(candidates.map((template) => template.language))];
  const language = chooseLanguage(languages, target.language, target.defaultLanguage);
  if (language === undefined) return undefined;
  const ofLanguage = candidates.filter((template) => template.language === language);
  return ofLanguage.find((template) => template.instanceId !== null) ?? ofLanguage[0];
}

/** The WhatsApp text of a notification: the account's own wording where it has one, else the guide's. */
export function wordNotification(
  content: NotificationContent,
  wording: AccountWording,
  target: WordingTarget,
): string {
  const template = chooseTemplate(wording, content.messageType, target);
  if (!template) return renderNotification(content);
  return renderTemplate(
    template.text,
    {
      ...content,
      companyName: wording.companyName,
      paymentInstructions: wording.paymentInstructions,
    },
    template.language,
  );
}
