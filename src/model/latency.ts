/** End-to-end latency statistics from a log-linear histogram (engine/histogram.ts). */
import { Histogram } from '../engine/histogram';

export interface LatencyStats {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export class LatencyRecorder {
  private readonly hist = new Histogram();

  record(ms: number): void {
    this.hist.record(ms);
  }

  get count(): number {
    return this.hist.count;
  }

  stats(): LatencyStats {
    const h = this.hist;
    return { mean: h.mean, p50: h.percentile(50), p90: h.percentile(90), p99: h.percentile(99), max: h.max };
  }
}
