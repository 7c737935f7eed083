/**
 * Names for IOASIDs along a trace, by process and handle ("IOASID P2#1": process
 * 2's handle 1), never by the slot number the model reuses: the slot of a freed
 * IOASID is taken by the next one, often another process's. A name is given at
 * allocation and kept after destroy (when the handle is gone); a second IOASID
 * with the same process and handle gets "(2)", and so on.
 */
import type { Scope, State } from '../../model/index';
import type { IoasidNames } from './changes';

export class IoasidNamer {
  private names = new Map<number, { file: number; name: string }>();
  private readonly used = new Map<string, number>();

  constructor(private readonly scope: Scope) {}

  /** The names before and after a step from `a` to `b`; call once per step, in order. */
  step(a: State, b: State): IoasidNames {
    const before = new Map(this.names);
    this.learn(a, before);
    const after = new Map(before);
    this.learn(b, after);
    this.names = after;
    return { before: (id) => before.get(id)?.name ?? `ioasid ${id}`, after: (id) => after.get(id)?.name ?? `ioasid ${id}` };
  }

  private learn(s: State, into: Map<number, { file: number; name: string }>): void {
    s.ioasids.forEach((io, i) => {
      const id = i + 1;
      if (!io) return void into.delete(id);
      const known = into.get(id);
      if (known && known.file === io.file) return;
      const f = s.files[io.file - 1];
      const base = `IOASID P${f?.proc ?? '?'}${this.scope.fdsPerProc > 1 ? `.fd${f?.fd ?? '?'}` : ''}#${io.handle === 0 ? '?' : io.handle}`;
      const n = (this.used.get(base) ?? 0) + 1;
      this.used.set(base, n);
      into.set(id, { file: io.file, name: n === 1 ? base : `${base} (${n})` });
    });
  }
}
