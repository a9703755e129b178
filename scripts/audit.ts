// The oversell auditor (npm run audit [-- --items a,b] [-- --json]): replays both topics and compares them
// with Postgres. Exit codes: 0 clean, 1 violations found, 2 the audit could not run, 64 bad arguments.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { AuditReport } from '../server/contract';
import { runAudit } from '../server/audit/run-audit';
import { disconnectPrisma } from '../server/db/client';
import { itemIdSchema } from '../server/contract';
import { logger } from '../server/logger';

const usage = 'usage: tsx scripts/audit.ts [--json] [--items itemA,itemB]';

function parseOptions(): { json: boolean; itemIds: string[] | undefined } | undefined {
  try {
    const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, items: { type: 'string' } }, strict: true });
    if (values.items === undefined) return { json: values.json, itemIds: undefined };
    const itemIds = z.array(itemIdSchema).min(1).safeParse(values.items.split(',').map((itemId) => itemId.trim()).filter(Boolean));
    if (!itemIds.success) {
      console.error(`--items: ${itemIds.error.issues.map((issue) => issue.message).join('; ')}\n${usage}`);
      return undefined;
    }
    return { json: values.json, itemIds: itemIds.data };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return undefined;
  }
}

function formatTable(report: AuditReport): string {
  const header = ['item', 'restocked', 'rejected', 'succeeded qty', 'succeeded', 'failed', 'duplicates', 'db sold', 'settled', 'violations'];
  const rows = report.items.map((item) => [
    item.itemId,
    String(item.restocked),
    String(item.restocksRejected),
    String(item.succeededQuantity),
    String(item.succeededCount),
    String(item.failedCount),
    String(item.duplicates),
    item.database.item === null ? '-' : String(item.database.item.sold),
    item.settled ? 'yes' : 'no',
    String(item.violations.length),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  // The item column reads best left-aligned, the numbers right-aligned.
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function formatReport(report: AuditReport): string {
  const { totals } = report;
  const lines = [
    formatTable(report),
    '',
    `totals: ${totals.items} items (${totals.itemsWithViolations} with violations), restocked ${totals.restocked} (${totals.restocksRejected} restocks rejected), ` +
      `sold ${totals.succeededQuantity} in ${totals.succeededCount} purchases, ${totals.failedCount} failed, ${totals.duplicates} duplicate results, ` +
      `${totals.outboxUnsent} results unsent in the outbox`,
    `messages: ${totals.messages.itemsAdded} restocks and ${totals.messages.purchaseFinished} results audited; ` +
      `malformed: ${totals.malformed.itemsAdded} on bps-items-added, ${totals.malformed.purchaseFinished} on bps-purchase-finished`,
  ];
  if (report.violations.length > 0) lines.push('', 'violations:', ...report.violations.map((violation) => `  ${violation}`));
  if (report.notes.length > 0) lines.push('', 'notes:', ...report.notes.map((note) => `  ${note}`));
  lines.push('', report.clean ? `CLEAN: no violations${report.notes.length > 0 ? ' (see the notes)' : ''}` : `NOT CLEAN: ${report.violations.length} violations`);
  return lines.join('\n');
}

const options = parseOptions();
if (options === undefined) {
  process.exitCode = 64;
} else {
  try {
    const report = await runAudit({ itemIds: options.itemIds });
    console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
    process.exitCode = report.clean ? 0 : 1;
  } catch (error) {
    logger.fatal({ err: error }, 'the audit could not run');
    process.exitCode = 2;
  } finally {
    await disconnectPrisma();
  }
}
