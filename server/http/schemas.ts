// The public REST contract's request shapes (docs/openapi.yaml describes the same).
import { z } from 'zod';
import { descriptionSchema, itemIdSchema, purchasedBySchema, purchaseIdSchema, quantitySchema } from '../kafka/messages';
import { limits } from '../limits';

export const restockBodySchema = z.strictObject({
  itemId: itemIdSchema.optional(),
  description: descriptionSchema,
  quantity: quantitySchema,
});

export const purchaseBodySchema = z.strictObject({
  purchaseId: purchaseIdSchema.optional(),
  itemId: itemIdSchema,
  quantity: quantitySchema,
  purchasedBy: purchasedBySchema,
});

// Query values arrive as strings; only plain decimal integers are accepted.
const integerString = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const purchaseQuerySchema = z.object({ wait: integerString(0, limits.purchaseWaitMsMax).optional() });

export const itemsQuerySchema = z.object({
  after: itemIdSchema.optional(),
  limit: integerString(1, limits.itemsPageSizeMax).optional(),
});

export const signInBodySchema = z.strictObject({ password: z.string().min(1).max(200) });

export const statsQuerySchema = z.object({ minutes: integerString(1, limits.statsWindowMinutesMax).optional() });
