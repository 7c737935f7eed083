/*
 * A self-check of the kernel against its own debugfs: every refcount equals
 * its holders, the PASID allocator's free pool agrees with the IOASIDs, and
 * nothing points at a released object. Returns the violations, [] when sound.
 * Written from DESIGN.md section 3's list of holders, not from the kernel code.
 */
import type { KernelSnapshot, KernelTopology } from '../../src/kernel';

function count<T>(xs: readonly T[], p: (x: T) => boolean): number {
  return xs.filter(p).length;
}

export function violations(s: KernelSnapshot, t: KernelTopology): string[] {
  const bad: string[] = [];
  const pdevEntries = s.pdevs.flatMap((d) => d.entries);
  const swqEntries = s.swqs.flatMap((d) => d.entries);
  const vmEntries = s.vms.flatMap((v) => v.entries);
  const queued = s.swqs.flatMap((d) => d.queue);
  const ioasidById = new Map(s.ioasids.map((i) => [i.id, i]));
  const fileIds = new Set(s.files.map((f) => f.id));

  for (const i of s.ioasids) {
    const holders = (i.handle !== null ? 1 : 0) + count(pdevEntries, (e) => e.ioasid === i.id)
      + count(swqEntries, (e) => e.ioasid === i.id) + count(vmEntries, (e) => e.ioasid === i.id);
    if (i.users !== holders) bad.push(`ioasid ${i.id}: users ${i.users}, holders ${holders}`);
    if (i.users < 1) bad.push(`ioasid ${i.id}: shown with ${i.users} users`);
    if (i.destroyed !== (i.handle === null)) bad.push(`ioasid ${i.id}: destroyed ${i.destroyed} with handle ${i.handle}`);
    if (i.blocked !== i.destroyed) bad.push(`ioasid ${i.id}: blocked ${i.blocked}, destroyed ${i.destroyed}`);
    if (!fileIds.has(i.file)) bad.push(`ioasid ${i.id}: its file ${i.file} was released`);
    if (count(s.ioasids, (j) => j.pasid === i.pasid) !== 1) bad.push(`pasid ${i.pasid} held by two IOASIDs`);
  }
  const live = s.ioasids.filter((i) => i.handle !== null);
  for (const i of live) {
    if (count(live, (j) => j.file === i.file && j.handle === i.handle) !== 1) bad.push(`file ${i.file}: handle ${i.handle} twice`);
  }
  for (const e of [...pdevEntries, ...swqEntries]) {
    const i = ioasidById.get(e.ioasid);
    if (i === undefined || i.pasid !== e.pasid) bad.push(`entry for pasid ${e.pasid} reaches ioasid ${e.ioasid} with pasid ${i?.pasid}`);
  }
  for (const e of vmEntries) {
    const i = ioasidById.get(e.ioasid);
    if (i === undefined || i.pasid !== e.pasid) bad.push(`vpasid ${e.vpasid} carries pasid ${e.pasid}, ioasid has ${i?.pasid}`);
  }

  for (let pasid = 1; pasid <= t.pasids; pasid++) {
    const free = s.freePasids.includes(pasid);
    const held = s.ioasids.some((i) => i.pasid === pasid);
    if (free === held) bad.push(`pasid ${pasid}: free ${free} but held by an IOASID ${held}`);
    const used = pdevEntries.some((e) => e.pasid === pasid) || swqEntries.some((e) => e.pasid === pasid)
      || vmEntries.some((e) => e.pasid === pasid) || queued.some((d) => d.pasid === pasid);
    if (free && used) bad.push(`pasid ${pasid}: free but still used by a table or a queued descriptor`);
  }

  for (const f of s.files) {
    const charged = count(s.ioasids, (i) => i.file === f.id);
    const holders = (f.fd !== null ? 1 : 0) + charged + count(s.mdevs, (m) => m.allowedFile === f.id)
      + count(s.vms, (v) => v.file === f.id);
    if (f.users !== holders) bad.push(`file ${f.id}: users ${f.users}, holders ${holders}`);
    if (f.charged !== charged || charged > t.quota) bad.push(`file ${f.id}: charged ${f.charged}, IOASIDs ${charged}`);
    const proc = s.procs.find((p) => p.proc === f.proc);
    const open = proc?.fds.some((o) => o.fd === f.fd && o.file === f.id) ?? false;
    if ((f.fd !== null) !== open) bad.push(`file ${f.id}: fd ${f.fd} disagrees with proc ${f.proc}'s fd table`);
  }
  for (const p of s.procs) {
    if (!p.alive && p.fds.length > 0) bad.push(`proc ${p.proc}: exited with fds open`);
  }
  const refs = [...s.mdevs.map((m) => m.allowedFile), ...s.vms.map((v) => v.file)];
  for (const id of refs) if (id !== null && !fileIds.has(id)) bad.push(`file ${id} referenced after release`);
  for (const v of s.vms) {
    if (!v.alive && (v.file !== null || v.enabled || v.entries.length > 0)) bad.push(`vm ${v.vm}: destroyed but not empty`);
    if (v.enabled && v.file === null) bad.push(`vm ${v.vm}: enabled with no file presented`);
  }
  for (const d of s.swqs) if (d.queue.length > t.swqDepth) bad.push(`swq ${d.dev}: queue over depth`);
  return bad;
}
