import { VARIANTS } from '../../model/variants';
/*
 * The words of show and report: state changes, story sentences. Each case
 * runs real model steps and checks the phrase for what changed.
 */
import { describe, expect, it } from 'vitest';
import { type Action, PRESETS, type Variant, makeAction } from '../../model/index';
import { type ShownStep, showSteps } from '../../src/render/steps';
import { storySentence } from '../../src/render/story';

const scope = PRESETS.default;
const A = (type: Action['type'], ...values: number[]): { action: Action } => ({ action: makeAction(type, values) });
const run = (variant: Variant, ...calls: { action: Action }[]): ShownStep[] => showSteps(scope, VARIANTS[variant].rules, calls);
const last = (steps: ShownStep[]): ShownStep => steps[steps.length - 1]!;

const SETUP = [A('open', 1), A('alloc', 1, 1)];

describe('state changes', () => {
  it('a failed call changes nothing', () => {
    const s = last(run('reference', A('alloc', 1, 1)));
    expect(s.result).toBe('-EBADF');
    expect(s.changes).toEqual([]);
  });

  it('alloc: a new ioasid and a PASID out of the pool', () => {
    expect(last(run('reference', ...SETUP)).changes).toEqual(['IOASID P1#1 allocated: handle 1 of process 1 fd 1, pasid 1, users 1', 'free -= {1}']);
  });

  it('destroy with a holder left: parked; the last release: recycled', () => {
    const steps = run('reference', ...SETUP, A('attach', 1, 1, 1, 1), A('destroy', 1, 1, 1), A('detach', 1, 1, 1));
    expect(steps[3]!.changes).toEqual(['IOASID P1#1 destroyed, users 2->1, DMA blocked, pasid 1 parked']);
    expect(steps[4]!.changes).toEqual(['IOASID P1#1 freed (users 1->0)', 'free += {1}', 'pdev 1 table: -[pasid 1 -> IOASID P1#1]']);
  });

  it('recycle-on-destroy: the PASID goes back at destroy while an entry still holds the ioasid', () => {
    const s = last(run('recycle-on-destroy', ...SETUP, A('attach', 1, 1, 1, 1), A('destroy', 1, 1, 1)));
    expect(s.changes).toEqual(['IOASID P1#1 destroyed, users 2->1, DMA blocked, pasid 1 recycled at destroy', 'free += {1}']);
    expect(s.broke).toEqual(['recycle-at-zero']);
  });

  it('mdev allowance, mdev entry, queue, and the notifier FIFO', () => {
    const steps = run(
      'notifier-cleanup',
      ...SETUP,
      A('mdev_allow_pasid', 1, 1, 1),
      A('mdev_attach', 1, 1, 1, 1),
      A('kvm_set_ioasid_fd', 1, 1, 1),
      A('kvm_enable_enqcmd', 1, 1),
      A('kvm_map_pasid', 1, 1, 1, 1),
      A('enqcmd', 1, 1, 1),
      A('close', 1, 1),
      A('deliver'),
    );
    expect(steps.map((s) => s.changes)).toEqual([
      ['file 1 opened as process 1 fd 1'],
      ['IOASID P1#1 allocated: handle 1 of process 1 fd 1, pasid 1, users 1', 'free -= {1}'],
      ['mdev 1 allowed PASID use for file 1 (process 1 fd 1)'],
      ['IOASID P1#1 users 1->2', 'swq 2 table: +[pasid 1 -> IOASID P1#1 via mdev 1]'],
      ['VM 1 presented file 1'],
      ['VM 1 ENQCMD table enabled'],
      ['IOASID P1#1 users 2->3', 'VM 1 ENQCMD table: +[vpasid 1 -> pasid 1 (IOASID P1#1)]'],
      ['swq 2 queue: +[issuer 1, pasid 1]'],
      [
        'process 1 fd 1 closed (file 1 kept: still referenced)',
        'IOASID P1#1 destroyed, users 3->2, DMA blocked, pasid 1 recycled at destroy',
        'free += {1}',
        'swq 2 queue: -[issuer 1, pasid 1]',
        'notifications: +[swq 2 pasid 1], +[VM 1 vpasid 1]',
      ],
      ['IOASID P1#1 users 2->1', 'swq 2 table: -[pasid 1 -> IOASID P1#1 via mdev 1]', 'notifications: -[swq 2 pasid 1]'],
    ]);
  });

  it('implicit-kvm-enqcmd: the implicit entry is marked', () => {
    const s = last(run('implicit-kvm-enqcmd', ...SETUP));
    expect(s.changes).toContain('VM 1 ENQCMD table: +[vpasid 1 -> pasid 1 (IOASID P1#1), implicit]');
    expect(s.broke).toEqual(['explicit-vm-authorization']);
  });

  it('exit: the process, its VM, its files', () => {
    const s = last(run('reference', ...SETUP, A('exit', 1)));
    expect(s.changes).toEqual(['process 1 exited', 'process 1 fd 1 closed (file 1)', 'IOASID P1#1 freed (users 1->0)', 'free += {1}', 'VM 1 destroyed']);
  });
});

describe('story sentences', () => {
  it('say who did what, what came back, what changed and what broke', () => {
    const steps = run('no-dma-block', ...SETUP, A('attach', 1, 1, 1, 1), A('destroy', 1, 1, 1), A('dma', 1, 1), A('alloc', 9, 1));
    expect(steps.map(storySentence)).toEqual([
      'Process 1 opens /dev/ioasid and gets fd 1 (file 1 opened as process 1 fd 1).',
      'Process 1 allocates an IOASID in fd 1 and gets handle 1 (IOASID P1#1 allocated: handle 1 of process 1 fd 1, pasid 1, users 1; free -= {1}).',
      'Process 1 attaches pdev 1 to IOASID handle 1 of fd 1 (IOASID P1#1 users 1->2; pdev 1 table: +[pasid 1 -> IOASID P1#1]).',
      'Process 1 destroys IOASID handle 1 of fd 1 (IOASID P1#1 destroyed, users 2->1, DMA not blocked, pasid 1 parked), and from here on destroyed-blocks-dma is violated.',
      'Device 1 does DMA with PASID 1: the DMA lands in the memory of process 1.',
      'Process 9 allocates an IOASID in fd 1, refused with -ESRCH.',
    ]);
  });

  it('name the descriptor a swq runs and whose memory it reaches', () => {
    const steps = run('reference', ...SETUP, A('kvm_set_ioasid_fd', 1, 1, 1), A('kvm_enable_enqcmd', 1, 1), A('kvm_map_pasid', 1, 1, 1, 1), A('mdev_allow_pasid', 1, 1, 1), A('mdev_attach', 1, 1, 1, 1), A('enqcmd', 1, 1, 1), A('swq_exec', 2));
    expect(storySentence(last(steps))).toBe('The swq 2 runs its oldest descriptor (issued by process 1, PASID 1): the DMA lands in the memory of process 1 (swq 2 queue: -[issuer 1, pasid 1]).');
  });
});
