/**
 * A call's policies as the configuration a user would paste, and back: resilience4j's Spring
 * Boot YAML (`resilience4j.circuitbreaker.instances.<name>`, `retry`, `bulkhead`, `timelimiter`)
 * and opossum's options object, only where the model maps exactly — what does not map is listed
 * by name. A snippet pasted here sets this call's policies; a malformed one names its line or key
 * and the scenario stays as it was. Shown in the inspector of a call, a route or a client.
 *
 * Loaded lazily with the converters.
 */
import { useMemo, useState } from 'react';
import { applyPolicy, exportOpossum, exportResilience4j, importOpossum, importResilience4j, listPolicyHolders, policyOf, resilience4jInstances } from '../../scenario/convert';
import type { Note, Problem } from '../../scenario/convert';
import { useController } from '../context';
import { useApp } from '../store';
import { downloadText } from '../files';
import { apply } from './editor';
import { Notes } from './ConfigDialog';

type Format = 'resilience4j' | 'opossum';

export default function PolicyConvert({ path }: { path: (string | number)[] }) {
  const controller = useController();
  const document = useApp((s) => s.document);
  const scenario = useApp((s) => s.scenario);
  const editable = useApp((s) => s.editable);
  const holder = useMemo(() => listPolicyHolders(document).find((h) => JSON.stringify(h.path) === JSON.stringify(path)) ?? null, [document, path]);
  const [format, setFormat] = useState<Format>('resilience4j');
  const [text, setText] = useState('');
  const [result, setResult] = useState<{ problems: Problem[] } | { notes: Note[] } | null>(null);
  // A file with several instances (backendA, backendB…): which one this call takes, the one named
  // after its target unless another is chosen.
  const instances = useMemo(() => (format === 'resilience4j' ? resilience4jInstances(text) : []), [format, text]);
  const [picked, setPicked] = useState('');

  const exported = useMemo(() => {
    if (!holder || !scenario) return null;
    const policy = policyOf(scenario, holder);
    if (format === 'resilience4j') {
      const out = exportResilience4j(policy, { instance: holder.target });
      return out.value.trim() === ''
        ? { ok: false as const, problems: [{ path: '', message: 'it has no timeout, retry, breaker or bulkhead yet' }] }
        : { ok: true as const, text: out.value, notes: out.notes };
    }
    const out = exportOpossum(policy);
    return out.ok ? { ok: true as const, text: `${JSON.stringify(out.value, null, 2)}\n`, notes: out.notes } : { ok: false as const, problems: out.problems };
  }, [holder, scenario, format]);

  if (!holder || !scenario) return null;
  const instance = instances.length > 1 ? (instances.includes(picked) ? picked : instances.includes(holder.target) ? holder.target : instances[0]!) : null;

  const importSnippet = async () => {
    let imported;
    if (format === 'resilience4j') {
      imported = importResilience4j(text, instance === null ? {} : { instance });
    } else {
      imported = importOpossum(text);
    }
    if (!imported.ok) {
      setResult({ problems: imported.problems });
      return;
    }
    const doc = applyPolicy(document as Record<string, unknown>, holder, imported.value.policy);
    const refused = await apply(controller, { ok: true, doc: doc as never, label: `import ${format} into ${holder.ref}`, changes: [] });
    setResult(refused === null ? { notes: imported.notes } : { problems: [{ path: '', message: refused }] });
  };

  return (
    <section className="policy-convert" aria-label={`Policies of ${holder.ref} as configuration`} data-testid="policy-convert">
      <h3 className="side-title">Policies of {holder.ref} as configuration</h3>
      <div className="config-row" role="radiogroup" aria-label="Configuration format">
        {(['resilience4j', 'opossum'] as const).map((f) => (
          <label key={f} className="config-radio">
            <input type="radio" name="policy-format" checked={format === f} onChange={() => { setFormat(f); setResult(null); }} /> {f === 'resilience4j' ? 'resilience4j (Spring Boot YAML)' : 'opossum (options)'}
          </label>
        ))}
      </div>
      {exported?.ok ? (
        <>
          <textarea className="field-input config-text" readOnly rows={Math.min(14, exported.text.split('\n').length)} value={exported.text} aria-label={`${format} configuration of ${holder.ref}`} data-testid="policy-export" />
          <div className="config-row">
            <button type="button" className="btn btn-small" onClick={() => downloadText(exported.text, format === 'resilience4j' ? `${holder.target}-resilience4j.yml` : `${holder.target}-opossum.json`, format === 'resilience4j' ? 'application/yaml' : 'application/json')}>
              Download
            </button>
            <button type="button" className="btn btn-small" onClick={() => void navigator.clipboard?.writeText(exported.text).catch(() => undefined)}>
              Copy
            </button>
          </div>
          <Notes notes={exported.notes} title="What does not map" />
        </>
      ) : exported ? (
        <p className="muted" data-testid="policy-export-none">
          No {format} options for this call: {exported.problems.map((p) => (p.path ? `${p.path} ${p.message}` : p.message)).join('; ')}.
        </p>
      ) : null}
      {editable ? (
        <form
          className="policy-import"
          onSubmit={(e) => {
            e.preventDefault();
            void importSnippet();
          }}
        >
          <label>
            <span className="field-label">Paste {format === 'resilience4j' ? 'resilience4j YAML or properties' : 'opossum options (JSON or an object literal)'} to set this call’s policies</span>
            <textarea className="field-input config-text" rows={5} value={text} spellCheck={false} onChange={(e) => { setText(e.target.value); setResult(null); }} data-testid="policy-import-text" />
          </label>
          {instance !== null ? (
            <label className="config-row">
              <span>This file has {instances.length} instances; import</span>
              <select aria-label="resilience4j instance to import" value={instance} onChange={(e) => { setPicked(e.target.value); setResult(null); }} data-testid="policy-instance">
                {instances.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <button type="submit" className="btn btn-small" disabled={text.trim() === ''} data-testid="policy-import">
            Import into {holder.ref}
          </button>
          {result && 'problems' in result ? (
            <ul className="field-problems" role="alert" data-testid="policy-import-problems">
              {result.problems.map((p, i) => (
                <li key={i}>
                  {p.path ? <code>{p.path}</code> : null} {p.message}
                </li>
              ))}
            </ul>
          ) : null}
          {result && 'notes' in result ? (
            <>
              <p className="muted" data-testid="policy-import-done">Imported: the call’s policies are set and the scenario re-ran.</p>
              <Notes notes={result.notes} title="Settings that do not map" />
            </>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
