/**
 * The export formats the bottom panel's buttons write, fetched on the first export. Only these
 * three: run/export.ts also re-runs documents (the event log), which would pull the model in.
 */
export { exportFileName, seriesCsv, summaryJson } from '../../run/export';
