// The domain command of a bps-items-added record of any version: version 1 and 2 records and version 3's
// restock are restocks, version 3's edit is a seller's edit. Pure, so that the worker and the auditor decide
// the same records the same way.
import { restockIdOf, type ItemsAddedMessage } from '../contract';
import type { EditItem, RestockItem } from '../domain/purchase';

export function itemCommandOf(message: ItemsAddedMessage): RestockItem | EditItem {
  if (message.schemaVersion === 3 && message.kind === 'edit') return { type: 'EditItem', itemId: message.itemId, changes: message.changes };
  const restockId = restockIdOf(message);
  const unitPrice = message.schemaVersion === 3 ? message.unitPrice : undefined;
  return {
    type: 'RestockItem',
    itemId: message.itemId,
    description: message.description,
    quantity: message.quantity,
    ...(restockId === undefined ? {} : { restockId }),
    ...(unitPrice === undefined ? {} : { unitPrice }),
  };
}
