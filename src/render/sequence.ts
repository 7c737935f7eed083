/**
 * A trace as a Mermaid sequence diagram: participants are the processes,
 * /dev/ioasid, the pdevs, KVM and the swq devices (plus "out of scope" for a
 * call that names something the scope lacks); one message per step, numbered
 * like the trace, with its result; a note where invariants broke.
 */
import { match } from 'ts-pattern';
import type { AnyAction as Action, Scope, State } from '../../model/index';
import { mermaidText } from './mermaid';
import type { ShownStep } from './steps';

const OUT = 'X';

function proc(scope: Scope, p: number): string {
  return Number.isInteger(p) && p >= 1 && p <= scope.procs ? `P${p}` : OUT;
}

function device(scope: Scope, id: number): string {
  const d = Number.isInteger(id) && id >= 1 ? scope.devices[id - 1] : undefined;
  return d ? `${d.kind === 'pdev' ? 'D' : 'S'}${d.id}` : OUT;
}

function parentOf(scope: Scope, mdev: number): string {
  const m = Number.isInteger(mdev) && mdev >= 1 ? scope.mdevs[mdev - 1] : undefined;
  return m ? device(scope, m.parent) : OUT;
}

const pair = (from: string, to: string): [string, string] => [from, to];

/** Who sends the step's message, and to whom. */
function endpoints(scope: Scope, before: State, a: Action): [string, string] {
  return match(a)
    .with({ type: 'open' }, { type: 'close' }, { type: 'alloc' }, { type: 'destroy' }, { type: 'exit' }, (x) => pair(proc(scope, x.proc), 'IO'))
    .with({ type: 'attach' }, { type: 'detach' }, (x) => pair(proc(scope, x.proc), device(scope, x.dev)))
    .with({ type: 'mdev_allow_pasid' }, { type: 'mdev_attach' }, { type: 'mdev_detach' }, (x) => pair(proc(scope, x.proc), parentOf(scope, x.mdev)))
    .with(
      { type: 'kvm_set_ioasid_fd' },
      { type: 'kvm_enable_enqcmd' },
      { type: 'kvm_map_pasid' },
      { type: 'kvm_unmap_pasid' },
      { type: 'vm_destroy' },
      (x) => pair(proc(scope, x.proc), 'KVM'),
    )
    .with({ type: 'dma' }, { type: 'swq_exec' }, (x) => pair(device(scope, x.dev), 'IO'))
    .with({ type: 'enqcmd' }, (x) => {
      const vm = Number.isInteger(x.vm) && x.vm >= 1 ? scope.vms[x.vm - 1] : undefined;
      return pair(vm ? proc(scope, vm.owner) : OUT, parentOf(scope, x.mdev));
    })
    .with({ type: 'deliver' }, () => {
      const n = before.notifications[0];
      if (!n) return pair('IO', 'IO');
      return pair('IO', n.holder === 'kvm' ? 'KVM' : device(scope, n.id));
    })
    .with({ type: 'sva_bind' }, { type: 'sva_unbind' }, { type: 'sva_submit' }, (x) => pair(proc(scope, x.proc), device(scope, x.dev)))
    .with({ type: 'exit_files' }, (x) => pair('IO', proc(scope, x.proc)))
    .exhaustive();
}

function label(id: string): string {
  if (id === 'IO') return '/dev/ioasid';
  if (id === 'KVM') return 'KVM';
  if (id === OUT) return 'out of scope';
  const kind = { P: 'process', D: 'pdev', S: 'swq' }[id[0] as 'P' | 'D' | 'S'];
  return `${kind} ${id.slice(1)}`;
}

/** Declaration order: processes, /dev/ioasid, devices, KVM, swq, then anything out of scope. */
function rank(id: string): number {
  const n = Number(id.slice(1)) || 0;
  if (id.startsWith('P')) return n;
  if (id === 'IO') return 100;
  if (id.startsWith('D')) return 200 + n;
  if (id === 'KVM') return 300;
  if (id.startsWith('S')) return 400 + n;
  return 500;
}

function arrow(result: string): string {
  if (result.startsWith('-E')) return '-x';
  if (result === 'blocked' || result === 'fault') return '--x';
  return '->>';
}

/** The call and its result; `proc` is left out when the arrow starts at that process already. */
function messageText(s: ShownStep, from: string): string {
  const args = Object.entries(s.args)
    .filter(([k, v]) => k !== 'proc' || from !== `P${v}`)
    .map(([k, v]) => `${k}=${v}`);
  return mermaidText(`${s.action.type}(${args.join(', ')}) → ${s.result}`);
}

export function sequenceDiagram(scope: Scope, steps: readonly ShownStep[]): string {
  const ends = steps.map((s) => endpoints(scope, s.before, s.action));
  const used = [...new Set(ends.flat())].sort((a, b) => rank(a) - rank(b));
  const lines = ['sequenceDiagram', '  autonumber', ...used.map((id) => `  participant ${id} as ${label(id)}`)];
  steps.forEach((s, i) => {
    const [from, to] = ends[i]!;
    lines.push(`  ${from}${arrow(s.result)}${to}: ${messageText(s, from)}`);
    if (s.broke.length > 0) {
      const over = from === to ? from : `${from},${to}`;
      lines.push(`  Note over ${over}: ${mermaidText(`broke ${s.broke.join(', ')}`)}`);
    }
  });
  return lines.join('\n');
}
