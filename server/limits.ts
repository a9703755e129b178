// Every bound of the system in one place, so that none hides in the code that uses it.
export const limits = {
  // Largest quantity of one restock or one purchase; stock counts stay far inside Postgres's int range.
  quantityMax: 10_000,
  // Largest total ever restocked for one item: keeps counters inside Postgres's 32-bit integer columns.
  stockMax: 1_000_000_000,
  // itemId: 1-64 of [A-Za-z0-9._-]; purchaseId and restockId likewise up to 64 (a UUID fits); names and descriptions bounded.
  itemIdLengthMax: 64,
  purchaseIdLengthMax: 64,
  restockIdLengthMax: 64,
  purchasedByLengthMax: 100,
  descriptionLengthMax: 500,
  // How long start-up waits for Kafka or Postgres before giving up.
  connectTimeoutMs: 10_000,
  kafkaConnectionTimeoutMs: 3_000,
  kafkaRequestTimeoutMs: 10_000,
  kafkaRetries: 5,
  // /api/health must answer quickly even when a dependency hangs.
  healthCheckTimeoutMs: 2_000,
  // The auditor's whole read of both topics up to their ends; past this a partition is stuck (e.g. an open transaction).
  auditReadTimeoutMs: 120_000,
  // The auditor process: how often the incremental audit reads what is new on the topics and stores a report,
  // how often it looks for a seller's full-audit job, and how many finished jobs are kept.
  auditIntervalMs: 5_000,
  auditJobPollMs: 1_000,
  auditJobsKeptMax: 20,
  // `prisma migrate deploy` should take seconds; past this something hangs (a lock, an unreachable server).
  migrateDeployTimeoutMs: 120_000,
  // One partition batch is one Postgres transaction; past this it is rolled back and the batch retried. Postgres
  // also ends one left idle this long between statements (a paused worker's), releasing the partition's lock.
  batchTransactionTimeoutMs: 10_000,
  // Dead letters keep this much of the record's value and key (enough to recognise it, bounded per row), and the
  // seller's list shows the newest ones up to this count.
  deadLetterValueBytesMax: 1_024,
  deadLetterKeyBytesMax: 256,
  deadLettersListedMax: 100,
  // Bytes fetched per partition and request: bounds the size of one batch (about 2,000 purchases).
  workerFetchBytesPerPartitionMax: 512 * 1024,
  // How long a fetch waits for new messages when a partition is idle; short, so results stay prompt.
  workerFetchWaitMsMax: 50,
  // A dead worker's partitions move after this (the broker's minimum is 6 s).
  workerSessionTimeoutMs: 6_000,
  workerHeartbeatIntervalMs: 1_000,
  // How often the worker copies its applied offsets to Kafka's group offsets (for tools; Postgres is the truth).
  workerKafkaCommitIntervalMs: 2_000,
  // The worker's start-up, its partition claims and a batch transaction that fails for a reason outside the
  // records (database down, a timeout; never dead-lettered) retry after a pause doubling from the first to the second.
  workerRetryDelayMsMin: 100,
  workerRetryDelayMsMax: 5_000,
  // Results published per produce request by the outbox relay.
  relayBatchSizeMax: 1_000,
  // The relay also sweeps for unsent results this often (leftovers of a crash or of a previous owner).
  relaySweepIntervalMs: 250,
  // Sent results stay in the outbox this long, only so that a live feed can resume after a disconnect; the
  // topic keeps them for ever and the purchases table answers every other read. Ten minutes covers a socket's
  // reconnects (seconds), a tunnel or a laptop lid closed for a coffee; a feed away longer is told to reload,
  // which costs it one more resume. At the benchmark's 3,200 results/s that is about 2 million rows of about
  // 600 bytes (measured with pg_column_size), about 1.2 GB with the indexes: bounded, and far below the disk.
  outboxRetentionMs: 10 * 60 * 1000,
  // Rows one prune statement deletes: each batch is its own short transaction (measured over 200,000 rows here:
  // median 12-18 ms, slowest about 100 ms), so pruning never holds locks or a snapshot for long, and the
  // relay's position row is touched once per batch.
  outboxPruneBatchRowsMax: 1_000,
  // How often the relay prunes its partitions. At 3,200 results/s a run finds about 100,000 rows: 100 batches,
  // about 1.5 s of one pool connection every 30 s.
  outboxPruneIntervalMs: 30_000,
  // The web process's produce buffer: how long the first message waits for company, how many go in one
  // request, and how long an HTTP request waits for Kafka's acknowledgement before answering 503. No linger
  // beyond the current turn of the event loop: batches fill while the previous request is in flight, so a
  // fixed linger only added its own length to every purchase at low load (measured: 2 ms per hop).
  produceLingerMs: 0,
  produceBatchSizeMax: 500,
  produceTimeoutMs: 5_000,
  // Messages allowed to wait for the next produce request; past this the API answers 503 at once.
  produceQueueMax: 10_000,
  // Seconds a client should wait before retrying after a 503.
  retryAfterSeconds: 2,
  // Connections of a process's plain pg pool (server/db/pool.ts): the web's buy path, the worker's batch
  // transactions and its relay, up to 6 partition batches at once. Prisma keeps its own pool for the rest.
  pgPoolSizeMax: 10,
  // Purchase intake: requests gathered into one Postgres statement (linger as for the produce buffer).
  intakeLingerMs: 0,
  intakeBatchSizeMax: 500,
  // POST /api/purchases?wait=: the longest blocking wait, and how many waiters one web process holds.
  purchaseWaitMsMax: 10_000,
  waitersMax: 20_000,
  // Holds (book now, pay later): how long one lasts, in seconds (the body's ttlSeconds; the default is config's
  // HOLD_TTL_SECONDS). Its partition owner appends the expiry this long after expiresAt: longer than a confirm's
  // produce may take (produceTimeoutMs), so a confirm stamped in time and acknowledged with a 2xx is always in the
  // log before its hold's expiry, and wins.
  holdTtlSecondsMin: 1,
  holdTtlSecondsMax: 3_600,
  holdTtlSecondsDefault: 600,
  holdConfirmGraceMs: 7_000,
  // How often a partition owner looks for holds due to expire, the most it appends per look, and how long it
  // waits before appending the same hold's expiry again (the first append may have been lost with a crash).
  holdExpiryScanIntervalMs: 500,
  holdExpiryBatchMax: 1_000,
  holdExpiryRetryMs: 30_000,
  // Against scalping: per client address, active holds and the units they hold (defaults; config can change them).
  holdsPerClientMax: 5,
  heldUnitsPerClientMax: 20,
  // Hold rooms one socket may join.
  socketHoldRoomsMax: 100,
  // The seller's list of recent sales (refunds start there).
  salesListedMax: 100,
  // Request bodies above this are refused with 413 before they are parsed.
  requestBodyBytesMax: 4 * 1024,
  // GET /api/items page size, its search text and its cursor (an encoded sort key and itemId).
  itemsPageSizeMax: 1_000,
  itemSearchLengthMax: 100,
  itemsCursorLengthMax: 800,
  // A unit price in minor units (a million in a two-digit currency), and a low-stock warning level. A purchase's
  // total is at most quantityMax × unitPriceMax = 10^12, far inside a JavaScript number and PostgreSQL's bigint.
  unitPriceMax: 100_000_000,
  lowStockThresholdMax: 1_000_000,
  // GET /api/purchases?ids=: ids read at once ("My purchases").
  purchaseLookupIdsMax: 100,
  // Item rooms one socket may join.
  socketItemRoomsMax: 100,
  // Pause before the stock-notification listener reconnects to Postgres.
  notificationReconnectMs: 1_000,
  // Results a live feed keeps on screen, and the most it is sent when it resumes after a disconnect.
  feedResultsMax: 200,
  feedReplayMax: 200,
  // Seller sessions: how long a sign-in lasts at most (the server refuses a session older than this, whatever its
  // stored expiry says), and how many failed sign-ins one client address may make per window.
  sessionTtlMs: 8 * 60 * 60 * 1000,
  signInFailuresMax: 5,
  signInWindowMs: 60_000,
  // The seller account's own limit, over all addresses: after this many failures in a row, each further failure
  // pauses password sign-in for twice as long as the one before, from the first pause up to the longest. A quiet
  // spell of the reset time forgets the failures. The bearer token and open sessions are never paused.
  signInAccountFailuresFree: 10,
  signInAccountPauseMsMin: 1_000,
  signInAccountPauseMsMax: 15 * 60 * 1000,
  signInAccountResetMs: 60 * 60 * 1000,
  // The seller dashboard's chart: its three ranges and their bucket widths (the chart's scale follows the window).
  statsRanges: { '5m': { minutes: 5, bucketSeconds: 10 }, '1h': { minutes: 60, bucketSeconds: 60 }, '24h': { minutes: 1_440, bucketSeconds: 900 } },
  // The browser's API client: how long the shop lets the server hold a purchase for its decision, and how long
  // any request may take (a purchase's bound adds the wait, since the server answers only after it).
  browserPurchaseWaitMs: 3_000,
  browserRequestTimeoutMs: 10_000,
  // Per-client bounds at the edge (defaults; config can raise them, as the benchmark does, whose load comes
  // from one address). Counted per web process, each holding an equal share of the bound.
  clientWaitersMax: 64,
  clientSocketsMax: 32,
  feedResumesPerMinuteMax: 30,
  // node:http's own clocks: the whole request (a body trickled in slowly is cut) and its headers.
  httpRequestTimeoutMs: 30_000,
  httpHeadersTimeoutMs: 10_000,
  // How often node:http checks those clocks (its default, 30 s, would let a slow body live that much longer).
  httpConnectionsCheckIntervalMs: 1_000,
  // The request line and headers together (node:http's maxHeaderSize, its default made explicit): past it the
  // answer is 431 in the API's error shape (server/http/client-error.ts).
  httpHeaderBytesMax: 16_384,
  // ── benchmark: the row-lock baseline (server/baseline) ──
  // Its pool's largest size, how long a purchase may wait for one of its connections, and how long its one
  // statement may run (mostly queued on the hot row's lock) before Postgres cancels it.
  baselinePoolSizeMax: 100,
  baselineConnectionWaitMsMax: 15_000,
  baselineStatementTimeoutMs: 15_000,
  // Metrics: how often the worker reads its partitions' high watermarks for the lag gauge when no batch comes
  // (an idle or stuck worker), the most outbox rows counted per partition for the backlog gauge (a scrape
  // stays cheap during a long Kafka outage), and how long a web process waits for the cluster primary's sum
  // of all web processes' metrics (prom-client itself gives up on a silent process after 5 s).
  workerLagRefreshIntervalMs: 5_000,
  outboxBacklogCountMax: 100_000,
  clusterMetricsTimeoutMs: 6_000,
  // Graceful shutdown: after this the process exits anyway.
  shutdownTimeoutMs: 10_000,
} as const;
