// Structured JSON logs (pino) for every process; children name the component that speaks.
import { pino, type Logger } from 'pino';
import { config } from './config';

export const logger: Logger = pino({ level: config.LOG_LEVEL });

export function componentLogger(component: string): Logger {
  return logger.child({ component });
}
