// Goal: a process exits when kafkajs stops its consumer for good (a crash it will not restart), and only then.
import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { consumerGaveUpExitCode, exitWhenConsumerGivesUp } from './consumer-crash';

const crash = 'consumer.crash';

// The two members of a kafkajs consumer the helper uses, over a plain emitter that hands events over as kafkajs does.
function fakeConsumer() {
  const emitter = new EventEmitter();
  const consumer = {
    events: { CRASH: crash },
    on: (event: string, listener: (event: { payload: unknown }) => void) => {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
  } as unknown as Pick<Consumer, 'on' | 'events'>;
  const crashWith = (restart: boolean) => emitter.emit(crash, { payload: { error: new Error('Failed to find group coordinator'), groupId: 'g', restart } });
  return { consumer, crashWith };
}

describe('exitWhenConsumerGivesUp', () => {
  const silent = pino({ level: 'silent' });

  it('exits when kafkajs will not restart the consumer', () => {
    const { consumer, crashWith } = fakeConsumer();
    const exits: number[] = [];
    exitWhenConsumerGivesUp(consumer, silent, 'worker', (code) => exits.push(code));
    crashWith(false);
    expect(exits).toEqual([consumerGaveUpExitCode]);
  });

  it('leaves a crash that kafkajs restarts alone', () => {
    const { consumer, crashWith } = fakeConsumer();
    const exits: number[] = [];
    exitWhenConsumerGivesUp(consumer, silent, 'worker', (code) => exits.push(code));
    crashWith(true);
    crashWith(true);
    expect(exits).toEqual([]);
  });
});
