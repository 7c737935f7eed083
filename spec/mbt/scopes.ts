/**
 * Scopes for the model-based tests: the presets, and `rich`, which the
 * presets do not reach: two fds per process (so an allowance or a presented
 * FD can belong to another file that is still open: -EBUSY), two mdevs of one
 * process on one parent (an entry made through the other mdev), a second swq
 * and a deeper queue.
 */
import { PRESET_NAMES } from '../../model/index';
import { unknownName } from '../../src/errors';
import { type LoadedScope, checkScope, resolveScope } from '../../src/scopes';

const RICH = checkScope(
  {
    procs: 2, fdsPerProc: 2, quota: 2, pasids: 3, vpasids: 2, swqDepth: 2,
    devices: [{ id: 1, kind: 'pdev', owner: 1 }, { id: 2, kind: 'swq' }, { id: 3, kind: 'pdev', owner: 2 }, { id: 4, kind: 'swq' }],
    mdevs: [
      { id: 1, parent: 2, owner: 1, vm: 1 },
      { id: 2, parent: 2, owner: 2, vm: 2 },
      { id: 3, parent: 2, owner: 1, vm: 1 },
      { id: 4, parent: 4, owner: 2, vm: 2 },
    ],
    vms: [{ id: 1, owner: 1 }, { id: 2, owner: 2 }],
  },
  'rich',
);

/** A preset name, `rich`, or a scope file. */
export function mbtScope(name: string): LoadedScope {
  if (name === 'rich') return { scope: RICH, label: RICH, name: 'rich' };
  if (!/[./\\]/.test(name) && !(PRESET_NAMES as readonly string[]).includes(name)) throw unknownName('scope', name, [...PRESET_NAMES, 'rich']);
  return resolveScope(name);
}
