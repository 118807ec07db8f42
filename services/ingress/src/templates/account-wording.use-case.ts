import {
  DomainError,
  GUIDE_WORDING,
  templateProblem,
  type AccountWording,
  type Instance,
  type NotificationType,
  type SavedTemplate,
  type TemplateValues,
} from '@telenexus/core';
import type { TemplateKey, WordingFieldsPatch } from '@telenexus/db';
import { GUIDE_SAMPLE } from './preview-templates.use-case';

/** Where wording is kept: an `AccountWordingRepository`. */
export interface WordingStore {
  read(accountId: string): Promise<AccountWording | null>;
  saveTemplate(key: TemplateKey, text: string): Promise<{ template: SavedTemplate; created: boolean }>;
  deleteTemplate(key: TemplateKey): Promise<boolean>;
  updateFields(accountId: string, patch: WordingFieldsPatch): Promise<void>;
}

export interface InstanceOfAccount {
  findForAccount(accountId: string, id: string): Promise<Instance | null>;
}

/** A text to save: which one, and what it says. */
export interface TemplateDraft {
  readonly instanceId: string | null;
  readonly messageType: NotificationType;
  readonly language: string;
  readonly text: string;
}

/** The guide's sample with the account's own fields: what a text is checked against when saved. */
function sampleFor(wording: Pick<AccountWording, 'companyName' | 'paymentInstructions'>): TemplateValues {
  return {
    ...GUIDE_SAMPLE,
    companyName: wording.companyName,
    paymentInstructions: wording.paymentInstructions,
  };
}

/**
 * An account's wording: its own texts of the four notifications, per language and optionally per
 * instance, and the account fields they may name. Every text is checked when saved, and again when
 * a field it names changes, so what is saved always renders a sendable message.
 */
export class ManageAccountWording {
  constructor(
    private readonly store: WordingStore,
    private readonly instances: InstanceOfAccount,
    /** Told of each account whose wording changed, once it has (a cache in this process forgets it). */
    private readonly changed: (accountId: string) => void = () => undefined,
  ) {}

  async get(accountId: string): Promise<AccountWording> {
    return (await this.store.read(accountId)) ?? GUIDE_WORDING;
  }

  async saveTemplate(
    accountId: string,
    draft: TemplateDraft,
  ): Promise<{ template: SavedTemplate; created: boolean }> {
    await this.requireInstance(accountId, draft.instanceId);
    const wording = await this.get(accountId);
    const problem = templateProblem(draft.text, sampleFor(wording), draft.language);
    if (problem) {
      throw new DomainError('validation_failed', `text: ${problem}`, {
        fieldErrors: [{ field: 'text', message: problem }],
      });
    }
    const saved = await this.store.saveTemplate({ accountId, ...draft }, draft.text);
    this.changed(accountId);
    return saved;
  }

  async deleteTemplate(accountId: string, key: Omit<TemplateKey, 'accountId'>): Promise<void> {
    await this.requireInstance(accountId, key.instanceId);
    if (!(await this.store.deleteTemplate({ accountId, ...key }))) {
      throw new DomainError('not_found', 'No text of this message type and language is saved');
    }
    this.changed(accountId);
  }

  /** Sets the fields, unless a saved text would then render something it may not send. */
  async updateFields(accountId: string, patch: WordingFieldsPatch): Promise<AccountWording> {
    const wording = await this.get(accountId);
    const changed = {
      companyName: patch.companyName ?? wording.companyName,
      paymentInstructions: patch.paymentInstructions ?? wording.paymentInstructions,
    };
    const field = patch.paymentInstructions !== undefined ? 'payment_instructions' : 'company_name';
    for (const template of wording.templates) {
      const problem = templateProblem(template.text, sampleFor(changed), template.language);
      if (problem) {
        const message = `would make the ${template.messageType} text in ${template.language} fail: it ${problem}`;
        throw new DomainError('validation_failed', `${field}: ${message}`, {
          fieldErrors: [{ field, message }],
        });
      }
    }
    await this.store.updateFields(accountId, patch);
    this.changed(accountId);
    return this.get(accountId);
  }

  private async requireInstance(accountId: string, instanceId: string | null): Promise<void> {
    if (instanceId !== null && !(await this.instances.findForAccount(accountId, instanceId))) {
      throw new DomainError('not_found', 'Instance not found');
    }
  }
}
