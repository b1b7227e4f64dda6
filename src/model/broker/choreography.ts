/**
 * Choreographed sagas: no orchestrator, only events. A saga is named by its correlationId: it
 * starts when an event of a publish with `startsSaga` first reaches the broker, and ends exactly
 * once (counted in the world's saga accounting with the orchestrators' sagas):
 * - **completed** when a consume entry with `completesSaga` processes one of its messages;
 * - **compensated** when a consume entry with `compensates` processes one of its messages (the
 *   compensating event that a failed step published with `onFailurePublish`);
 * - **stuck** when a message of the saga ends unprocessed (dead-lettered, dropped, lost with an
 *   automatic ack) and no compensation is on its way — or, once a step failed and published its
 *   compensating events, when one of those ends unprocessed;
 * - otherwise it is still running at the end of the run.
 * A message dead-lettered into a queue that a consumer then processes is not followed: the saga
 * stays stuck (the model does not watch dead-letter queues being drained).
 */
import type { SagaAccounting } from '../saga';

interface ChoreoSaga {
  readonly id: number;
  /** A step failed and published its compensating events: only their loss makes it stuck. */
  compensating: boolean;
  /** The compensating events in flight (eventIds). */
  readonly compensations: Set<string>;
}

export interface ChoreographyCounts {
  started: number;
  completed: number;
  compensated: number;
  stuck: number;
  running: number;
}

export class ChoreographedSagas {
  private readonly running = new Map<string, ChoreoSaga>();
  /** Correlations whose saga has ended (a later event of them starts nothing). */
  private readonly ended = new Set<string>();
  private readonly counts = { started: 0, completed: 0, compensated: 0, stuck: 0 };

  constructor(private readonly accounting: SagaAccounting) {
    accounting.used = true;
    accounting.choreographed = this;
  }

  /** An event of a saga-starting publish reached the broker (the first one of a correlation starts it). */
  start(correlationId: string | null): void {
    if (correlationId === null || this.running.has(correlationId) || this.ended.has(correlationId)) return;
    this.running.set(correlationId, { id: this.accounting.start(), compensating: false, compensations: new Set() });
    this.counts.started++;
  }

  /** A step failed and published compensating events. */
  compensating(correlationId: string | null, eventIds: readonly string[]): void {
    const s = correlationId === null ? undefined : this.running.get(correlationId);
    if (!s) return;
    s.compensating = true;
    for (const e of eventIds) s.compensations.add(e);
  }

  completed(correlationId: string | null): void {
    this.end(correlationId, 'completed');
  }

  compensated(correlationId: string | null): void {
    this.end(correlationId, 'compensated');
  }

  /** A copy of a saga's message ended without being processed. */
  unprocessed(correlationId: string | null, eventId: string): void {
    const s = correlationId === null ? undefined : this.running.get(correlationId);
    if (!s) return;
    if (s.compensating && !s.compensations.has(eventId)) return; // the failed step's own message: its compensation is on its way
    this.end(correlationId, 'stuck');
  }

  private end(correlationId: string | null, outcome: 'completed' | 'compensated' | 'stuck'): void {
    if (correlationId === null) return;
    const s = this.running.get(correlationId);
    if (!s) return;
    this.running.delete(correlationId);
    this.ended.add(correlationId);
    this.counts[outcome]++;
    this.accounting.end(s.id, outcome);
  }

  summary(): ChoreographyCounts {
    return { ...this.counts, running: this.running.size };
  }

  check(out: string[]): void {
    const c = this.counts;
    if (c.started !== c.completed + c.compensated + c.stuck + this.running.size) {
      out.push(`choreographed sagas: started ${c.started} != completed ${c.completed} + compensated ${c.compensated} + stuck ${c.stuck} + running ${this.running.size}`);
    }
  }
}
