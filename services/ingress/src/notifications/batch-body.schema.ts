import Joi from 'joi';

/** The guide's batch limit: a monthly run is posted in batches of up to this many notifications. */
export const MAX_BATCH_ITEMS = 1000;

/** The envelope of a batch; each item is validated on its own so one bad item refuses only itself. */
export const batchBodySchema = Joi.object<{ notifications: unknown[] }>({
  notifications: Joi.array()
    .min(1)
    .required()
    .messages({ 'array.min': 'must contain at least one notification' }),
}).messages({ 'object.base': 'must be a JSON object' });
