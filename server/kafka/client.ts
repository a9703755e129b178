// The one place that builds kafkajs clients: options that matter are passed explicitly here,
// and kafkajs's own log lines are routed into pino.
import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
import { config } from '../config';
import { limits } from '../limits';
import { componentLogger } from '../logger';

const kafkaLogger = componentLogger('kafkajs');

const pinoLogCreator: logCreator = () => (entry: LogEntry) => {
  const { message, ...extra } = entry.log;
  const fields = { namespace: entry.namespace, ...extra };
  switch (entry.level) {
    case logLevel.ERROR:
      kafkaLogger.error(fields, message);
      break;
    case logLevel.WARN:
      kafkaLogger.warn(fields, message);
      break;
    case logLevel.INFO:
      kafkaLogger.info(fields, message);
      break;
    case logLevel.DEBUG:
    case logLevel.NOTHING:
      kafkaLogger.debug(fields, message);
      break;
    default: {
      const unreachable: never = entry.level;
      throw new Error(`unknown kafkajs log level ${String(unreachable)}`);
    }
  }
};

export function createKafka(clientId: string = config.KAFKA_CLIENT_ID): Kafka {
  return new Kafka({
    clientId,
    brokers: config.KAFKA_BROKERS,
    connectionTimeout: limits.kafkaConnectionTimeoutMs,
    requestTimeout: limits.kafkaRequestTimeoutMs,
    // kafkajs retries forever by default in places; bound it so that callers see failures and can answer 503.
    retry: { retries: limits.kafkaRetries, initialRetryTime: 100, maxRetryTime: 2_000 },
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator,
  });
}
