/**
 * The kernel's self-checks, white-box: a structurally impossible topology is
 * refused at boot, and every WARN_ON fires, with its message, on exactly the
 * broken state it guards against. Through the ioctls these states cannot be
 * reached (the model-based tests say so), which is why they are built by hand
 * here; mutation testing showed that nothing else would notice a WARN_ON
 * that had been switched off.
 */
import { describe, expect, it } from 'vitest';
import { kernel_boot, type KernelTopology } from '../../src/kernel/boot';
import { file_alloc, file_charge, file_put, file_uncharge, type IoasidFile } from '../../src/kernel/file';
import { ioasid_alloc, ioasid_destroy, ioasid_find, ioasid_get, ioasid_put, type Ioasid } from '../../src/kernel/ioasid';
import { IoasidKernel } from '../../src/kernel/index';
import { obj_alloc, obj_get, obj_put, obj_table_init, type KObject } from '../../src/kernel/object';
import { pasid_alloc, pasid_allocator_init, pasid_free } from '../../src/kernel/pasid';
import { proc_close, proc_init, proc_open } from '../../src/kernel/process';
import { xa_insert } from '../../src/kernel/xarray';
import { PRESETS } from '../../model/index';

const DEFAULT: KernelTopology = PRESETS.default as unknown as KernelTopology;

describe('boot refuses an impossible topology', () => {
  it.each([
    ['a device id 0', { devices: [{ id: 0, kind: 'swq' }], mdevs: [] }, /device id 0 is not a positive integer/],
    ['a negative vm id', { vms: [{ id: -1, owner: 1 }], mdevs: [] }, /vm id -1 is not a positive integer/],
    ['duplicate mdev ids', { mdevs: [{ id: 1, parent: 2, owner: 1, vm: 1 }, { id: 1, parent: 2, owner: 2, vm: 2 }] }, /duplicate mdev id/],
    ['a negative size', { swqDepth: -1 }, /bad topology size -1/],
    ['a fractional size', { pasids: 1.5 }, /bad topology size 1.5/],
  ])('%s', (_name, change, message) => {
    expect(() => new IoasidKernel({ ...DEFAULT, ...change } as KernelTopology)).toThrow(message);
  });

  it('but boots with empty index spaces (a size of 0)', () => {
    const k = new IoasidKernel({ ...DEFAULT, vpasids: 0, swqDepth: 0 });
    expect([k.open(1), k.alloc(1, 1), k.kvmSetIoasidFd(1, 1, 1), k.kvmEnableEnqcmd(1, 1), k.kvmMapPasid(1, 1, 1, 1)]).toEqual([1, 1, 0, 0, -2]);
  });
});

describe('WARN_ON', () => {
  const obj = (users: number): KObject => ({ id: 7, users });

  it('an object born with other than one user', () => {
    expect(() => obj_alloc(obj_table_init(), (id) => ({ id, users: 2 }))).toThrow('WARN_ON: object 1 born with 2 users');
  });
  it('a get or put of a released object', () => {
    expect(() => obj_get(obj(0))).toThrow('WARN_ON: get of released object 7');
    expect(() => obj_put(obj_table_init(), obj(0))).toThrow('WARN_ON: put of released object 7');
  });

  it('a free of a PASID out of range or not in use', () => {
    const pa = pasid_allocator_init(2);
    expect(() => pasid_free(pa, 0)).toThrow('WARN_ON: free of PASID 0 not in use');
    expect(() => pasid_free(pa, 3)).toThrow('WARN_ON: free of PASID 3 not in use');
    expect(() => pasid_free(pa, 1)).toThrow('WARN_ON: free of PASID 1 not in use');
    expect(pasid_alloc(pa)).toBe(1);
    expect(() => pasid_free(pa, 1)).not.toThrow();
  });

  describe('files', () => {
    const file = (change: Partial<IoasidFile>): IoasidFile => Object.assign(file_alloc(obj_table_init(), 1, 1, 1), change);

    it('released while open, charged or holding handles', () => {
      expect(() => file_put(obj_table_init(), file({}))).toThrow('WARN_ON: file 1 released in use');
      expect(() => file_put(obj_table_init(), file({ fd: null, charged: 1 }))).toThrow('released in use');
      const f = file({ fd: null });
      xa_insert(f.handles, 1, {} as Ioasid);
      expect(() => file_put(obj_table_init(), f)).toThrow('released in use');
      expect(() => file_put(obj_table_init(), file({ fd: null }))).not.toThrow();
    });
    it('charged over its quota, uncharged below zero', () => {
      expect(() => file_charge(file({ charged: 1 }))).toThrow('WARN_ON: file 1 charged over quota');
      expect(() => file_uncharge(obj_table_init(), file({ charged: 0 }))).toThrow('WARN_ON: file 1 uncharged below zero');
    });
  });

  describe('IOASIDs', () => {
    function setup(quota = 1) {
      const s = kernel_boot(DEFAULT);
      const f = file_alloc(s.core.files, 1, 1, quota);
      return { core: s.core, f };
    }
    const alloc = (core: ReturnType<typeof setup>['core'], f: IoasidFile): Ioasid => ioasid_find(f, ioasid_alloc(core, f))!;

    it('a destroy of a destroyed IOASID, or of one without a handle', () => {
      const { core, f } = setup();
      const io = alloc(core, f);
      ioasid_get(io);
      ioasid_destroy(core, io);
      expect(() => ioasid_destroy(core, io)).toThrow('WARN_ON: destroy of destroyed ioasid 1');
      const fresh = () => { const x = setup(); return { ...x, io: alloc(x.core, x.f) }; };
      const a = fresh();
      a.io.handle = null;
      expect(() => ioasid_destroy(a.core, a.io)).toThrow('destroy of destroyed ioasid');
      const b = fresh();
      b.io.destroyed = true;
      expect(() => ioasid_destroy(b.core, b.io)).toThrow('destroy of destroyed ioasid');
    });
    it('a live IOASID reaching zero users', () => {
      const { core, f } = setup();
      expect(() => ioasid_put(core, alloc(core, f))).toThrow('WARN_ON: live ioasid 1 reached zero users');
    });
    it('a file with quota but no free handle', () => {
      const { core, f } = setup(2);
      xa_insert(f.handles, 1, {} as Ioasid);
      xa_insert(f.handles, 2, {} as Ioasid);
      expect(() => ioasid_alloc(core, f)).toThrow('WARN_ON: file 1 has quota but no free handle');
    });
  });

  it('a close of a file not open in the process', () => {
    const { core } = kernel_boot(DEFAULT);
    const p = proc_init(1);
    const other = proc_init(2);
    expect(proc_open(core, other, 1, 1)).toBe(1);
    const f = file_alloc(core.files, 2, 1, 1);
    expect(() => proc_close(core, p, f)).toThrow('WARN_ON: close of file 2 not open in proc 1');
    const closed = file_alloc(core.files, 1, 1, 1);
    closed.fd = null;
    xa_insert(p.fds, null as unknown as number, closed);
    expect(() => proc_close(core, p, closed)).toThrow('not open in proc 1');
  });
});
