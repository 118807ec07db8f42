import { canonicalLanguage, LANGUAGE_TAG_PROBLEM } from '@telenexus/core';
import Joi from 'joi';

/** A BCP 47 language tag, written back in its canonical form (`sw-ke` → `sw-KE`). */
export const languageTagSchema = Joi.string()
  .max(35)
  .custom((value: string) => {
    const canonical = canonicalLanguage(value);
    if (!canonical) throw new Error(LANGUAGE_TAG_PROBLEM);
    return canonical;
  });
