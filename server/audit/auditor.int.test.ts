// Goal: the bounded audit through the real processes. The auditor process keeps a stored report current
// incrementally (a new sale appears in it without anyone asking), GET /api/audit only reads that report, and
// a seller's full-audit job is recorded with 202, runs with progress and replaces the stored report.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../config';
import { auditJobSchema, storedAuditSchema, type AuditJob, type StoredAudit } from '../contract';
import { disconnectPrisma } from '../db/client';
import { pollUntil, startAuditorProcess, startWebProcess, startWorkerProcess, type TestProcess, type WebProcess } from '../testing/processes';

const sellerHeaders = { authorization: `Bearer ${config.SELLER_TOKEN}` };
let web: WebProcess;
let worker: TestProcess;
let auditor: TestProcess;

beforeAll(async () => {
  worker = await startWorkerProcess();
  web = await startWebProcess(3107);
  auditor = startAuditorProcess();
});

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop(), auditor?.stop()]);
  await disconnectPrisma();
});

async function storedAudit(): Promise<StoredAudit> {
  const response = await fetch(`${web.url}/api/audit`, { headers: sellerHeaders });
  expect(response.status).toBe(200);
  return storedAuditSchema.parse(await response.json());
}

async function job(jobId: string): Promise<AuditJob> {
  const response = await fetch(`${web.url}/api/audit/jobs/${jobId}`, { headers: sellerHeaders });
  expect(response.status).toBe(200);
  return auditJobSchema.parse(await response.json());
}

function itemOf(audit: StoredAudit, itemId: string) {
  return audit.latest?.report.items.find((item) => item.itemId === itemId);
}

describe('the auditor process', () => {
  const itemId = `auditor-${randomUUID()}`;

  it('reports a new sale in the stored report without any request replaying the topics', async () => {
    const restock = await fetch(`${web.url}/api/items`, {
      method: 'POST',
      headers: { ...sellerHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ itemId, description: 'Audited item', quantity: 4 }),
    });
    expect(restock.status).toBe(202);
    const purchase = await fetch(`${web.url}/api/purchases?wait=10000`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ itemId, quantity: 3, purchasedBy: 'auditor-test' }),
    });
    expect(((await purchase.json()) as { status: string }).status).toBe('SUCCEEDED');

    const audit = await pollUntil(storedAudit, (value) => itemOf(value, itemId)?.settled === true && itemOf(value, itemId)?.succeededQuantity === 3, 60_000);
    expect(audit.latest?.kind).toBe('INCREMENTAL');
    // Only this item is asserted: other tests plant oversold items on purpose on the same (test.) topics,
    // so the report as a whole need not be clean.
    expect(itemOf(audit, itemId)).toMatchObject({ restocked: 4, succeededQuantity: 3, succeededCount: 1, violations: [] });
  });

  it('runs a full audit as a job: 202, progress, then its report replaces the stored one', async () => {
    const started = await fetch(`${web.url}/api/audit/jobs`, { method: 'POST', headers: sellerHeaders });
    expect(started.status).toBe(202);
    const created = auditJobSchema.parse(await started.json());
    expect(started.headers.get('location')).toBe(`/api/audit/jobs/${created.jobId}`);
    expect(['QUEUED', 'RUNNING', 'DONE']).toContain(created.status);

    const done = await pollUntil(() => job(created.jobId), (value) => value.status === 'DONE' || value.status === 'FAILED', 60_000);
    expect(done.status, done.error ?? '').toBe('DONE');
    expect(done.progress?.messagesTotal).toBeGreaterThan(0);
    expect(done.progress?.messagesRead).toBeLessThanOrEqual(done.progress?.messagesTotal ?? 0);

    const audit = await storedAudit();
    expect(audit.job?.jobId).toBe(created.jobId);
    // The incremental audit may have stored a newer report since; both must describe the item the same way.
    expect(itemOf(audit, itemId)).toMatchObject({ restocked: 4, succeededQuantity: 3, settled: true, violations: [] });
  });

  it('answers the open job again instead of starting a second one', async () => {
    const first = auditJobSchema.parse(await (await fetch(`${web.url}/api/audit/jobs`, { method: 'POST', headers: sellerHeaders })).json());
    const second = auditJobSchema.parse(await (await fetch(`${web.url}/api/audit/jobs`, { method: 'POST', headers: sellerHeaders })).json());
    if (second.jobId !== first.jobId) {
      // Only possible when the first had already finished between the two requests.
      expect((await job(first.jobId)).status).toBe('DONE');
    }
    await pollUntil(() => job(second.jobId), (value) => value.status === 'DONE', 60_000);
  });

  it('refuses buyers and unknown jobs in the one error shape', async () => {
    for (const [method, path] of [['GET', '/api/audit'], ['POST', '/api/audit/jobs'], ['GET', '/api/audit/jobs/1']] as const) {
      const response = await fetch(`${web.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'seller authorisation required', fields: { authorization: expect.any(String) } });
    }
    const unknown = await fetch(`${web.url}/api/audit/jobs/999999999`, { headers: sellerHeaders });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ fields: { jobId: 'not found' } });
    const invalid = await fetch(`${web.url}/api/audit/jobs/abc`, { headers: sellerHeaders });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ fields: { jobId: expect.any(String) } });
  });
});
