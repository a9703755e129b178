// Structured JSON logs (pino) for every process; children name the component that speaks.
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import { config } from './config';

// pino's own base fields (pid, hostname), plus the process's name when it has one (npm run up's worker-2, say).
const base = { pid: process.pid, hostname: hostname(), ...(config.BPS_PROCESS_NAME === undefined ? {} : { process: config.BPS_PROCESS_NAME }) };

export const logger: Logger = pino({ level: config.LOG_LEVEL, base });

export function componentLogger(component: string): Logger {
  return logger.child({ component });
}
