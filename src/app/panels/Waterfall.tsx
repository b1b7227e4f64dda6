/**
 * One request as a waterfall: a row per span (the request, each attempt at each hop, backoff
 * waits, rejections, timeouts, published messages and their copies), bars on the request's own
 * time axis, nested by hop. Pick a request from the event log, or type its correlation id.
 */
import { useEffect, useState } from 'react';
import { scaleLinear } from 'd3';
import type { Waterfall as WaterfallData, WaterfallSpan } from '../../run/waterfall';
import { parseRequestRef } from '../../run/waterfall';
import { useController } from '../context';
import { formatClock, formatMs } from '../format';

const LABEL_W = 330;
const ROW_H = 26;

const OUTCOME_LABEL: Record<WaterfallSpan['outcome'], string> = {
  ok: 'ok',
  error: 'error',
  timeout: 'timeout',
  rejected: 'rejected',
  pending: 'in flight',
  wait: 'waiting',
  info: '',
  'dead-lettered': 'dead-lettered',
  dropped: 'dropped',
};

export function WaterfallPanel({ requestId, onPick }: { requestId: number | null; onPick: (id: number) => void }) {
  const controller = useController();
  const [text, setText] = useState(requestId !== null ? `c-${requestId}` : '');
  const [state, setState] = useState<{ id: number; data: WaterfallData; rerun: boolean } | { id: number; error: string } | null>(null);
  const [width, setWidth] = useState(900);

  useEffect(() => {
    if (requestId === null) return;
    let live = true;
    void controller.waterfall(requestId).then((r) => {
      if (!live) return;
      setState(typeof r === 'string' ? { id: requestId, error: r } : { id: requestId, data: r.waterfall, rerun: r.rerun });
    });
    return () => {
      live = false;
    };
  }, [controller, requestId]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const id = parseRequestRef(text);
    if (id !== null) onPick(id);
  };

  return (
    <div className="waterfall" data-testid="waterfall">
      <form className="panel-filters" onSubmit={submit}>
        <label>
          request
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="c-123" aria-label="Correlation id" size={10} />
        </label>
        <button type="submit" className="btn btn-small">
          Show
        </button>
        <span className="panel-note">Pick a request in the event log, or type its correlation id (c-…).</span>
      </form>
      <div
        className="waterfall-scroll"
        ref={(el) => {
          if (el && Math.abs(el.clientWidth - width) > 4) setWidth(el.clientWidth);
        }}
      >
        {state === null || state.id !== requestId ? (
          <p className="panel-empty">{requestId === null ? 'No request picked yet.' : 'Loading…'}</p>
        ) : 'error' in state ? (
          <p className="panel-empty">{state.error}</p>
        ) : (
          <WaterfallChart data={state.data} rerun={state.rerun} width={width} />
        )}
      </div>
    </div>
  );
}

function WaterfallChart({ data, rerun, width }: { data: WaterfallData; rerun: boolean; width: number }) {
  if (data.spans.length === 0) return <p className="panel-empty">Request c-{data.requestId} has no events up to now (not sent yet?).</p>;
  const span = Math.max(1, data.endMs - data.startMs);
  const plotW = Math.max(200, width - LABEL_W - 90);
  // The request's own clock: 0 at its start.
  const rel = scaleLinear().domain([0, span]).range([0, plotW]);
  const x = (t: number) => rel(t - data.startMs);
  const ticks = rel.ticks(6);
  const h = data.spans.length * ROW_H + 34;
  const status = data.status === null ? 'still in flight' : `${data.status} ${data.reason ?? ''}`;
  return (
    <>
      <p className="waterfall-head" data-testid="waterfall-head">
        <strong>c-{data.requestId}</strong> · started {formatClock(data.startMs)} · {status} · {formatMs(span)} shown
        {rerun ? <span className="panel-note"> · re-run to find its events (the ring had dropped them)</span> : null}
        {!data.complete ? <span className="invariants-bad"> · its start is not in the events</span> : null}
      </p>
      <svg className="waterfall-svg" width={LABEL_W + plotW + 80} height={h} role="img" aria-label={`Waterfall of request c-${data.requestId}`}>
        <g transform={`translate(${LABEL_W},20)`}>
          {ticks.map((t) => (
            <g key={t} transform={`translate(${rel(t)},0)`}>
              <line y1={-4} y2={data.spans.length * ROW_H} className="chart-grid" />
              <text y={-7} textAnchor="middle" className="chart-tick">
                +{formatMs(t)}
              </text>
            </g>
          ))}
        </g>
        {data.spans.map((s, i) => {
          const y = 20 + i * ROW_H;
          const x0 = x(s.startMs);
          const x1 = x(s.endMs);
          const instant = s.endMs - s.startMs < span / 400;
          return (
            <g key={i} transform={`translate(0,${y})`} className={`wf-row wf-${s.kind} wf-${s.outcome}`} data-kind={s.kind}>
              <title>{`${s.label}\n${formatClock(s.startMs)} → ${formatClock(s.endMs)} (${formatMs(s.endMs - s.startMs)})\n${s.detail}`}</title>
              <text x={8 + s.depth * 16} y={ROW_H / 2} dy="0.32em" className="wf-label">
                {s.label}
              </text>
              <g transform={`translate(${LABEL_W},0)`}>
                {instant ? (
                  <path d={`M${x0},${4} l6,${(ROW_H - 8) / 2} l-6,${(ROW_H - 8) / 2} l-6,${-(ROW_H - 8) / 2} z`} className="wf-mark" />
                ) : (
                  <rect x={x0} y={5} width={Math.max(2, x1 - x0)} height={ROW_H - 10} rx={3} className="wf-bar" />
                )}
                <text x={Math.max(x0, x1) + 10} y={ROW_H / 2} dy="0.32em" className="wf-note">
                  {instant ? s.detail : `${formatMs(s.endMs - s.startMs)}${OUTCOME_LABEL[s.outcome] ? ` · ${OUTCOME_LABEL[s.outcome]}` : ''}`}
                </text>
              </g>
            </g>
          );
        })}
      </svg>
    </>
  );
}
