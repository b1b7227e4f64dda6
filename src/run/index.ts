export { createRun, DEFAULT_MAX_EVENTS } from './run';
export type { FullRunOptions } from './run';
export type * from './types';
export { metricValue, checkExpectations, describeFailure } from './expect';
export type { ExpectationResult, MetricResult } from './expect';
