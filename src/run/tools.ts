/**
 * What the simulation worker answers the bottom panel and live faults with: event-log queries,
 * a request's waterfall, the event-log export, and faults written into the document. A chunk of
 * its own in the worker, loaded by the first command that needs it (host.ts `partsNeeded`), so the
 * first view goes without it.
 */
import { queryEvents } from './eventQuery';
import { traceRequest } from './waterfall';
import { eventLogJsonLines } from './export';
import { endFault, withLiveFault } from './live';

export { queryEvents, traceRequest, eventLogJsonLines, endFault, withLiveFault };

/** This module, as the host takes it. */
export interface Tools {
  queryEvents: typeof queryEvents;
  traceRequest: typeof traceRequest;
  eventLogJsonLines: typeof eventLogJsonLines;
  endFault: typeof endFault;
  withLiveFault: typeof withLiveFault;
}
