// kafkajs restarts a crashed consumer only after an error it deems retriable. KafkaJSGroupCoordinatorNotFound,
// which a restarting broker causes, is not: the consumer then stops for good while its process lives on, a worker
// that decides nothing or a web process that pushes no results. npm run chaos found workers sitting idle for
// minutes after a broker restart. Such a process exits instead, and its supervisor starts it again (a worker's
// state is in PostgreSQL; a web process's waiters are answered by the clients' retries).
import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';

export const consumerGaveUpExitCode = 1;

export function exitWhenConsumerGivesUp(
  consumer: Pick<Consumer, 'on' | 'events'>,
  log: Logger,
  what: string,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) return;
    log.fatal({ err: payload.error, groupId: payload.groupId }, `${what}: kafkajs stopped its consumer for good; exiting so that the supervisor starts the process again`);
    exit(consumerGaveUpExitCode);
  });
}
