/**
 * Holding the parametric encoding (proofs/param) to the model, shared by the
 * conformance tests at `tiny` (param.test.ts) and `default`
 * (param-default.test.ts): a reachable state's structure evaluates every
 * invariant formula as model/invariants.ts does, and a model step of a
 * non-compound action is a transition of the encoding (some choice of its
 * arguments satisfies the guard and yields the model's post-state).
 */
import type { AnyAction, Rules, Scope, State } from '../../model/index';
import { INVARIANT_BY_NAME, implicitKvm } from '../../model/index';
import { INVARIANT_CLAIMS, type Transition, auxClaims, scopeAxioms } from '../../proofs/param/encoding';
import { EvalLogic, type Structure, key, tuples } from '../../proofs/param/logic';
import { claimHolds, guardHolds, postStructure } from '../../proofs/param/prove';
import { type Layout, relevant, toStructure } from '../../proofs/param/structure';
import { SYM_NAMES, VOCAB, symbolic } from '../../proofs/param/vocab';

export function numbered(s: State): number[][] {
  let n = 0;
  return s.queues.map((q) => q.map(() => n++));
}

/** Descriptor elements of `post`, matched to `pre`'s (a subsequence, or one appended). */
export function postLayout(pre: State, post: State, lay: Layout): Layout {
  let next = lay.descs - 1; // the spare element
  const descIds = post.queues.map((q, d) => {
    const pq = pre.queues[d]!;
    const ids: number[] = [];
    let i = 0;
    for (const x of q) {
      while (i < pq.length && (pq[i]!.pasid !== x.pasid || pq[i]!.issuer !== x.issuer)) i++;
      if (i < pq.length) ids.push(lay.descIds[d]![i++]!);
      else ids.push(next++);
    }
    return ids;
  });
  return { ...lay, descIds };
}

/** The post-states agree on every state symbol where it means something (ghost symbols are the transition's own). */
export function sameState(a: Structure, b: Structure): boolean {
  for (const name of SYM_NAMES) {
    if (VOCAB[name].kind !== 'state') continue;
    for (const tup of tuples(a.size, VOCAB[name].domain)) {
      if (!relevant(b, name, tup) && !relevant(a, name, tup)) continue;
      if (a.tables.get(name)!.get(key(tup)) !== b.tables.get(name)!.get(key(tup))) return false;
    }
  }
  return true;
}

/** Model actions that are one transition of the encoding (the others are chains, abstraction 5). */
export const SIMPLE = new Set(['open', 'alloc', 'destroy', 'attach', 'detach', 'mdev_allow_pasid', 'mdev_attach', 'mdev_detach', 'kvm_set_ioasid_fd', 'kvm_enable_enqcmd', 'kvm_map_pasid', 'kvm_unmap_pasid', 'enqcmd', 'swq_exec', 'deliver']);

/** A mismatch between a formula and model/invariants.ts (or an axiom or aux claim that fails), or null. */
export function stateMismatch(scope: Scope, rules: Rules, s: State, withAux: boolean): string | null {
  const lay: Layout = { files: s.files.length + 1, ios: s.ioasids.length + 1, descs: s.queues.flat().length + 1, descIds: numbered(s) };
  const st = toStructure(scope, s, lay);
  const L = new EvalLogic(st);
  if (scopeAxioms(L, symbolic(L)) !== true) return 'scope axioms';
  for (const c of INVARIANT_CLAIMS) {
    const want = INVARIANT_BY_NAME[c.name as keyof typeof INVARIANT_BY_NAME].holds(scope, s);
    if (claimHolds(st, c) !== want) return `${c.name}: formula ${!want}, model ${want}`;
  }
  if (withAux) for (const c of auxClaims(rules)) if (!claimHolds(st, c)) return `aux ${c.name} fails`;
  return null;
}

/** Which model steps edgeMatches checks: non-compound (alloc is compound under kvmAuth=implicit), and not also collecting a file (a chain with file_gc). */
export function checkableEdge(pre: State, a: AnyAction, post: State, rules: Rules): boolean {
  return SIMPLE.has(a.type) && !(a.type === 'alloc' && implicitKvm(rules)) && !pre.files.some((f, i) => f && !post.files[i]);
}

