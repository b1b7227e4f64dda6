/**
 * The policy holders of a document, named `NODE->TARGET`: a service's call, a gateway's route,
 * or a client's requests. The second call from one node to the same target is `NODE->TARGET#2`.
 */
import type { Policy, Scenario } from '../schema';
import { isObj, type Obj } from './common';

export interface PolicyHolder {
  /** `api->db`, `gw->orders`, `users->gw`; `api->db#2` for a second call to the same target. */
  ref: string;
  node: string;
  target: string;
  /** Where the policy keys are in the document: `['nodes', 2, 'calls', 0]`. */
  path: (string | number)[];
}

/** Every call, route and client of a document (parsed or not), in document order. */
export function listPolicyHolders(doc: unknown): PolicyHolder[] {
  const out: PolicyHolder[] = [];
  const nodes = isObj(doc) && Array.isArray(doc.nodes) ? doc.nodes : [];
  nodes.forEach((n: unknown, i: number) => {
    if (!isObj(n) || typeof n.id !== 'string') return;
    const id = n.id;
    const add = (target: unknown, path: (string | number)[], seen: Map<string, number>) => {
      if (typeof target !== 'string') return;
      const k = (seen.get(target) ?? 0) + 1;
      seen.set(target, k);
      out.push({ ref: `${id}->${target}${k > 1 ? `#${k}` : ''}`, node: id, target, path });
    };
    const seen = new Map<string, number>();
    if (n.kind === 'client') add(n.target, ['nodes', i], seen);
    else if (n.kind === 'service' && Array.isArray(n.calls)) n.calls.forEach((c: unknown, j: number) => isObj(c) && add(c.target, ['nodes', i, 'calls', j], seen));
    else if (n.kind === 'gateway' && Array.isArray(n.routes)) n.routes.forEach((r: unknown, j: number) => isObj(r) && add(r.target, ['nodes', i, 'routes', j], seen));
  });
  return out;
}

/** The holder named `ref` (`api->db`; `api->db#1` is `api->db`), or an error sentence listing those that exist. */
export function findPolicyHolder(doc: unknown, ref: string): { ok: true; holder: PolicyHolder } | { ok: false; message: string } {
  const all = listPolicyHolders(doc);
  const wanted = ref.replace(/#1$/, '').replace(/\s+/g, '');
  const holder = all.find((h) => h.ref === wanted);
  if (holder) return { ok: true, holder };
  return { ok: false, message: `no call "${ref}" — the document has ${all.length ? all.map((h) => h.ref).join(', ') : 'no calls, routes or clients'}` };
}

/** The policy object at a holder's path in a validated scenario. */
export function policyOf(scenario: Scenario, holder: PolicyHolder): Policy {
  let cur: unknown = scenario;
  for (const seg of holder.path) cur = (cur as Record<string | number, unknown>)[seg];
  return cur as Policy;
}

/**
 * A copy of `doc` with the imported policy keys set on the holder (the keys the import does not
 * set keep their values).
 */
export function applyPolicy(doc: Obj, holder: PolicyHolder, policy: Record<string, unknown>): Obj {
  const copy = structuredClone(doc);
  let cur: unknown = copy;
  for (const seg of holder.path) cur = (cur as Record<string | number, unknown>)[seg];
  Object.assign(cur as Obj, structuredClone(policy));
  return copy;
}
