/**
 * The kernel bookkeeping the model has no counterpart for: a file's users and
 * its quota counter, the fd tables. The abstraction drops them, so they are
 * held here to what the kernel's own comments say they count (src/kernel/
 * file.ts, ioasid.ts, process.ts). Each problem is one line; none is a pass.
 */
import type { KernelSnapshot } from '../kernel/index';

export function kernelBookkeeping(k: KernelSnapshot): string[] {
  const problems: string[] = [];
  for (const f of k.files) {
    const charged = k.ioasids.filter((io) => io.file === f.id).length;
    const allowances = k.mdevs.filter((m) => m.allowedFile === f.id).length;
    const presented = k.vms.filter((v) => v.file === f.id).length;
    // users: the fd slot while open, each charged IOASID, each mdev allowance, each VM it was presented to
    const users = (f.fd !== null ? 1 : 0) + charged + allowances + presented;
    if (f.users !== users) problems.push(`file ${f.id}: users ${f.users}, holders ${users}`);
    if (f.charged !== charged) problems.push(`file ${f.id}: charged ${f.charged}, but ${charged} IOASIDs hold a PASID`);
    if (f.users <= 0) problems.push(`file ${f.id}: shown with ${f.users} users`);
    const proc = k.procs.find((p) => p.proc === f.proc);
    if (f.fd !== null && !proc?.fds.some((x) => x.fd === f.fd && x.file === f.id)) {
      problems.push(`file ${f.id}: open as fd ${f.fd} but not in proc ${f.proc}'s fd table`);
    }
  }
  for (const p of k.procs) {
    for (const x of p.fds) {
      const f = k.files.find((y) => y.id === x.file);
      if (!f || f.fd !== x.fd || f.proc !== p.proc) problems.push(`proc ${p.proc}: fd ${x.fd} names file ${x.file}, which is not open there`);
    }
    if (!p.alive && p.fds.length > 0) problems.push(`proc ${p.proc}: exited with open fds`);
  }
  if (k.sva) problems.push(...svaBookkeeping(k));
  for (const io of k.ioasids) {
    if (io.destroyed !== (io.handle === null)) problems.push(`ioasid ${io.id}: destroyed ${io.destroyed} but handle ${io.handle}`);
    if (io.destroyed && !io.blocked) problems.push(`ioasid ${io.id}: destroyed but not blocked`);
  }
  return problems;
}

/**
 * §10: mm_count is one for the live address space plus one per bond; each
 * bond has its entry in its device's table, at its PASID, and no entry is
 * without a bond; a live process's bonds sit at its mm's PASID.
 */
function svaBookkeeping(k: KernelSnapshot): string[] {
  const sva = k.sva!;
  const problems: string[] = [];
  for (const mm of sva.mms) {
    const bonds = sva.bonds.filter((b) => b.proc === mm.proc);
    const users = (mm.addressSpaceUsers > 0 ? 1 : 0) + bonds.length;
    if (mm.users !== users) problems.push(`mm of proc ${mm.proc}: mm_count ${mm.users}, holders ${users}`);
    const alive = k.procs.find((p) => p.proc === mm.proc)?.alive ?? false;
    if (mm.addressSpaceUsers !== (alive ? 1 : 0)) problems.push(`mm of proc ${mm.proc}: mm_users ${mm.addressSpaceUsers} with the process ${alive ? 'alive' : 'exited'}`);
    if (alive && bonds.some((b) => b.pasid !== mm.pasid)) problems.push(`mm of proc ${mm.proc}: bound at a PASID other than its own ${mm.pasid}`);
    if (mm.pasid !== null && k.freePasids.includes(mm.pasid)) problems.push(`mm of proc ${mm.proc}: holds PASID ${mm.pasid}, which is free`);
  }
  const key = (x: { dev: number; pasid: number; proc: number }): string => `${x.dev}/${x.pasid}/${x.proc}`;
  const entries = new Set(sva.entries.map(key));
  const bonds = new Set(sva.bonds.map(key));
  for (const e of entries) if (!bonds.has(e)) problems.push(`SVA entry ${e} (dev/pasid/proc) has no bond`);
  for (const b of bonds) if (!entries.has(b)) problems.push(`bond ${b} (dev/pasid/proc) has no entry`);
  return problems;
}
