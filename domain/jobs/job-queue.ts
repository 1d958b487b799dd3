import type { Decider } from '../shared/decider.js';
import { invalid } from '../shared/errors.js';
import { type JobQueueEvent, QUEUE_NAME } from './job-queue-events.js';

export interface JobQueueState {
  paused: boolean;
}

export type JobQueueCommand =
  | { type: 'PauseQueue'; queue: string; reason: string | null }
  | { type: 'ResumeQueue'; queue: string }
  | { type: 'RecordRetry'; queue: string; jobId: string }
  | { type: 'RecordRunRequest'; queue: string; jobId: string };

const REASON_MAX = 500;

/**
 * A queue is running or paused. Pausing a paused queue (or resuming a running one) appends nothing:
 * the admin's wish already holds. Retries and manual runs are recorded whatever the state (a run
 * asked for while paused waits until the queue is resumed).
 */
export const jobQueueDecider: Decider<JobQueueCommand, JobQueueState, JobQueueEvent> = {
  initialState: () => ({ paused: false }),

  evolve(state, event) {
    if (event.type === 'JobQueuePaused') return { paused: true };
    if (event.type === 'JobQueueResumed') return { paused: false };
    return state;
  },

  decide(command, state) {
    if (!QUEUE_NAME.test(command.queue)) return invalid('QUEUE_NAME_INVALID', 'Tên hàng đợi không hợp lệ', 'queue');
    const on = { targetId: command.queue, queue: command.queue };
    switch (command.type) {
      case 'PauseQueue': {
        if (state.paused) return [];
        const reason = command.reason?.trim() || null;
        if (reason !== null && reason.length > REASON_MAX)
          return invalid('REASON_TOO_LONG', `Lý do tối đa ${REASON_MAX} ký tự`, 'reason');
        return [{ type: 'JobQueuePaused', data: { ...on, reason } }];
      }
      case 'ResumeQueue':
        return state.paused ? [{ type: 'JobQueueResumed', data: on }] : [];
      case 'RecordRetry':
        return [{ type: 'JobRetried', data: { ...on, jobId: command.jobId } }];
      case 'RecordRunRequest':
        return [{ type: 'JobRunRequested', data: { ...on, jobId: command.jobId } }];
    }
  },
};
