/**
 * The panel under the canvas: charts over simulated time, the event log, a request's waterfall,
 * and the exports (summary JSON, time series CSV, event log JSON lines; each chart has its own
 * SVG and PNG buttons).
 */
import './panels.css';
import { useState } from 'react';
import { exportFileName, seriesCsv, summaryJson } from '../../run/export';
import { useApp, showToast } from '../store';
import { useController } from '../context';
import { ChartsGrid } from '../charts/Charts';
import { useSeries } from '../charts/series';
import { EventLog } from './EventLog';
import { WaterfallPanel } from './Waterfall';
import { download } from './download';

type Tab = 'charts' | 'events' | 'waterfall';

/** Open at first only where the window is tall enough for the canvas to keep half of it. */
const roomy = (): boolean => typeof window === 'undefined' || window.innerHeight >= 820;

const TABS: { id: Tab; label: string }[] = [
  { id: 'charts', label: 'Charts' },
  { id: 'events', label: 'Event log' },
  { id: 'waterfall', label: 'Waterfall' },
];

export function BottomPanel() {
  const [tab, setTab] = useState<Tab>('charts');
  const [open, setOpen] = useState(roomy);
  const [requestId, setRequestId] = useState<number | null>(null);
  const openRequest = (id: number) => {
    setRequestId(id);
    setTab('waterfall');
    setOpen(true);
  };
  return (
    <section className={`bottom${open ? '' : ' is-collapsed'}`} aria-label="Charts, event log and waterfall">
      <div className="bottom-head">
        <div className="tabs" role="tablist">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={open && tab === t.id}
              className={`tab${open && tab === t.id ? ' is-active' : ''}`}
              onClick={() => {
                setTab(t.id);
                setOpen(true);
              }}
              data-testid={`tab-${t.id}`}
            >
              {t.label}
            </button>
          ))}
        </div>
        <Exports />
        <button type="button" className="btn btn-small" onClick={() => setOpen(!open)} aria-expanded={open} aria-label={open ? 'Hide the bottom panel' : 'Show the bottom panel'}>
          {open ? '▾ hide' : '▴ show'}
        </button>
      </div>
      {open ? (
        <div className="bottom-body" role="tabpanel">
          {tab === 'charts' ? <ChartsGrid /> : null}
          {tab === 'events' ? <EventLog onOpenRequest={openRequest} /> : null}
          {tab === 'waterfall' ? <WaterfallPanel key={requestId ?? 'none'} requestId={requestId} onPick={openRequest} /> : null}
        </div>
      ) : null}
    </section>
  );
}

function Exports() {
  const controller = useController();
  const ready = useApp((s) => s.summary !== null);
  const [busy, setBusy] = useState(false);
  const names = () => {
    const s = useApp.getState().scenario;
    return { name: s?.name ?? 'run', seed: s?.seed ?? '' };
  };
  const saveSummary = () => {
    const summary = useApp.getState().summary;
    if (!summary) return;
    const { name, seed } = names();
    download(exportFileName(name, seed, 'summary', 'json'), summaryJson(summary), 'application/json');
  };
  const saveSeries = () => {
    const { name, seed } = names();
    download(exportFileName(name, seed, 'series', 'csv'), seriesCsv(useSeries.getState().samples), 'text/csv');
  };
  const saveEvents = async () => {
    setBusy(true);
    try {
      const r = await controller.exportEvents();
      const { name, seed } = names();
      if (typeof r === 'string') {
        showToast(`The event log could not be exported: ${r}`);
        return;
      }
      download(exportFileName(name, seed, 'events', 'jsonl'), r.text, 'application/x-ndjson');
      if (r.truncated) showToast(`The event log was cut at ${r.events.toLocaleString('en-US')} events: the CLI's --events writes them all.`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="exports" aria-label="Export">
      <span className="exports-label">Export</span>
      <button type="button" className="btn btn-small" onClick={saveSummary} disabled={!ready} data-testid="export-summary">
        Summary JSON
      </button>
      <button type="button" className="btn btn-small" onClick={saveSeries} disabled={!ready} data-testid="export-series">
        Time series CSV
      </button>
      <button type="button" className="btn btn-small" onClick={() => void saveEvents()} disabled={!ready || busy} data-testid="export-events">
        {busy ? 'Exporting…' : 'Event log JSONL'}
      </button>
    </div>
  );
}