/** Arguments an action names directly: the same element in the encoding (number - 1). */
const DIRECT = ['proc', 'dev', 'mdev', 'vm', 'vpasid'] as const;

/** Is this model step a transition of the encoding? Arguments the action names are fixed; the rest (file, IOASID, entry, PASID, descriptor) are searched. */
export function edgeMatches(scope: Scope, trs: readonly Transition[], pre: State, a: AnyAction, post: State): boolean {
  const lay: Layout = { files: Math.max(pre.files.length, post.files.length) + 1, ios: Math.max(pre.ioasids.length, post.ioasids.length) + 1, descs: pre.queues.flat().length + 2, descIds: numbered(pre) };
  const st = toStructure(scope, pre, lay);
  const want = toStructure(scope, post, postLayout(pre, post, lay));
  const t = trs.find((x) => x.name === a.type)!;
  const named = a as unknown as Record<string, number>;
  const fixed = new Map<string, number>();
  for (const p of t.params) if ((DIRECT as readonly string[]).includes(p.name) && typeof named[p.name] === 'number') fixed.set(p.name, named[p.name]! - 1);
  const free = t.params.filter((p) => !fixed.has(p.name));
  for (const tup of tuples(st.size, free.map((p) => p.sort))) {
    const args: Record<string, number> = Object.fromEntries(fixed);
    free.forEach((p, i) => (args[p.name] = tup[i]!));
    if (!guardHolds(st, t, args)) continue;
    if (sameState(postStructure(st, t, args), want)) return true;
  }
  return false;
}

/** The transitions a compound model step is a chain of (abstraction 5 of encoding.ts). */
const CHAIN: Readonly<Record<string, readonly string[]>> = {
  close: ['destroy', 'close', 'file_gc'],
  vm_destroy: ['kvm_unmap_pasid', 'vm_destroy', 'file_gc'],
  exit: ['kvm_unmap_pasid', 'vm_destroy', 'detach', 'mdev_detach', 'destroy', 'close', 'exit', 'file_gc'],
  alloc: ['alloc', 'alloc:implicit-map'],
};

/** A key of the state symbols where they mean something (ghost symbols excluded). */
function stateKey(st: Structure): string {
  const parts: string[] = [];
  for (const name of SYM_NAMES) {
    if (VOCAB[name].kind !== 'state') continue;
    for (const tup of tuples(st.size, VOCAB[name].domain)) if (relevant(st, name, tup)) parts.push(`${name}(${key(tup)})=${String(st.tables.get(name)!.get(key(tup)))}`);
  }
  return parts.join(';');
}

/**
 * Is this model step a chain of transitions of the encoding (at most `depth`
 * of them, from those its action is made of, plus `file_gc`)? Breadth-first
 * over the structures the chain can reach; a single transition is a chain too.
 */
export function chainMatches(scope: Scope, trs: readonly Transition[], pre: State, a: AnyAction, post: State, depth = 8): boolean {
  const lay: Layout = { files: Math.max(pre.files.length, post.files.length) + 1, ios: Math.max(pre.ioasids.length, post.ioasids.length) + 1, descs: pre.queues.flat().length + 2, descIds: numbered(pre) };
  const start = toStructure(scope, pre, lay);
  const want = toStructure(scope, post, postLayout(pre, post, lay));
  const names = new Set([...(CHAIN[a.type] ?? [a.type]), 'file_gc']);
  const steps = trs.filter((t) => names.has(t.name));
  let frontier = [start];
  const seen = new Set([stateKey(start)]);
  for (let d = 0; d < depth && frontier.length > 0; d++) {
    const next: Structure[] = [];
    for (const st of frontier) {
      for (const t of steps) {
        for (const tup of tuples(st.size, t.params.map((p) => p.sort))) {
          const args = Object.fromEntries(t.params.map((p, i) => [p.name, tup[i]!]));
          if (!guardHolds(st, t, args)) continue;
          const s2 = postStructure(st, t, args);
          if (sameState(s2, want)) return true;
          const k = stateKey(s2);
          if (seen.has(k)) continue;
          seen.add(k);
          next.push(s2);
        }
      }
    }
    frontier = next;
  }
  return false;
}
